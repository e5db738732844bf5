import type { SysvShmNamespace, SysvShmSegment } from '@tskern/shmfs';

/**
 * struct shmid64_ds: the same 112 bytes on x86-64 (arch/x86/include/uapi/asm/shmbuf.h)
 * and riscv64 (asm-generic/shmbuf.h with a 32-bit __kernel_mode_t), measured
 * with offsetof on an x86-64 host: ipc64_perm key 0, uid 4, gid 8, cuid 12,
 * cgid 16, mode 20 (u32), seq 24 (u16), 48 bytes in all; then shm_segsz 48,
 * shm_atime 56, shm_dtime 64, shm_ctime 72, shm_cpid 80, shm_lpid 84,
 * shm_nattch 88 and two unused longs.
 */
export const SHMID64_DS_SIZE = 112;
/** struct shminfo64: shmmax, shmmin, shmmni, shmseg, shmall and four unused unsigned longs. */
export const SHMINFO64_SIZE = 72;
/** struct shm_info: int used_ids (padded to 8), then shm_tot, shm_rss, shm_swp, swap_attempts, swap_successes. */
export const SHM_INFO_SIZE = 48;
const IPCMNI = 32768;

/** shmid64_ds of `s` as IPC_STAT reports it (shm_perm.seq is the id's sequence part). */
export function encodeShmidDs(s: SysvShmSegment): Uint8Array {
  const b = new Uint8Array(SHMID64_DS_SIZE);
  const v = new DataView(b.buffer);
  v.setInt32(0, s.key, true);
  v.setUint32(4, s.uid, true);
  v.setUint32(8, s.gid, true);
  v.setUint32(12, s.cuid, true);
  v.setUint32(16, s.cgid, true);
  v.setUint32(20, s.mode, true);
  v.setUint16(24, Math.floor(s.id / IPCMNI) & 0xffff, true);
  v.setBigUint64(48, BigInt(s.size), true);
  v.setBigInt64(56, BigInt(s.atime), true);
  v.setBigInt64(64, BigInt(s.dtime), true);
  v.setBigInt64(72, BigInt(s.ctime), true);
  v.setInt32(80, s.cpid, true);
  v.setInt32(84, s.lpid, true);
  v.setBigUint64(88, BigInt(s.nattch), true);
  return b;
}

/** The fields IPC_SET takes from a shmid64_ds: shm_perm.uid, gid and mode. */
export function decodeShmidDsPerm(b: Uint8Array): { uid: number; gid: number; mode: number } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { uid: v.getUint32(4, true), gid: v.getUint32(8, true), mode: v.getUint32(20, true) };
}

/** IPC_INFO's shminfo64: the namespace's limits (SHMSEG is SHMMNI, as Linux reports it). */
export function encodeShminfo(ns: SysvShmNamespace): Uint8Array {
  const b = new Uint8Array(SHMINFO64_SIZE);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, ns.shmCtlMax, true);
  v.setBigUint64(8, 1n, true);
  v.setBigUint64(16, BigInt(ns.shmCtlMni), true);
  v.setBigUint64(24, BigInt(ns.shmCtlMni), true);
  v.setBigUint64(32, ns.shmCtlAll, true);
  return b;
}

/** SHM_INFO's shm_info: segments in use, their pages and resident pages; nothing is swapped. */
export function encodeShmInfo(ns: SysvShmNamespace): Uint8Array {
  const b = new Uint8Array(SHM_INFO_SIZE);
  const v = new DataView(b.buffer);
  const segments = ns.segments();
  v.setInt32(0, segments.length, true);
  v.setBigUint64(8, BigInt(ns.totalPages), true);
  v.setBigUint64(16, BigInt(segments.reduce((n, s) => n + s.residentPages(), 0)), true);
  return b;
}
