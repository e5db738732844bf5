import { readFileSync } from 'node:fs';
import { Errno, O, SYS_RISCV64 as SYS } from '@tskern/abi';
import { ET_DYN, PT, writeElf } from '@tskern/elf';
import { SA, SIG, SIGACTION_GENERIC, SignalSet, encodeSigaction } from '@tskern/signal';
import { RV_PC, RV_SP, isRiscv64UserContext } from '@tskern/syscall';
import { describe, expect, it } from 'vitest';
import { createKernel, type Kernel } from '../kernel';

const tinyStatic = new Uint8Array(readFileSync(new URL('../../../elf/fixtures/tiny-static', import.meta.url)));
const encoder = new TextEncoder();

function put(k: Kernel, path: string, bytes: Uint8Array, mode = 0o755): void {
  const root = k.vfs.kernelTask();
  const f = k.vfs.open(root, path, O.O_WRONLY | O.O_CREAT, mode);
  if (typeof f === 'number') throw new Error(`open ${path}: ${f}`);
  f.write(bytes, 0, bytes.length);
  f.decRef();
}

/** A riscv64 process of a registered image, and a helper placing strings and pointer arrays on its stack. */
function caller(k: Kernel) {
  k.registerProgram('/sbin/init', {});
  const pid = k.spawn('/sbin/init', { arch: 'riscv64' });
  let at = k.stack(pid).end - 0x4000;
  const place = (bytes: Uint8Array): number => {
    const addr = at;
    k.store(pid, addr, bytes);
    at += Math.ceil((bytes.length + 1) / 8) * 8;
    return addr;
  };
  const str = (s: string): number => place(encoder.encode(`${s}\0`));
  const array = (items: readonly string[]): number => {
    const words = new BigUint64Array(items.length + 1);
    items.forEach((s, i) => (words[i] = BigInt(str(s))));
    return place(new Uint8Array(words.buffer));
  };
  return { pid, str, array };
}

function u64(k: Kernel, pid: number, addr: number): number {
  const b = new Uint8Array(8);
  expect(k.load(pid, addr, b)).toBe(0);
  return Number(new DataView(b.buffer).getBigUint64(0, true));
}

function cString(k: Kernel, pid: number, addr: number): string {
  const b = new Uint8Array(256);
  k.load(pid, addr, b);
  return new TextDecoder().decode(b.subarray(0, b.indexOf(0)));
}

