import { describe, expect, it } from 'vitest';
import { Errno, MAP, MAX_ARG_STRLEN, PROT, RLIMIT, SYS } from '@tskern/abi';
import { store } from '@tskern/mman';
import { world } from '../testing/world';

const MiB = 1024 * 1024;

/** A world whose task has `size` bytes of fresh anonymous memory at `base`, and helpers to lay out execve's arrays there. */
function setup(size = 4 * MiB) {
  const w = world();
  const base = w.sys(w.p.tid, SYS.mmap, 0, size, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0);
  expect(base).toBeGreaterThan(0);
  let next = base;
  const put = (bytes: Uint8Array): number => {
    const at = next;
    expect(store(w.p.mm, at, bytes, 0, bytes.length)).toBe(0);
    next += Math.ceil(bytes.length / 8) * 8;
    return at;
  };
  const text = (s: string) => put(new TextEncoder().encode(`${s}\0`));
  /** A NULL-terminated array of pointers to `strings`. */
  const array = (strings: readonly string[]): number => {
    const ptrs = strings.map(text);
    const b = new Uint8Array((ptrs.length + 1) * 8);
    const v = new DataView(b.buffer);
    ptrs.forEach((p, i) => v.setBigUint64(i * 8, BigInt(p), true));
    return put(b);
  };
  const path = text('/bin/p');
  const execve = (argv: readonly string[], envp: readonly string[] = []) => w.sys(w.p.tid, SYS.execve, path, array(argv), array(envp));
  /** setrlimit(RLIMIT_STACK) with soft and hard `bytes`. */
  const stackLimit = (bytes: number) => {
    const b = new Uint8Array(16);
    new DataView(b.buffer).setBigUint64(0, BigInt(bytes), true);
    new DataView(b.buffer).setBigUint64(8, BigInt(bytes), true);
    expect(w.sys(w.p.tid, SYS.setrlimit, RLIMIT.RLIMIT_STACK, put(b))).toBe(0);
  };
  return { w, put, array, path, execve, stackLimit };
}

/** The longest string execve takes: MAX_ARG_STRLEN with its NUL. */
const longest = 'x'.repeat(MAX_ARG_STRLEN - 1);

describe('execve argument space (fs/exec.c bprm_stack_limits, copy_strings)', () => {
  it('gives a quarter of the default 8 MiB RLIMIT_STACK: 2 MiB of strings and pointers', () => {
    // 15 of the longest strings (1.875 MiB) fit; 16 are 2 MiB of strings plus their pointers.
    const s = setup();
    expect(s.execve(new Array<string>(16).fill(longest))).toBe(-Errno.E2BIG);
    const fits = new Array<string>(15).fill(longest);
    expect(s.execve(fits)).toBe(0);
    expect(s.w.tasks.get(s.w.p.pid)!.group.argv).toHaveLength(15);
  });

  it('follows a lowered RLIMIT_STACK, but never below ARG_MAX (128 KiB)', () => {
    const s = setup();
    s.stackLimit(256 * 1024); // a quarter is 64 KiB: ARG_MAX's 128 KiB applies
    expect(s.execve([longest])).toBe(-Errno.E2BIG); // 128 KiB of string + 16 bytes of pointers
    expect(s.execve(['y'.repeat(100_000), 'z'.repeat(30_000)])).toBe(0);
  });

  it('counts the environment against the same space, and an empty argv as one pointer', () => {
    const s = setup();
    s.stackLimit(512 * 1024); // 128 KiB
    expect(s.execve([], [`A=${'a'.repeat(MAX_ARG_STRLEN - 3)}`])).toBe(-Errno.E2BIG);
    expect(s.execve(['p'], [`A=${'a'.repeat(MAX_ARG_STRLEN - 40)}`])).toBe(0);
  });

  it('refuses one string past MAX_ARG_STRLEN with E2BIG, whatever the limit', () => {
    const s = setup();
    s.stackLimit(1024 * MiB);
    expect(s.execve([`${longest}x`])).toBe(-Errno.E2BIG);
  });

  it('reads envp for a registered program too: a bad pointer is EFAULT', () => {
    const s = setup();
    const b = new Uint8Array(16);
    new DataView(b.buffer).setBigUint64(0, 8n, true); // a pointer into page zero
    expect(s.w.sys(s.w.p.tid, SYS.execve, s.path, s.array(['p']), s.put(b))).toBe(-Errno.EFAULT);
    expect(s.w.sys(s.w.p.tid, SYS.execve, s.path, s.array(['p']), 16)).toBe(-Errno.EFAULT);
  });
});
