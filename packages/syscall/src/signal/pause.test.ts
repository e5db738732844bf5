import { Errno, SYS, SYS_RISCV64 } from '@tskern/abi';
import { store } from '@tskern/mman';
import { SIG, SIGACTION_X86_64, SignalSet, encodeSigaction } from '@tskern/signal';
import { describe, expect, it } from 'vitest';
import { isBlock } from '../block';
import { interruptBlockedCall } from './interrupt';
import { signalWorld } from './testing/signal-world';

describe('pause', () => {
  it('sleeps until alarm() delivers SIGALRM to a handler, then answers EINTR', () => {
    const w = signalWorld();
    const p = w.spawn();
    const act = new Uint8Array(SIGACTION_X86_64.size);
    encodeSigaction({ handler: 0x7000, flags: 0, restorer: 0, mask: SignalSet.EMPTY }, act, SIGACTION_X86_64);
    const at = p.stack.end - 256;
    store(p.mm, at, act, 0, act.length);
    expect(w.sys(p.tid, SYS.rt_sigaction, SIG.SIGALRM, at, 0, 8)).toBe(0);
    expect(w.sys(p.tid, SYS.alarm, 2)).toBe(0);
    const r = w.call(p.tid, SYS.pause);
    expect(isBlock(r)).toBe(true);
    if (!isBlock(r)) return;
    expect(r.retry()).toBe(r);
    w.time.advance(1_999_999_999);
    expect(r.retry()).toBe(r);
    w.time.advance(1);
    expect(w.interrupted).toContain(p);
    expect(interruptBlockedCall(p, r)).toBe(-Errno.EINTR);
    expect(p.group.alive).toBe(true);
  });

  it('is not in the riscv64 table (asm-generic has no pause)', () => {
    expect('pause' in SYS_RISCV64).toBe(false);
  });
});
