import { Errno } from '@tskern/abi';
import { accessOk, copyOutPartial, int } from './args';
import type { Task } from '@tskern/tasks';

/**
 * `struct linux_dirent64` (include/linux/dirent.h): u64 d_ino, s64 d_off,
 * u16 d_reclen, u8 d_type, then the NUL-terminated name, the record padded
 * to 8 bytes. (Not in @tskern/abi yet.)
 */
export const DIRENT64 = { d_ino: 0, d_off: 8, d_reclen: 16, d_type: 18, d_name: 19, align: 8 } as const;

/** Most bytes one call gathers (a larger buffer just gets fewer entries than Linux would give). */
const MAX_BATCH = 256 * 1024;

function recordLength(nameLength: number): number {
  const raw = DIRENT64.d_name + nameLength + 1;
  return Math.ceil(raw / DIRENT64.align) * DIRENT64.align;
}

/**
 * getdents64(2): as many entries as fit, from the directory position on.
 * EBADF (O_PATH too), EFAULT for a bad buffer, ENOTDIR for a non-directory,
 * EINVAL when not even the first entry fits. A fault part-way returns the
 * entries copied before it, and the position stays after the last of them.
 */
export function sysGetdents64(task: Task, fd: number, dirp: number, count: number): number {
  const file = task.files.get(int(fd));
  if (file === null || file.isPathOnly) return -Errno.EBADF;
  if (!accessOk(dirp, count)) return -Errno.EFAULT;
  const room = Math.min(count, MAX_BATCH);
  const buf = new Uint8Array(room);
  const view = new DataView(buf.buffer);
  const ends: { end: number; next: number }[] = [];
  const start = file.pos;
  let used = 0;
  let tooSmall = false;
  const err = file.iterateDir((name, ino, type, next) => {
    const reclen = recordLength(name.length);
    if (used + reclen > room) {
      tooSmall = used === 0;
      return false;
    }
    view.setBigUint64(used + DIRENT64.d_ino, BigInt(ino), true);
    view.setBigInt64(used + DIRENT64.d_off, BigInt(next), true);
    view.setUint16(used + DIRENT64.d_reclen, reclen, true);
    view.setUint8(used + DIRENT64.d_type, type);
    for (let i = 0; i < name.length; i++) buf[used + DIRENT64.d_name + i] = name.charCodeAt(i) & 0xff;
    used += reclen;
    ends.push({ end: used, next });
    return true;
  }, task);
  if (err < 0) return err;
  if (tooSmall) return -Errno.EINVAL;
  const copied = copyOutPartial(task.mem, dirp, buf, 0, used);
  if (copied === used) return used;
  // Keep only the records that reached the caller.
  let kept = 0;
  let pos = start;
  for (const e of ends) {
    if (e.end > copied) break;
    kept = e.end;
    pos = e.next;
  }
  file.pos = pos;
  return kept > 0 ? kept : -Errno.EFAULT;
}
