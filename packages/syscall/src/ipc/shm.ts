import { Errno, IPC, MAP, PAGE_SIZE, PROT, SHM } from '@tskern/abi';
import { mmap, munmap } from '@tskern/mman';
import { SysvShmSegment } from '@tskern/shmfs';
import type { Task } from '@tskern/tasks';
import { memoryLimits } from '../proc/rlimits';
import { ipcNamespace } from './ipc-namespace';
import {
  decodeShmidDsPerm, encodeShmidDs, encodeShmInfo, encodeShminfo, SHMID64_DS_SIZE, SHM_INFO_SIZE, SHMINFO64_SIZE,
} from './shmid-ds';

/** SHMLBA: attach addresses align to a page on x86-64 and riscv64 (asm-generic/shmparam.h; the riscv64 glibc's bits/shmlba.h says the same). */
const SHMLBA = PAGE_SIZE;
const S_IRUGO = 0o444;
const S_IWUGO = 0o222;
const S_IXUGO = 0o111;

/** shmget(2) (ipc/shm.c ksys_shmget → ipcget). */
export function sysShmget(task: Task, key: number, size: number, shmflg: number): number {
  return ipcNamespace(task).get(key, size, shmflg, { cred: task.cred, pid: task.pid });
}

/**
 * shmat(2) as do_shmat: the address is rounded down to SHMLBA with SHM_RND
 * (EINVAL unaligned without it, or rounded to 0 with SHM_REMAP); then the
 * id (EINVAL), ipcperms for read, write unless SHM_RDONLY, exec with
 * SHM_EXEC (EACCES); a given address must be free unless SHM_REMAP (EINVAL);
 * then a MAP_SHARED mapping of the segment's file, MAP_FIXED at a given
 * address. Every VMA of the segment counts in shm_nattch.
 */
export function sysShmat(task: Task, shmid: number, shmaddr: number, shmflg: number): number {
  let addr = shmaddr;
  let flags = MAP.MAP_SHARED;
  if (addr !== 0) {
    if (addr % SHMLBA !== 0) {
      if ((shmflg & SHM.SHM_RND) === 0) return -Errno.EINVAL;
      addr -= addr % SHMLBA;
      if (addr === 0 && (shmflg & SHM.SHM_REMAP) !== 0) return -Errno.EINVAL;
    }
    flags |= MAP.MAP_FIXED;
  } else if ((shmflg & SHM.SHM_REMAP) !== 0) {
    return -Errno.EINVAL;
  }
  const rdonly = (shmflg & SHM.SHM_RDONLY) !== 0;
  let prot = rdonly ? PROT.PROT_READ : PROT.PROT_READ | PROT.PROT_WRITE;
  let access = rdonly ? S_IRUGO : S_IRUGO | S_IWUGO;
  if ((shmflg & SHM.SHM_EXEC) !== 0) {
    prot |= PROT.PROT_EXEC;
    access |= S_IXUGO;
  }
  const ns = ipcNamespace(task);
  const segment = ns.lookup(shmid);
  if (segment === undefined) return -Errno.EINVAL;
  if (!ns.permits(segment, task.cred, access)) return -Errno.EACCES;
  if (!segment.live) return -Errno.EIDRM;
  const length = Math.ceil(segment.size / PAGE_SIZE) * PAGE_SIZE;
  if (addr !== 0 && (shmflg & SHM.SHM_REMAP) === 0) {
    if (addr + length > Number.MAX_SAFE_INTEGER || !task.mm.vmas.isFree(addr, addr + length)) return -Errno.EINVAL;
  }
  const limits = task.mm.defFlags !== 0 ? memoryLimits(task) : undefined;
  const source = { mappable: segment.mappable, identity: segment, readable: true, writable: !rdonly };
  const mapped = mmap(task.mm, addr, segment.size, prot, flags, source, 0, limits);
  if (mapped >= 0) segment.lpid = task.pid; // shm_open
  return mapped;
}

/** The VMAs shmdt unmaps: segment attaches whose offset equals their distance from `addr`. */
function isAttachAt(seg: { start: number; value: { backing: { identity: unknown } | null; offset: number } }, addr: number): boolean {
  const identity = seg.value.backing?.identity;
  return identity instanceof SysvShmSegment && seg.start - addr === seg.value.offset;
}

/**
 * shmdt(2) as ipc/shm.c ksys_shmdt: the first segment VMA at or above `addr`
 * that starts `offset` bytes after it (an attach made at `addr`), then every
 * further VMA of the same segment so placed within the segment's size; EINVAL
 * if there is none or `addr` is not page aligned.
 */
