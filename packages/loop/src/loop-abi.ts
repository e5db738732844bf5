/** The loop driver's ioctl requests (include/uapi/linux/loop.h): _IO-less numbers 0x4Cxx. */
export const LOOP = {
  LOOP_SET_FD: 0x4c00,
  LOOP_CLR_FD: 0x4c01,
  LOOP_SET_STATUS: 0x4c02,
  LOOP_GET_STATUS: 0x4c03,
  LOOP_SET_STATUS64: 0x4c04,
  LOOP_GET_STATUS64: 0x4c05,
  LOOP_CHANGE_FD: 0x4c06,
  LOOP_SET_CAPACITY: 0x4c07,
  LOOP_SET_DIRECT_IO: 0x4c08,
  LOOP_SET_BLOCK_SIZE: 0x4c09,
  LOOP_CONFIGURE: 0x4c0a,
  LOOP_CTL_ADD: 0x4c80,
  LOOP_CTL_REMOVE: 0x4c81,
  LOOP_CTL_GET_FREE: 0x4c82,
} as const;

/** lo_flags. */
export const LO_FLAGS = {
  READ_ONLY: 1,
  AUTOCLEAR: 4,
  PARTSCAN: 8,
  DIRECT_IO: 16,
} as const;

/** LOOP_SET_STATUS may set AUTOCLEAR and PARTSCAN and clear AUTOCLEAR; LOOP_CONFIGURE may set all four. */
export const LOOP_SET_STATUS_SETTABLE_FLAGS = LO_FLAGS.AUTOCLEAR | LO_FLAGS.PARTSCAN;
export const LOOP_SET_STATUS_CLEARABLE_FLAGS = LO_FLAGS.AUTOCLEAR;
export const LOOP_CONFIGURE_SETTABLE_FLAGS = LO_FLAGS.READ_ONLY | LO_FLAGS.AUTOCLEAR | LO_FLAGS.PARTSCAN | LO_FLAGS.DIRECT_IO;

/** LO_NAME_SIZE and LO_KEY_SIZE. */
export const LO_NAME_SIZE = 64;
export const LO_KEY_SIZE = 32;

/** The loop major (LOOP_MAJOR) and /dev/loop-control's misc minor (LOOP_CTRL_MINOR). */
export const LOOP_MAJOR = 7;
export const MISC_MAJOR = 10;
export const LOOP_CTRL_MINOR = 237;

/**
 * struct loop_info64, 232 bytes on every architecture: what LOOP_GET_STATUS64
 * reports and LOOP_SET_STATUS64 takes. Names are byte strings of at most 63
 * bytes (the last byte is always NUL).
 */
export interface LoopInfo64 {
  device: bigint;
  inode: bigint;
  rdevice: bigint;
  offset: bigint;
  sizelimit: bigint;
  number: number;
  encryptType: number;
  encryptKeySize: number;
  flags: number;
  fileName: Uint8Array;
  cryptName: Uint8Array;
  encryptKey: Uint8Array;
  init: [bigint, bigint];
}

export const LOOP_INFO64_SIZE = 232;
/** struct loop_config: fd, block_size, a loop_info64 at 8, 64 reserved bytes. */
export const LOOP_CONFIG_SIZE = 304;

export function emptyInfo64(): LoopInfo64 {
  return {
    device: 0n, inode: 0n, rdevice: 0n, offset: 0n, sizelimit: 0n, number: 0, encryptType: 0, encryptKeySize: 0, flags: 0,
    fileName: new Uint8Array(LO_NAME_SIZE), cryptName: new Uint8Array(LO_NAME_SIZE), encryptKey: new Uint8Array(LO_KEY_SIZE), init: [0n, 0n],
  };
}

export function decodeInfo64(b: Uint8Array, at = 0): LoopInfo64 {
  const v = new DataView(b.buffer, b.byteOffset + at);
  return {
    device: v.getBigUint64(0, true),
    inode: v.getBigUint64(8, true),
    rdevice: v.getBigUint64(16, true),
    offset: v.getBigUint64(24, true),
    sizelimit: v.getBigUint64(32, true),
    number: v.getUint32(40, true),
    encryptType: v.getUint32(44, true),
    encryptKeySize: v.getUint32(48, true),
    flags: v.getUint32(52, true),
    fileName: b.slice(at + 56, at + 120),
    cryptName: b.slice(at + 120, at + 184),
    encryptKey: b.slice(at + 184, at + 216),
    init: [v.getBigUint64(216, true), v.getBigUint64(224, true)],
  };
}

