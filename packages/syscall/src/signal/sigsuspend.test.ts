import { Errno, SYS_RISCV64 } from '@tskern/abi';
import { store } from '@tskern/mman';
import { SA, SIG, SIGACTION_GENERIC, SignalSet, encodeSigaction, encodeSignalSet, userSigInfo } from '@tskern/signal';
import { describe, expect, it } from 'vitest';
import { isBlock } from '../block';
import { riscv64Abi } from '../arch/riscv64';
import { RV_A0, RV_PC, RV_SP, riscv64UserContext, type Riscv64UserContext } from '../arch/riscv64-signal-frame';
import { handleSignal } from './handle-signal';
import { sendSignal } from './send-signal';
import { blockedOf } from './signal-state';
import { signalWorld } from './testing/signal-world';

describe('rt_sigsuspend', () => {
  it('waits with a temporary mask; the handler frame saves the old one and rt_sigreturn restores it', () => {
    const w = signalWorld();
    const p = w.spawn(1000, riscv64Abi);
    const ctx = riscv64UserContext(0x7100);
    ctx.regs[RV_SP] = BigInt(p.stack.end - 4096);
    ctx.regs[RV_PC] = 0x1_0000n;
    p.userContext = ctx;
    const scratch = p.stack.end - 256;
    const act = new Uint8Array(SIGACTION_GENERIC.size);
    encodeSigaction({ handler: 0x7000, flags: SA.SA_SIGINFO, restorer: 0, mask: SignalSet.EMPTY }, act, SIGACTION_GENERIC);
    store(p.mm, scratch, act, 0, act.length);
    expect(w.sys(p.tid, SYS_RISCV64.rt_sigaction, SIG.SIGUSR1, scratch, 0, 8)).toBe(0);
    const old = SignalSet.EMPTY.add(SIG.SIGUSR1);
    p.sigmask = old;

    const temp = new Uint8Array(8);
    encodeSignalSet(SignalSet.EMPTY.add(SIG.SIGUSR2), temp);
    store(p.mm, scratch, temp, 0, 8);
    expect(w.sys(p.tid, SYS_RISCV64.rt_sigsuspend, scratch, 4)).toBe(-Errno.EINVAL);
    const r = w.call(p.tid, SYS_RISCV64.rt_sigsuspend, scratch, 8);
    expect(isBlock(r)).toBe(true);
    if (!isBlock(r)) return;
    expect(blockedOf(p).has(SIG.SIGUSR1)).toBe(false);
    expect(blockedOf(p).has(SIG.SIGUSR2)).toBe(true);
    expect(r.retry()).toBe(r);

    sendSignal(p, userSigInfo(SIG.SIGUSR1, 1, 1000), true);
    expect(r.retry()).toBe(-Errno.EINTR);
    ctx.regs[RV_A0] = BigInt.asUintN(64, BigInt(-Errno.EINTR));
    expect(handleSignal(p)).toBe(SIG.SIGUSR1);
    // While the handler runs: the temporary mask plus the signal itself.
    expect(blockedOf(p).has(SIG.SIGUSR2)).toBe(true);
    expect(blockedOf(p).has(SIG.SIGUSR1)).toBe(true);
    expect(w.sys(p.tid, SYS_RISCV64.rt_sigreturn)).toBe(-Errno.EINTR);
    expect(blockedOf(p).has(SIG.SIGUSR1)).toBe(true);
    expect(blockedOf(p).has(SIG.SIGUSR2)).toBe(false);
    expect((p.userContext as Riscv64UserContext).regs[RV_PC]).toBe(0x1_0000n);
    expect(p.savedSigmask).toBe(null);
  });
});
