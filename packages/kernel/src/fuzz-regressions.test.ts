import { describe, expect, it } from 'vitest';
import { Errno, O, SYS, TASK_SIZE } from '@tskern/abi';
import { createKernel, type Kernel } from './kernel';
import { encodeCString } from '@tskern/test-kit';

/** Raw-fuzzer findings (apps/fuzz), kept as regressions through the syscall layer. */
function cstr(k: Kernel, pid: number, text: string): number {
  const at = k.stack(pid).end - 4096;
  k.store(pid, at, encodeCString(text));
  return at;
}

describe('raw fuzzer regressions', () => {
  it('mincore over the whole address space answers EFAULT or ENOMEM, never allocates a huge vector', () => {
    const k = createKernel();
    k.registerProgram('/bin/a', {});
    const p = k.spawn('/bin/a');
    const vec = k.stack(p).end - 32768;
    expect(k.syscall(p, SYS.mincore, 0, TASK_SIZE, vec)).toBe(-Errno.EFAULT);
    expect(k.syscall(p, SYS.mincore, 0, TASK_SIZE, 0x10000)).toBe(-Errno.ENOMEM);
  });

  it('a cwd removed by another process stays a live inode for the process inside it', () => {
    const k = createKernel();
    k.registerProgram('/bin/a', {});
    const a = k.spawn('/bin/a');
    const b = k.spawn('/bin/a');
    expect(k.syscall(a, SYS.mkdir, cstr(k, a, '/d'), 0o700)).toBe(0);
    expect(k.syscall(b, SYS.chdir, cstr(k, b, '/d'))).toBe(0);
    expect(k.syscall(a, SYS.rmdir, cstr(k, a, '/d'))).toBe(0);
    const fd = k.syscall(b, SYS.open, cstr(k, b, '.'), O.O_RDONLY | O.O_DIRECTORY, 0);
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(k.syscall(b, SYS.getcwd, k.stack(b).end - 8192, 256)).toBe(-Errno.ENOENT);
    expect(k.syscall(b, SYS.close, fd)).toBe(0);
    expect(k.syscall(b, SYS.exit_group, 0)).toBe(0);
  });
});
