/**
 * Anonymous device numbers for file systems without a block device (Linux's
 * get_anon_bdev: major 0, a fresh minor each). st_dev is `major * 256 + minor`
 * (the old encoding, which new_encode_dev agrees with for minors below 256).
 */
let nextMinor = 0x20;

/** A fresh anonymous st_dev (major 0). Minors cycle through 1..255. */
export function allocAnonDeviceId(): number {
  const minor = nextMinor;
  nextMinor = nextMinor >= 255 ? 1 : nextMinor + 1;
  return minor;
}
