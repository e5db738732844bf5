/** Command line of `pnpm bench`. */
export interface BenchArgs {
  /** Also write the results as JSON to this file. */
  json: string | null;
  /** Also write the table as Markdown (with the machine) to this file. */
  markdown: string | null;
  /** Run only the groups with these names (default: all). */
  only: string[];
  /** Directory of the SVG chart (default bench-out). */
  out: string;
  /** Profile each case's tskern side into DIR/profile/ (see profile.ts). */
  profile: boolean;
  help: boolean;
}

export const USAGE = `usage: pnpm bench [--json FILE] [--markdown FILE] [--only GROUP[,GROUP...]] [--out DIR] [--profile]

Runs every case on tskern and on Linux (tooling/native-bench, built with gcc)
or memfs, prints a table, writes DIR/scaling.svg (default bench-out/) and,
with --json, the results as JSON (--markdown: the table as Markdown). Groups: metadata, shm, io, fork, scaling,
teardown, faults, files, memory. --profile runs the CPU profiler over each case's
tskern side and writes DIR/profile/CASE.cpuprofile and CASE.txt (hot spots
as TypeScript file:line).
`;

/** Parse argv (after the script). A lone `--` (as \`pnpm bench -- --json F\` passes it) is skipped. */
export function parseArgs(argv: readonly string[]): BenchArgs | string {
  const args: BenchArgs = { json: null, markdown: null, only: [], out: 'bench-out', profile: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') continue;
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const inline = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : undefined;
    const value = (): string | undefined => inline ?? argv[++i];
    switch (name) {
      case '--json': {
        const v = value();
        if (v === undefined || v === '') return '--json needs a file name';
        args.json = v;
        break;
      }
      case '--markdown': {
        const v = value();
        if (v === undefined || v === '') return '--markdown needs a file name';
        args.markdown = v;
        break;
      }
      case '--only': {
        const v = value();
        if (v === undefined || v === '') return '--only needs group names';
        args.only.push(...v.split(',').filter((s) => s !== ''));
        break;
      }
      case '--out': {
        const v = value();
        if (v === undefined || v === '') return '--out needs a directory';
        args.out = v;
        break;
      }
      case '--profile':
        args.profile = true;
        break;
      case '-h':
      case '--help':
        args.help = true;
        break;
      default:
        return `unknown argument: ${a}`;
    }
  }
  return args;
}
