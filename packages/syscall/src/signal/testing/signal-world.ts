import { Errno } from '@tskern/abi';
import { FileMappingRegistry } from '@tskern/file-mapping';
import { memoryOptions, standaloneSharedAnonymous } from '@tskern/mman';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { RamFs } from '@tskern/ramfs';
import { SignalActions } from '@tskern/signal';
import { TaskTable, type Task } from '@tskern/tasks';
import { Credentials, Vfs } from '@tskern/vfs';
import { x86_64Personality } from '../../arch/x86-64';
import { riscv64Personality } from '../../arch/riscv64';
import type { Block, SyscallReturn } from '../../block';
import { SyscallDispatcher } from '../../dispatcher';
import { provideBlockingServices } from '../../blocking/services';
import { signalFutexHooks } from '../../lifecycle-hooks';
import { signalHostOf } from '../signal-host';

/** A virtual clock and timer list a test advances by hand. */
export class TestTime {
  now = 1_000_000_000;
  private timers: { at: number; fire: () => void; live: boolean }[] = [];
  monotonicNs(): number {
    return this.now;
  }
  realtimeNs(): bigint {
    return 1_700_000_000_000_000_000n + BigInt(this.now);
  }
  addTimer(at: number, fire: () => void): unknown {
    const t = { at, fire, live: true };
    this.timers.push(t);
    return t;
  }
  cancelTimer(handle: unknown): boolean {
    const t = handle as { live: boolean };
    const was = t.live;
    t.live = false;
    return was;
  }
  /** Move time forward, firing due timers in order. */
  advance(ns: number): void {
    const end = this.now + ns;
    for (;;) {
      const due = this.timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      due.live = false;
      this.now = Math.max(this.now, due.at);
      due.fire();
    }
    this.now = end;
  }
}

/** A kernel of tasks and syscalls with signal action tables, a test clock and timers. */
export function signalWorld() {
  const frames = new ArenaFrameAllocator({ frames: 2048 });
  const vfs = new Vfs(new RamFs({ frames }), { mappingIdentities: new FileMappingRegistry() });
  const tasks = new TaskTable({
    memory: memoryOptions(frames, standaloneSharedAnonymous(frames)),
    vfs,
    newSignalActions: () => new SignalActions(),
    hooks: signalFutexHooks,
  });
  tasks.registerProgram('/bin/p', { stackSize: 16 * 4096 });
  const x86 = x86_64Personality();
  const rv = riscv64Personality();
  const dispatcher = new SyscallDispatcher(tasks, [x86, rv]);
  const time = new TestTime();
  provideBlockingServices(tasks, { clock: time });
  const interrupted: Task[] = [];
  const host = signalHostOf(tasks);
  host.timers = time;
  host.interrupt = (t) => interrupted.push(t);
  const call = (tid: number, nr: number, ...args: (number | bigint)[]): SyscallReturn => dispatcher.call(tid, nr, ...args);
  const sys = (tid: number, nr: number, ...args: (number | bigint)[]): number => {
    const r = call(tid, nr, ...args);
    if (typeof r !== 'object') return Number(r);
    r.cancel();
    return -Errno.EAGAIN;
  };
  const spawn = (uid = 1000, abi = x86.abi): Task => {
    const t = tasks.spawn('/bin/p', { cred: new Credentials(uid, uid), abi });
    if (typeof t === 'number') throw new Error(`spawn: ${t}`);
    return t;
  };
  return { tasks, dispatcher, call, sys, spawn, time, interrupted, x86, rv };
}

/** A call that must block, as its Block. */
export function asBlock(r: SyscallReturn): Block {
  if (typeof r !== 'object') throw new Error(`expected a Block, got ${r}`);
  return r;
}
