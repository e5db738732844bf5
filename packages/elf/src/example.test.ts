import { Errno } from '@tskern/abi';
import { expect, it } from 'vitest';
import {
  EM_RISCV, ET_EXEC, ExecArgs, FakeExecMemory, PF, PT, RISCV64_SV39_LAYOUT as RV,
  applyElfLoadPlan, buildInitialStack, bytesFile, planElfLoad, resolveExec, writeElf,
  type ExecFile, type LoadedElf, type ResolvedExec,
} from './index';

// The README's example, kept running.
it('runs the README example: a #! script over a static riscv64 program', () => {
  const program = writeElf({
    type: ET_EXEC, entry: 0x10078, phdrs: [
      { type: PT.PT_LOAD, flags: PF.PF_R | PF.PF_X, offset: 0, vaddr: 0x10000, filesz: 0x200 },
      { type: PT.PT_LOAD, flags: PF.PF_R | PF.PF_W, offset: 0x200, vaddr: 0x11200, filesz: 0x10, memsz: 0x2000 },
    ],
  });
  const files: Record<string, Uint8Array> = { '/bin/app': program, '/usr/bin/run': new TextEncoder().encode('#!/bin/app -v\n') };
  const open = (path: string): ExecFile<string> | number => (files[path] ? bytesFile(files[path], path) : -Errno.ENOENT);

  const args = ExecArgs.collect('/usr/bin/run', ['run', 'x'], ['HOME=/'], 8 << 20) as ExecArgs;
  const found = resolveExec(open('/usr/bin/run') as ExecFile<string>, '/usr/bin/run', args, EM_RISCV, open) as ResolvedExec<string>;
  // The point of no return: from here a failure kills the process.
  const plan = planElfLoad(found.elf, RV);
  if ('kind' in plan) throw new Error(`fatal ${plan.errno}`);
  const memory = new FakeExecMemory();
  const loaded = applyElfLoadPlan(plan, memory, RV) as LoadedElf;
  const stack = buildInitialStack(found.args, { ...loaded, hwcap: 0, uid: 0, euid: 0, gid: 0, egid: 0, secure: false }, new Uint8Array(16), RV.stackTop);
  memory.mapAnonymous(RV.stackTop - 0x20000, 0x20000, loaded.stackExecutable);

  expect(memory.write(stack.sp, stack.bytes)).toBe(0);
  expect([found.exePath, loaded.entry.toString(16), loaded.startBrk.toString(16), stack.sp.toString(16), stack.argc])
    .toEqual(['/bin/app', '10078', '14000', '3ffffffe60', 4]);
});
