/** @tskern/cli — the `tskern` command's logic, for embedding and tests (the binary is `main.ts`). */
export { runCli, USAGE, EXIT_OK, EXIT_MISMATCH, EXIT_ERROR, type CliEnv } from './cli';
