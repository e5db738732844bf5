import { SYS_RISCV64 } from '@tskern/abi';
import { SIGACTION_GENERIC, SignalSet, encodeSigaction } from '@tskern/signal';
import { RISCV64_RT_SIGFRAME, RV_A0, RV_PC, RV_SP, riscv64UserContext, type Riscv64UserContext } from '@tskern/syscall';
import { createKernel, type Kernel } from '../kernel';
import type { TaskRuntime } from '../runtime';

/** Where the test programs' handler and sigreturn trampoline are. */
export const HANDLER = 0x7000;
export const TRAMPOLINE = 0x7100;
/** The pc a call was issued from: past its `ecall` at 0x1_0000. */
export const AFTER_ECALL = 0x1_0004;

/** A riscv64 task as a CPU driver sees it: its pid, its register file, the top of its stack. */
export interface RvTask {
  readonly pid: number;
  readonly ctx: Riscv64UserContext;
  readonly top: number;
}

/** A kernel on a virtual clock whose tasks run as riscv64 with register contexts. */
export function rvKernel(): { k: Kernel; rt: TaskRuntime; spawn(): RvTask; adopt(pid: number): RvTask } {
  const k = createKernel({ clock: 'virtual' });
  k.registerProgram('/bin/rv', {});
  const adopt = (pid: number): RvTask => {
    const ctx = k.tasks.get(pid)!.userContext as Riscv64UserContext;
    return { pid, ctx, top: k.stack(pid).end };
  };
  const spawn = (): RvTask => {
    const pid = k.spawn('/bin/rv', { arch: 'riscv64' });
    const ctx = riscv64UserContext(TRAMPOLINE);
    ctx.regs[RV_SP] = BigInt(k.stack(pid).end - 16 * 1024);
    ctx.regs[RV_PC] = BigInt(AFTER_ECALL);
    k.tasks.get(pid)!.userContext = ctx;
    return { pid, ctx, top: k.stack(pid).end };
  };
  return { k, rt: k.runtime, spawn, adopt };
}

/** The CPU issuing a call: the arguments are in a0..a5 (a0 matters for restarts), then the kernel runs it. */
export function ecall(rt: TaskRuntime, t: RvTask, nr: number, ...args: number[]): ReturnType<TaskRuntime['syscall']> {
  t.ctx.regs[RV_A0] = BigInt.asUintN(64, BigInt(args[0] ?? 0));
  t.ctx.regs[RV_PC] = BigInt(AFTER_ECALL);
  return rt.syscall(t.pid, nr, ...args);
}

/** rt_sigaction(sig, {HANDLER, flags}) through the kernel. */
export function catchSignal(k: Kernel, t: RvTask, sig: number, flags: number): void {
  const act = new Uint8Array(SIGACTION_GENERIC.size);
  encodeSigaction({ handler: HANDLER, flags, restorer: 0, mask: SignalSet.EMPTY }, act, SIGACTION_GENERIC);
  const at = t.top - 512;
  k.store(t.pid, at, act);
  const r = k.syscall(t.pid, SYS_RISCV64.rt_sigaction, sig, at, 0, 8);
  if (r !== 0) throw new Error(`rt_sigaction: ${r}`);
}

/** Register `i` (0 = pc) as the handler frame on the task's stack saved it. */
export function savedRegister(k: Kernel, t: RvTask, i: number): bigint {
  const b = new Uint8Array(8);
  k.load(t.pid, Number(t.ctx.regs[RV_SP]) + RISCV64_RT_SIGFRAME.regs + 8 * i, b);
  return new DataView(b.buffer).getBigUint64(0, true);
}

/** Run the scheduler until it hands out `tid`; every other task handed out is preempted. */
export function runUntil(rt: TaskRuntime, tid: number): ReturnType<TaskRuntime['next']> {
  for (let i = 0; i < 100; i++) {
    const d = rt.next();
    if (d.kind !== 'run') throw new Error(`expected task ${tid} to run, got ${d.kind}`);
    if (d.tid === tid) return d;
    rt.preempt(d.tid);
  }
  throw new Error(`task ${tid} never ran`);
}

export function int32(k: Kernel, pid: number, at: number): number {
  const b = new Uint8Array(4);
  k.load(pid, at, b);
  return new DataView(b.buffer).getInt32(0, true);
}
