/**
 * The files of /sys/fs/ext4/features (fs/ext4/sysfs.c ext4_feat_attrs)
 * this package honours, each reading "supported": `lazy_itable_init`
 * (groups without ITABLE_ZEROED are handled and zeroed at a read-write
 * mount; mke2fs reads this file to leave inode tables unzeroed) and
 * `metadata_csum_seed` (the csum_seed incompatible feature mounts). Linux
 * 6.18 also shows batched_discard (FITRIM), meta_bg_resize (online resize),
 * fast_commit and the encryption ones, which this package does not do.
 */
export const EXT4_KERNEL_FEATURES: readonly string[] = ['lazy_itable_init', 'metadata_csum_seed'];
