/**
 * The device number of a character or block special file as ext4 keeps it
 * in i_block (ext4_fill_raw_inode): a number whose major and minor both fit
 * in a byte in the old 16-bit form in i_block[0] (old_encode_dev), any
 * other in the 32-bit new form in i_block[1] with i_block[0] zero
 * (new_encode_dev), so that a reader of either era finds it. `rdev` is
 * new_encode_dev's value, as the VFS's st_rdev.
 */
export function encodeSpecialDevice(iblock: Uint8Array, rdev: number): void {
  const major = (rdev & 0xfff00) >>> 8;
  const minor = (rdev & 0xff) | ((rdev >>> 12) & 0xfff00);
  const v = new DataView(iblock.buffer, iblock.byteOffset, 12);
  if (major < 256 && minor < 256) {
    v.setUint32(0, (major << 8) | minor, true);
    v.setUint32(4, 0, true);
  } else {
    v.setUint32(0, 0, true);
    v.setUint32(4, rdev >>> 0, true);
    v.setUint32(8, 0, true);
  }
}

/** st_rdev from i_block (ext4_iget: old_decode_dev of i_block[0], else new_decode_dev of i_block[1]). */
export function decodeSpecialDevice(iblock: Uint8Array): number {
  const v = new DataView(iblock.buffer, iblock.byteOffset, 8);
  const old = v.getUint32(0, true);
  if (old !== 0) return (((old >>> 8) & 0xff) << 8) | (old & 0xff);
  return v.getUint32(4, true);
}
