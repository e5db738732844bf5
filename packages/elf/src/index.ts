/**
 * @tskern/elf — execve's binary loading, as Linux's fs/binfmt_elf.c,
 * fs/binfmt_script.c and the argument handling of fs/exec.c: checks, load
 * plans, their application through a small memory interface, and the
 * initial stack. It knows neither the VFS nor the memory manager: the
 * kernel hands it files (`ExecFile`) and memory operations (`ExecMemory`).
 */
export * from './constants';
export { type ExecFile, readExact, readBinprmBuf } from './exec-file';
export { type ElfHeader, type ProgramHeader, decodeElfHeader, hasElfMagic, readProgramHeaders } from './elf-header';
export { checkElfExec, type CheckedElf, type ElfBinary, type OpenExec, type StackExec } from './elf-check';
export { type ExecLayout, RISCV64_SV39_LAYOUT, RISCV64_SV39_TASK_SIZE } from './layout';
export {
  planElfLoad, protOf, totalMappingSize, maximumAlignment,
  type ElfLoadPlan, type ImagePlan, type ImagePlacement, type SegmentPlan, type FatalExecError,
} from './load-plan';
export { type ExecMemory, type MapPlacement } from './exec-memory';
export { applyElfLoadPlan, type LoadedElf } from './apply-plan';
export { parseScriptLine, isScript, type ScriptLine } from './script';
export { ExecArgs, type ExecString } from './exec-args';
export { buildInitialStack, type AuxvEntry, type AuxvParams, type InitialStack } from './initial-stack';
export { resolveExec, MAX_INTERPRETER_DEPTH, type ResolvedExec } from './resolve-exec';
export { riscvHwcap, riscv64DlInfo, type Riscv64DlInfo } from './riscv64';
// The test kit: build ELF files, serve bytes as files, fake the memory.
export { writeElf, bytesFile, cPath, type ElfSpec, type PhdrSpec } from './testing/elf-writer';
export { FakeExecMemory, type MemoryOp } from './testing/fake-exec-memory';
