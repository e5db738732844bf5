/**
 * @tskern/scenario — the `.scn` scenario language (docs/scenario-language.md):
 * lexer and parser, transcript printer, the `maps` description, and a runner
 * that plays a scenario on a tskern kernel through the syscall layer.
 */
export { ScenarioError, ScenarioCrash, ScenarioTimeout, describeThrown } from './errors';
export {
  splitLine,
  tokenize,
  readString,
  isName,
  parseNumber,
  parseInt64,
  parseFlags,
  parseAddress,
  trimBlanks,
  type Address,
  type Int64,
  type SplitLine,
  type Token,
} from './lexer';
export {
  parseLine,
  parseScenario,
  splitLines,
  OPERATIONS,
  OP_NAMES,
  DEFAULT_MODE,
  type Op,
  type OpName,
  type OpOf,
  type FdArg,
  type ParsedLine,
} from './ops';
export { formatOp, formatLine, formatAddress } from './format-op';
export { quoteBytes, formatErrno, fnv1a32, formatFnv, transcriptLine } from './quote';
export { describeMaps, describeEntries, parseMaps, classifyPath, type MapsEntry } from './maps';
export { shmPath, type ShmPath } from './shm-name';
export {
  runScenario,
  runScenarioStreaming,
  SCENARIO_PROGRAM,
  SCENARIO_UID,
  SCENARIO_GID,
  HOSTFS_SCRATCH_PARENT,
  type ScenarioKernel,
  type ScratchKind,
  type ScenarioStatus,
  type RunOptions,
  type ScenarioSink,
  type RunResult,
} from './runner';