export function encodeInfo64(info: LoopInfo64): Uint8Array {
  const b = new Uint8Array(LOOP_INFO64_SIZE);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, info.device, true);
  v.setBigUint64(8, info.inode, true);
  v.setBigUint64(16, info.rdevice, true);
  v.setBigUint64(24, info.offset, true);
  v.setBigUint64(32, info.sizelimit, true);
  v.setUint32(40, info.number, true);
  v.setUint32(44, info.encryptType, true);
  v.setUint32(48, info.encryptKeySize, true);
  v.setUint32(52, info.flags, true);
  b.set(info.fileName.subarray(0, LO_NAME_SIZE), 56);
  b.set(info.cryptName.subarray(0, LO_NAME_SIZE), 120);
  b.set(info.encryptKey.subarray(0, LO_KEY_SIZE), 184);
  v.setBigUint64(216, info.init[0], true);
  v.setBigUint64(224, info.init[1], true);
  return b;
}

/**
 * The old struct loop_info, whose `__kernel_old_dev_t` fields are an
 * unsigned long on x86-64 (168 bytes) and an unsigned int in the generic
 * ABI riscv64 uses (160 bytes); `lo_offset` is an int on both.
 */
export interface OldLoopInfoLayout {
  readonly size: number;
  readonly devBytes: 4 | 8;
  readonly device: number;
  readonly inode: number;
  readonly rdevice: number;
  readonly offset: number;
  readonly encryptType: number;
  readonly encryptKeySize: number;
  readonly flags: number;
  readonly name: number;
  readonly key: number;
  readonly init: number;
}

const OLD_X86_64: OldLoopInfoLayout = { size: 168, devBytes: 8, device: 8, inode: 16, rdevice: 24, offset: 32, encryptType: 36, encryptKeySize: 40, flags: 44, name: 48, key: 112, init: 144 };
const OLD_GENERIC: OldLoopInfoLayout = { size: 160, devBytes: 4, device: 4, inode: 8, rdevice: 16, offset: 20, encryptType: 24, encryptKeySize: 28, flags: 32, name: 36, key: 100, init: 136 };

/** The old loop_info layout of architecture `arch` (`x86_64`, or the generic one). */
export function oldLoopInfoLayout(arch: string): OldLoopInfoLayout {
  return arch === 'x86_64' ? OLD_X86_64 : OLD_GENERIC;
}

/** loop_info64_from_old: the name goes to lo_file_name (lo_crypt_name for LO_CRYPT_CRYPTOAPI); no size limit. */
export function decodeOldInfo(b: Uint8Array, l: OldLoopInfoLayout): LoopInfo64 {
  const v = new DataView(b.buffer, b.byteOffset);
  const dev = (at: number) => (l.devBytes === 8 ? v.getBigUint64(at, true) : BigInt(v.getUint32(at, true)));
  const info = emptyInfo64();
  info.number = v.getInt32(0, true) >>> 0;
  info.device = dev(l.device);
  info.inode = v.getBigUint64(l.inode, true);
  info.rdevice = dev(l.rdevice);
  info.offset = BigInt.asUintN(64, BigInt(v.getInt32(l.offset, true))); // an int, sign-extended
  info.encryptType = v.getInt32(l.encryptType, true) >>> 0;
  info.encryptKeySize = v.getInt32(l.encryptKeySize, true) >>> 0;
  info.flags = v.getInt32(l.flags, true) >>> 0;
  const name = b.slice(l.name, l.name + LO_NAME_SIZE);
  if (info.encryptType === LO_CRYPT_CRYPTOAPI) info.cryptName = name;
  else info.fileName = name;
  info.encryptKey = b.slice(l.key, l.key + LO_KEY_SIZE);
  info.init = [v.getBigUint64(l.init, true), v.getBigUint64(l.init + 8, true)];
  return info;
}

/** LO_CRYPT_CRYPTOAPI: the encryption type whose name is lo_crypt_name. */
const LO_CRYPT_CRYPTOAPI = 18;

/** loop_info64_to_old: null (EOVERFLOW) when a device number, inode or offset does not fit. */
export function encodeOldInfo(info: LoopInfo64, l: OldLoopInfoLayout): Uint8Array | null {
  const devMax = l.devBytes === 8 ? (1n << 64n) - 1n : 0xffffffffn;
  if (info.device > devMax || info.rdevice > devMax || info.offset > 0x7fffffffn) return null;
  const b = new Uint8Array(l.size);
  const v = new DataView(b.buffer);
  const dev = (at: number, x: bigint) => (l.devBytes === 8 ? v.setBigUint64(at, x, true) : v.setUint32(at, Number(x), true));
  v.setInt32(0, info.number, true);
  dev(l.device, info.device);
  v.setBigUint64(l.inode, info.inode, true);
  dev(l.rdevice, info.rdevice);
  v.setInt32(l.offset, Number(info.offset), true);
  v.setInt32(l.encryptType, info.encryptType, true);
  v.setInt32(l.encryptKeySize, info.encryptKeySize, true);
  v.setInt32(l.flags, info.flags, true);
  b.set(info.encryptType === LO_CRYPT_CRYPTOAPI ? info.cryptName : info.fileName, l.name);
  b.set(info.encryptKey, l.key);
  v.setBigUint64(l.init, info.init[0], true);
  v.setBigUint64(l.init + 8, info.init[1], true);
  return b;
}
