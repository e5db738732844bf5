/**
 * @tskern/conformance — the conformance suite runner: scenarios with Linux
 * golden transcripts, run on tskern and compared (`pnpm conformance`).
 */
export { runSuite, type SuiteOptions, type SuiteIo } from './suite';
export { findScenarios, type ScenarioFile } from './discover';
export { parseGaps, readGaps, updatedGapsText, DEFAULT_GAPS_HEADER, type KnownGaps } from './gaps';
export { firstDifference, formatDifference, diffLines, transcriptLines, type FirstDifference } from './compare';
export { runOne, InProcessExecutor, type Executor, type Outcome, type RunJob, type RunSettings } from './outcome';
export { WorkerExecutor, type WorkerExecutorOptions } from './worker-executor';
export { parseOptions, USAGE, DEFAULT_TIMEOUT_MS, type CliOptions } from './options';
