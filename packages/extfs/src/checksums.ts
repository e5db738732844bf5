/**
 * The two checksums ext4 keeps on disk: CRC32C (Castagnoli, reflected
 * polynomial 0x82F63B78) for metadata_csum, and CRC16 (reflected 0xA001, as
 * lib/crc16.c) for the older gdt_csum group descriptors. Linux's ext4_chksum
 * hands the running value to crc32c() without the final inversion, so the
 * helpers here take and return the raw register, as the kernel does.
 */

function table(poly: number): Uint32Array {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
}

const CRC32C = table(0x82f63b78);
const CRC16 = table(0xa001);

/** crc32c_le(seed, data): the raw register after `data`, no final xor (as Linux's crc32c()). */
export function crc32c(seed: number, data: Uint8Array, start = 0, end = data.length): number {
  let c = seed >>> 0;
  for (let i = start; i < end; i++) c = CRC32C[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return c >>> 0;
}

/** crc32c of a little-endian u32 (the inode number or generation folded into a seed). */
export function crc32cU32(seed: number, value: number): number {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, value >>> 0, true);
  return crc32c(seed, b);
}

/** crc16(seed, data) as lib/crc16.c: the group descriptor checksum without metadata_csum. */
export function crc16(seed: number, data: Uint8Array, start = 0, end = data.length): number {
  let c = seed & 0xffff;
  for (let i = start; i < end; i++) c = (CRC16[(c ^ data[i]!) & 0xff]! ^ (c >>> 8)) & 0xffff;
  return c;
}
