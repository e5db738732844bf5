import { O, SYS } from '@tskern/abi';
import type { Kernel } from '../kernel';

/**
 * A whole file as process `pid` reads it through open/read/close, `chunk`
 * bytes a read, with the path and buffer on its stack (the path 4 KiB and
 * the buffer 64 KiB below its top); `open: -errno` when it cannot be opened.
 */
export function readProcessFile(k: Kernel, pid: number, path: string, chunk = 4000): string {
  const { end } = k.stack(pid);
  const pathAt = end - 4096;
  k.store(pid, pathAt, new TextEncoder().encode(path + '\0'));
  const fd = k.syscall(pid, SYS.open, pathAt, 0, 0);
  if (fd < 0) return `open: ${fd}`;
  const bufAt = end - 65536;
  let text = '';
  for (;;) {
    const n = k.syscall(pid, SYS.read, fd, bufAt, chunk);
    if (n <= 0) break;
    const bytes = new Uint8Array(n);
    k.load(pid, bufAt, bytes);
    text += new TextDecoder().decode(bytes);
  }
  k.syscall(pid, SYS.close, fd);
  return text;
}

/**
 * `text` as a NUL-terminated string on process `pid`'s stack, in one of
 * the 512-byte slots from 4 KiB below its top downward: its address.
 */
export function stackString(k: Kernel, pid: number, text: string, slot = 0): number {
  const at = k.stack(pid).end - 4096 - slot * 512;
  k.store(pid, at, new TextEncoder().encode(text + '\0'));
  return at;
}

/** open(O_WRONLY), one write of `text`, close, as process `pid`: the count, or the open's -errno. */
export function writeProcessFile(k: Kernel, pid: number, path: string, text: string): number {
  const fd = k.syscall(pid, SYS.open, stackString(k, pid, path), O.O_WRONLY, 0);
  if (fd < 0) return fd;
  const n = k.syscall(pid, SYS.write, fd, stackString(k, pid, text, 1), text.length);
  k.syscall(pid, SYS.close, fd);
  return n;
}
