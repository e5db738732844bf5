import { O, SYS } from '@tskern/abi';
import { createKernel, type Kernel } from '../kernel';
import { readProcessFile } from './read-file';

const enc = new TextEncoder();

/**
 * One root process on a fresh kernel, driven by system calls, with the
 * strings it passes copied onto its stack (from 300 KB below the top,
 * upward, each once): the setup the mount and cgroup tests share.
 */
export class ProcessWorld {
  readonly k: Kernel = createKernel();
  readonly pid: number;
  private next: number;

  constructor() {
    this.k.registerProgram('/bin/app', {});
    this.pid = this.k.spawn('/bin/app', { uid: 0, gid: 0 });
    this.next = this.k.stack(this.pid).end - 300_000;
  }

  /** A NUL-terminated copy of `text` in the process's memory (0 for null). */
  s(text: string | null): number {
    if (text === null) return 0;
    const at = this.next;
    this.k.store(this.pid, at, enc.encode(text + '\0'));
    this.next += text.length + 1;
    return at;
  }

  sys(nr: number, ...args: number[]): number {
    return this.k.syscall(this.pid, nr, ...args);
  }

  /** The whole of `path` as the process reads it (`open: -errno` when it cannot open it). */
  read(path: string): string {
    return readProcessFile(this.k, this.pid, path, 4096);
  }

  /** open, one write of `text`, close: the write's count, or the open's -errno. */
  write(path: string, text: string): number {
    const fd = this.sys(SYS.open, this.s(path), O.O_WRONLY, 0);
    if (fd < 0) return fd;
    const n = this.sys(SYS.write, fd, this.s(text), text.length);
    this.sys(SYS.close, fd);
    return n;
  }
}
