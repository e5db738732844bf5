import { CLONE } from '@tskern/abi';
import { memoryOptions, standaloneSharedAnonymous } from '@tskern/mman';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { RamFs } from '@tskern/ramfs';
import { SIGACTION_X86_64 } from '@tskern/signal';
import { Credentials, Vfs } from '@tskern/vfs';
import type { ArchAbi } from '../arch-abi';
import type { Task } from '../task';
import { TaskTable, type ProgramImage, type TaskTableOptions } from '../task-table';

/** An architecture for tests: only what the task table asks of it. */
export const testAbi: ArchAbi = {
  name: 'test',
  encodeStat: () => new Uint8Array(0),
  sigactionLayout: SIGACTION_X86_64,
  cloneRegisters: (flags, stack, parentTid, childTid, tls) => ({ flags, stack, parentTid, childTid, tls }),
};

/** clone's flags for a thread: every part shared, in the caller's thread group. */
export const THREAD = CLONE.CLONE_VM | CLONE.CLONE_FS | CLONE.CLONE_FILES | CLONE.CLONE_SIGHAND | CLONE.CLONE_THREAD;

/** How a test's task table is built. */
export interface TestTableOptions {
  /** Frames of the arena (default 1024). */
  readonly frames?: number;
  /** The image of `/bin/p`, the one program registered (default: a 16 KiB stack). */
  readonly program?: ProgramImage;
  /** The file system (default: a RAM file system over the same frames). */
  readonly vfs?: (frames: ArenaFrameAllocator) => Vfs;
  readonly hooks?: TaskTableOptions['hooks'];
}

/** A task table over an arena of frames and a RAM file system, with `/bin/p` registered. */
export function testTable(options: TestTableOptions = {}): { t: TaskTable; frames: ArenaFrameAllocator } {
  const frames = new ArenaFrameAllocator({ frames: options.frames ?? 1024 });
  const vfs = options.vfs?.(frames) ?? new Vfs(new RamFs({ frames }));
  const hooks = options.hooks === undefined ? {} : { hooks: options.hooks };
  const t = new TaskTable({ memory: memoryOptions(frames, standaloneSharedAnonymous(frames)), vfs, ...hooks });
  t.registerProgram('/bin/p', options.program ?? { stackSize: 16 * 1024 });
  return { t, frames };
}

/** `/bin/p` spawned with `cred` (default uid and gid 1000) and the test architecture; a failure throws. */
export function spawnP(t: TaskTable, cred = new Credentials(1000, 1000), cwd?: string): Task {
  const task = t.spawn('/bin/p', { cred, abi: testAbi, ...(cwd === undefined ? {} : { cwd }) });
  if (typeof task === 'number') throw new Error(`spawn: ${task}`);
  return task;
}