export function sysShmdt(task: Task, addr: number): number {
  if (addr % PAGE_SIZE !== 0) return -Errno.EINVAL;
  const ranges: [number, number][] = [];
  let segment: SysvShmSegment | null = null;
  let seg = task.mm.vmas.lowerBound(addr);
  for (; seg !== undefined; seg = task.mm.vmas.lowerBound(seg.end)) {
    if (isAttachAt(seg, addr)) {
      segment = seg.value.backing!.identity as SysvShmSegment;
      ranges.push([seg.start, seg.end]);
      seg = task.mm.vmas.lowerBound(seg.end);
      break;
    }
  }
  if (segment === null) return -Errno.EINVAL;
  const size = Math.ceil(segment.size / PAGE_SIZE) * PAGE_SIZE;
  for (; seg !== undefined && seg.end - addr <= size; seg = task.mm.vmas.lowerBound(seg.end)) {
    if (isAttachAt(seg, addr) && seg.value.backing!.identity === segment) ranges.push([seg.start, seg.end]);
  }
  segment.lpid = task.pid; // shm_close
  for (const [start, end] of ranges) munmap(task.mm, start, end - start);
  return 0;
}

/** shmctl(2) (ipc/shm.c ksys_shmctl): 64-bit Linux takes no IPC_64 bit, so any other cmd is EINVAL. */
export function sysShmctl(task: Task, shmid: number, cmd: number, buf: number): number {
  if (cmd < 0 || shmid < 0) return -Errno.EINVAL;
  const ns = ipcNamespace(task);
  const out = (bytes: Uint8Array, size: number): boolean => task.mem.copyOut(buf, bytes, 0, size) >= 0;
  switch (cmd) {
    case IPC.IPC_INFO:
      return out(encodeShminfo(ns), SHMINFO64_SIZE) ? Math.max(0, ns.maxIndex()) : -Errno.EFAULT;
    case SHM.SHM_INFO:
      return out(encodeShmInfo(ns), SHM_INFO_SIZE) ? Math.max(0, ns.maxIndex()) : -Errno.EFAULT;
    case IPC.IPC_STAT:
    case SHM.SHM_STAT:
    case SHM.SHM_STAT_ANY: {
      // SHM_STAT and SHM_STAT_ANY take a table index and answer the full id.
      const segment = cmd === IPC.IPC_STAT ? ns.lookup(shmid) : ns.atIndex(shmid);
      if (segment === undefined) return -Errno.EINVAL;
      if (cmd !== SHM.SHM_STAT_ANY && !ns.permits(segment, task.cred, S_IRUGO)) return -Errno.EACCES;
      if (!out(encodeShmidDs(segment), SHMID64_DS_SIZE)) return -Errno.EFAULT;
      return cmd === IPC.IPC_STAT ? 0 : segment.id;
    }
    case IPC.IPC_SET:
    case IPC.IPC_RMID: {
      let perm: { uid: number; gid: number; mode: number } | null = null;
      if (cmd === IPC.IPC_SET) {
        // copy_shmid_from_user comes first: EFAULT before EINVAL.
        const b = new Uint8Array(SHMID64_DS_SIZE);
        if (task.mem.copyIn(buf, b, 0, SHMID64_DS_SIZE) < 0) return -Errno.EFAULT;
        perm = decodeShmidDsPerm(b);
      }
      const segment = ns.lookup(shmid);
      if (segment === undefined) return -Errno.EINVAL;
      if (!ns.mayChange(segment, task.cred)) return -Errno.EPERM;
      if (perm !== null) ns.set(segment, perm.uid, perm.gid, perm.mode);
      else ns.remove(segment);
      return 0;
    }
    case SHM.SHM_LOCK:
    case SHM.SHM_UNLOCK: {
      const segment = ns.lookup(shmid);
      if (segment === undefined) return -Errno.EINVAL;
      // CAP_IPC_LOCK (memoryLimits' ipcLock), else the owner or creator, and for SHM_LOCK a nonzero RLIMIT_MEMLOCK (EPERM).
      const limits = memoryLimits(task);
      if (!limits.ipcLock) {
        if (task.cred.euid !== segment.uid && task.cred.euid !== segment.cuid) return -Errno.EPERM;
        if (cmd === SHM.SHM_LOCK && limits.memlock === 0) return -Errno.EPERM;
      }
      if (cmd === SHM.SHM_LOCK) segment.mode |= SHM.SHM_LOCKED;
      else segment.mode &= ~SHM.SHM_LOCKED;
      return 0;
    }
    default:
      return -Errno.EINVAL;
  }
}

/**
 * A task lets go of its address space (exit, execve): the attaches it holds
 * close, and shm_close makes the task the segments' last user (shm_lpid), as
 * the host shows for a child that exits while attached. (A task that shares
 * the space with another — a vfork child — sets it too, where Linux's close
 * waits for the last user.)
 */
export function noteShmRelease(task: Task): void {
  for (let seg = task.mm.vmas.first(); seg !== undefined; seg = task.mm.vmas.lowerBound(seg.end)) {
    const identity = seg.value.backing?.identity;
    if (identity instanceof SysvShmSegment) identity.lpid = task.pid;
  }
}