describe('execve of an ELF file through the kernel', () => {
  it('starts the program at its entry with argv, envp and the auxiliary vector on the stack', () => {
    const k = createKernel();
    put(k, '/tiny', tinyStatic);
    const { pid, str, array } = caller(k);
    expect(k.runtime.syscall(pid, SYS.execve, str('/tiny'), array(['tiny', 'one']), array(['HOME=/', 'X=y']))).toBe(0);
    const task = k.tasks.get(pid)!;
    const ctx = task.userContext;
    if (!isRiscv64UserContext(ctx)) throw new Error('no riscv64 context');
    expect(ctx.regs[RV_PC]).toBe(0x10120n);
    expect(ctx.regs.filter((_r, i) => i !== RV_PC && i !== RV_SP).every((r) => r === 0n)).toBe(true);
    const sp = Number(ctx.regs[RV_SP]);
    expect(sp % 16).toBe(0);
    expect(u64(k, pid, sp)).toBe(2);
    expect(cString(k, pid, u64(k, pid, sp + 8))).toBe('tiny');
    expect(cString(k, pid, u64(k, pid, sp + 16))).toBe('one');
    expect(u64(k, pid, sp + 24)).toBe(0);
    expect(cString(k, pid, u64(k, pid, sp + 32))).toBe('HOME=/');
    expect(cString(k, pid, u64(k, pid, sp + 40))).toBe('X=y');
    expect(u64(k, pid, sp + 48)).toBe(0);
    const auxv = new Map<number, number>();
    for (let p = sp + 56; ; p += 16) {
      const type = u64(k, pid, p);
      if (type === 0) break;
      auxv.set(type, u64(k, pid, p + 8));
    }
    expect(auxv.get(3)).toBe(0x10040); // AT_PHDR: e_phoff 0x40 in the PT_LOAD at 0x10000
    expect(auxv.get(4)).toBe(56); // AT_PHENT
    expect(auxv.get(5)).toBe(4); // AT_PHNUM
    expect(auxv.get(6)).toBe(4096); // AT_PAGESZ
    expect(auxv.get(7)).toBe(0); // AT_BASE: no interpreter
    expect(auxv.get(9)).toBe(0x10120); // AT_ENTRY
    expect([11, 12, 13, 14, 23].map((t) => auxv.get(t))).toEqual([0, 0, 0, 0, 0]); // AT_UID, EUID, GID, EGID, SECURE
    expect(auxv.get(16)).toBe(0x112d); // AT_HWCAP: rv64imafdc
    expect(auxv.get(17)).toBe(100); // AT_CLKTCK
    expect(auxv.get(25)).toBeGreaterThan(sp); // AT_RANDOM on the stack
    expect(cString(k, pid, auxv.get(31)!)).toBe('/tiny'); // AT_EXECFN
    expect(task.group.exePath).toBe('/tiny');
    expect(task.group.program).toBe('/tiny');
  });

  it('puts the heap after the image, and a growing stack at the top of Sv39 user space', () => {
    const k = createKernel();
    put(k, '/tiny', tinyStatic);
    const { pid, str } = caller(k);
    expect(k.runtime.syscall(pid, SYS.execve, str('/tiny'), 0, 0)).toBe(0);
    // The data segment ends at 0x11170 + memsz; brk(0) answers the page after it.
    expect(k.runtime.syscall(pid, SYS.brk, 0)).toBe(0x14000);
    expect(k.stack(pid).end).toBe(0x40_0000_0000);
    // setup_arg_pages: the strings' page plus stack_expand (128 KiB); it grows down from there.
    expect(k.stack(pid).end - k.stack(pid).start).toBe(4096 + 128 * 1024);
    const below = k.stack(pid).start - 64 * 4096;
    expect(k.store(pid, below, new Uint8Array([1]))).toBe(0);
  });

  it('closes close-on-exec descriptors, resets caught signals and ends the other threads', () => {
    const k = createKernel();
    put(k, '/tiny', tinyStatic);
    const { pid, str } = caller(k);
    const task = k.tasks.get(pid)!;
    expect(k.runtime.syscall(pid, SYS.openat, -100, str('/tiny'), O.O_RDONLY | O.O_CLOEXEC)).toBe(0);
    expect(k.runtime.syscall(pid, SYS.openat, -100, str('/tiny'), O.O_RDONLY)).toBe(1);
    const act = new Uint8Array(SIGACTION_GENERIC.size);
    encodeSigaction({ handler: 0x7000, flags: SA.SA_SIGINFO, restorer: 0, mask: SignalSet.EMPTY }, act, SIGACTION_GENERIC);
    const actAddr = str('x'.repeat(act.length));
    k.store(pid, actAddr, act);
    expect(k.runtime.syscall(pid, SYS.rt_sigaction, SIG.SIGUSR1, actAddr, 0, 8)).toBe(0);
    const thread = k.tasks.clone(task, { flags: 0x00010900 /* CLONE_VM | CLONE_SIGHAND | CLONE_THREAD */, exitSignal: 0 });
    if (typeof thread === 'number') throw new Error('clone');
    expect(k.runtime.syscall(pid, SYS.execve, str('/tiny'), 0, 0)).toBe(0);
    expect(task.files.get(0)).toBeNull();
    expect(task.files.get(1)).not.toBeNull();
    expect(task.sighand.get(SIG.SIGUSR1).handler).toBe(0);
    expect(thread.alive).toBe(false);
  });

  it('an error before the point of no return leaves the old image', () => {
    const k = createKernel();
    put(k, '/text', encoder.encode('#not a script\n'));
    put(k, '/notx', tinyStatic, 0o644);
    const { pid, str, array } = caller(k);
    const mm = k.tasks.get(pid)!.mm;
    expect(k.runtime.syscall(pid, SYS.execve, str('/text'), 0, 0)).toBe(-Errno.ENOEXEC);
    expect(k.runtime.syscall(pid, SYS.execve, str('/notx'), 0, 0)).toBe(-Errno.EACCES);
    expect(k.runtime.syscall(pid, SYS.execve, str('/tiny-missing'), 0, 0)).toBe(-Errno.ENOENT);
    // The file is opened before argv is read: a bad argv pointer is EFAULT only for a file that exists.
    expect(k.runtime.syscall(pid, SYS.execve, str('/text'), 8, 0)).toBe(-Errno.EFAULT);
    expect(k.runtime.syscall(pid, SYS.execve, str('/text'), array(['a']), 8)).toBe(-Errno.EFAULT);
    expect(k.tasks.get(pid)!.mm).toBe(mm);
    expect(k.isAlive(pid)).toBe(true);
  });

  it('a failure past the point of no return kills the process with SIGSEGV', () => {
    // An ET_DYN without PT_LOAD passes every check, then load_elf_binary fails (-EINVAL): force_fatal_sig.
    const k = createKernel();
    put(k, '/empty-dyn', writeElf({ type: ET_DYN, entry: 0, phdrs: [{ type: PT.PT_NOTE, flags: 0, offset: 0, vaddr: 0, filesz: 0 }] }));
    const { pid, str } = caller(k);
    const group = k.tasks.group(pid)!;
    expect(k.runtime.syscall(pid, SYS.execve, str('/empty-dyn'), 0, 0)).toBe(0);
    expect(k.isAlive(pid)).toBe(false);
    expect(group.killedBy).toBe(11);
  });
});
