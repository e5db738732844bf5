import { describe, expect, it } from 'vitest';
import { MAP, PROT, Signal, SYS } from '@tskern/abi';
import { store } from '@tskern/mman';
import {
  BUS_ADRERR, SEGV_ACCERR, SEGV_MAPERR, SIG, SignalSet, SIGACTION_X86_64, encodeSigaction, encodeSignalSet,
} from '@tskern/signal';
import type { Task } from '@tskern/tasks';
import { takeDeliverableSignal } from './deliver';
import { forceSigFault } from './force-fault';
import { signalWorld } from './testing/signal-world';

const K = 4096;

function catchSignal(w: ReturnType<typeof signalWorld>, t: Task, sig: number): void {
  const b = new Uint8Array(SIGACTION_X86_64.size);
  encodeSigaction({ handler: 0x7000, flags: 0, restorer: 0, mask: SignalSet.EMPTY }, b, SIGACTION_X86_64);
  const at = t.stack.end - 256;
  store(t.mm, at, b, 0, b.length);
  expect(w.sys(t.tid, SYS.rt_sigaction, sig, at, 0, 8)).toBe(0);
}

describe('synchronous faults', () => {
  it('deliver SIGSEGV with SEGV_ACCERR inside a VMA and SEGV_MAPERR outside, with si_addr', () => {
    const w = signalWorld();
    const p = w.spawn();
    catchSignal(w, p, SIG.SIGSEGV);
    const none = w.sys(p.tid, SYS.mmap, 0, K, PROT.PROT_NONE, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0);
    expect(forceSigFault(p, Signal.SIGSEGV, none + 12)).toBe(0);
    // @ts-expect-error only a memory signal (SIGSEGV, SIGBUS) is a fault, and a bare 11 is no signal
    const bare: Parameters<typeof forceSigFault>[1] = 11;
    expect(bare).toBe(Signal.SIGSEGV);
    expect(takeDeliverableSignal(p)).toMatchObject({ sig: SIG.SIGSEGV, info: { kind: 'fault', code: SEGV_ACCERR, addr: none + 12 } });
    expect(w.sys(p.tid, SYS.munmap, none, K)).toBe(0);
    forceSigFault(p, Signal.SIGSEGV, none);
    // the handler of the first fault still runs with SIGSEGV blocked: force_sig_fault unblocks it and resets the action
    expect(p.group.alive).toBe(false);
  });

  it('deliver SIGBUS with BUS_ADRERR to a handler', () => {
    const w = signalWorld();
    const p = w.spawn();
    catchSignal(w, p, SIG.SIGBUS);
    forceSigFault(p, Signal.SIGBUS, 0x5000);
    expect(takeDeliverableSignal(p)).toMatchObject({ sig: SIG.SIGBUS, info: { code: BUS_ADRERR, addr: 0x5000 } });
  });

  it('kill the process when the fault signal is blocked or ignored (force_sig_info_to_task)', () => {
    const w = signalWorld();
    const p = w.spawn();
    catchSignal(w, p, SIG.SIGSEGV);
    const set = new Uint8Array(8);
    encodeSignalSet(SignalSet.of(SIG.SIGSEGV), set);
    store(p.mm, p.stack.end - 128, set, 0, 8);
    expect(w.sys(p.tid, SYS.rt_sigprocmask, 0, p.stack.end - 128, 0, 8)).toBe(0);
    forceSigFault(p, Signal.SIGSEGV, 0x10);
    expect(p.group.alive).toBe(false);
    expect(p.group.waitStatus).toBe(SIG.SIGSEGV);
    const q = w.spawn();
    catchSignal(w, q, SIG.SIGSEGV);
    forceSigFault(q, Signal.SIGSEGV, 0x10);
    expect(takeDeliverableSignal(q)).toMatchObject({ info: { code: SEGV_MAPERR } });
  });
});
