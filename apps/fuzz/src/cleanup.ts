/**
 * End-of-run clean-up for leak checks: exit every process, then remove every
 * file and directory a run left behind (as root, through the syscall layer
 * only: open, getdents64, unlink, rmdir), so that the page cache of files that
 * are still linked no longer holds frames. After that, a kernel whose frame
 * allocator still has frames in use has leaked them.
 */
import { O, SYS } from '@tskern/abi';
import type { Kernel } from '@tskern/kernel';

const CLEANUP_PROGRAM = '/bin/fuzz-cleanup';
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const DT_DIR = 4;
const BUF = 32 * 1024;

/** exit_group every live process (children first is not needed: exit reparents). */
export function exitEverything(kernel: Kernel): void {
  for (let round = 0; round < 8; round++) {
    const live = [...kernel.tasks.tasks()].filter((p) => p.alive);
    if (live.length === 0) return;
    for (const p of live) kernel.syscall(p.tid, SYS.exit_group, 0);
  }
}

class RootShell {
  readonly pid: number;
  private readonly top: number;

  constructor(private readonly kernel: Kernel) {
    kernel.registerProgram(CLEANUP_PROGRAM, {});
    this.pid = kernel.spawn(CLEANUP_PROGRAM, { uid: 0, gid: 0 });
    if (this.pid < 0) throw new Error(`cleanup: spawn answered ${this.pid}`);
    this.top = kernel.stack(this.pid).end - 4096;
  }

  /** A C string at a fixed stack slot (one at a time is enough here). Names are bytes, not always UTF-8. */
  path(p: Uint8Array, slot = 0): number {
    const bytes = new Uint8Array(p.length + 1);
    bytes.set(p);
    const addr = this.top - (slot + 1) * 8192;
    if (this.kernel.store(this.pid, addr, bytes) !== 0) throw new Error('cleanup: cannot store a path');
    return addr;
  }

  list(dir: Uint8Array): { name: Uint8Array; type: number }[] {
    const k = this.kernel;
    const fd = k.syscall(this.pid, SYS.open, this.path(dir), O.O_RDONLY | O.O_DIRECTORY, 0);
    if (fd < 0) return [];
    const buf = this.top - 64 * 1024;
    const out: { name: Uint8Array; type: number }[] = [];
    try {
      for (;;) {
        const n = k.syscall(this.pid, SYS.getdents64, fd, buf, BUF);
        if (n <= 0) break;
        const bytes = new Uint8Array(n);
        if (k.load(this.pid, buf, bytes) !== 0) break;
        const view = new DataView(bytes.buffer);
        for (let off = 0; off < n; ) {
          const reclen = view.getUint16(off + 16, true);
          const type = bytes[off + 18]!;
          let end = off + 19;
          while (end < off + reclen && bytes[end] !== 0) end++;
          const name = bytes.slice(off + 19, end);
          const dot = name.length === 1 && name[0] === 0x2e;
          const dotdot = name.length === 2 && name[0] === 0x2e && name[1] === 0x2e;
          if (!dot && !dotdot) out.push({ name, type });
          if (reclen === 0) break;
          off += reclen;
        }
      }
    } finally {
      k.syscall(this.pid, SYS.close, fd);
    }
    return out;
  }

  removeTree(dir: Uint8Array, depth = 0): void {
    if (depth > 64) return;
    for (const e of this.list(dir)) {
      const p = new Uint8Array(dir.length + 1 + e.name.length);
      p.set(dir);
      let at = dir.length;
      if (!(dir.length === 1 && dir[0] === 0x2f)) p[at++] = 0x2f;
      p.set(e.name, at);
      const path = p.subarray(0, at + e.name.length);
      const text = decoder.decode(path);
      if (text === '/proc' || text === '/sys') continue;
      if (e.type === DT_DIR) {
        this.removeTree(path, depth + 1);
        this.kernel.syscall(this.pid, SYS.rmdir, this.path(path));
      } else {
        this.kernel.syscall(this.pid, SYS.unlink, this.path(path));
      }
    }
  }

  exit(): void {
    this.kernel.syscall(this.pid, SYS.exit_group, 0);
  }
}

/**
 * Exit every process and remove every file; returns the frames still in use
 * (0 unless something leaked).
 */
export function framesLeftAfterCleanup(kernel: Kernel): number {
  exitEverything(kernel);
  if (kernel.framesInUse() === 0) return 0;
  const sh = new RootShell(kernel);
  try {
    sh.removeTree(encoder.encode('/'));
  } finally {
    sh.exit();
  }
  return kernel.framesInUse();
}
