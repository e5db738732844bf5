/** The command line of `pnpm conformance`. */
import type { ScratchKind } from '@tskern/scenario';

export interface CliOptions {
  readonly filter?: string;
  readonly updateGaps: boolean;
  readonly verbose: boolean;
  readonly scratch?: ScratchKind;
  /** Which kernel assembly to test (`default`, or `chunked`: the second frame allocator). */
  readonly kernel: KernelProfile;
  readonly timeoutMs: number;
  /** Run in this thread instead of a worker (debuggable; a hung kernel hangs the suite). */
  readonly inProcess: boolean;
  readonly help: boolean;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** Kernel assemblies the suite can run against (modules in ./profiles, or @tskern/kernel itself). */
export const KERNEL_PROFILES = ['default', 'chunked'] as const;
export type KernelProfile = (typeof KERNEL_PROFILES)[number];

export const USAGE = `usage: pnpm conformance [--filter SUBSTR] [--verbose] [--update-gaps]
                        [--scratch hostfs] [--kernel default|chunked]
                        [--timeout MS] [--in-process]

Runs every tooling/conformance/scenarios/**/*.scn that has a .golden beside it
on a fresh tskern kernel and compares the transcript with the Linux golden.
Scenarios listed in tooling/conformance/known-gaps.txt are expected to differ.

  --filter SUBSTR   only scenarios whose path (relative to scenarios/) contains SUBSTR
  --verbose, -v     print full diffs and the scenario errors of differing runs
  --update-gaps     rewrite known-gaps.txt to exactly the differing scenarios
  --scratch hostfs  run with the scratch directory on hostfs (real host files)
  --kernel NAME     the kernel assembly: default, or chunked (the second frame
                    allocator: the same transcripts are required)
  --timeout MS      time limit per scenario (default ${DEFAULT_TIMEOUT_MS})
  --in-process      run in this thread (for debuggers; a hung kernel hangs the suite)

Exit status: 0 when every difference is a known gap, 1 when a scenario not
listed differs or a listed one is now identical, 2 on a usage error or when
the scenarios cannot run at all.
`;

/** Parse the arguments; a string is a usage error. */
export function parseOptions(args: readonly string[]): CliOptions | string {
  let filter: string | undefined;
  let updateGaps = false;
  let verbose = false;
  let scratch: ScratchKind | undefined;
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  let kernel: KernelProfile = 'default';
  let inProcess = false;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string | undefined => inline ?? args[++i];
    switch (name) {
      case '--filter': {
        const v = value();
        if (v === undefined || v === '') return '--filter needs a substring';
        filter = v;
        break;
      }
      case '--scratch': {
        const v = value();
        if (v !== 'hostfs' && v !== 'default') return `--scratch takes hostfs (or default), got ${v ?? 'nothing'}`;
        scratch = v;
        break;
      }
      case '--kernel': {
        const v = value();
        if (!KERNEL_PROFILES.includes(v as KernelProfile)) return `--kernel takes ${KERNEL_PROFILES.join(' or ')}, got ${v ?? 'nothing'}`;
        kernel = v as KernelProfile;
        break;
      }
      case '--timeout': {
        const v = value();
        const n = Number(v);
        if (v === undefined || !Number.isInteger(n) || n <= 0) return `--timeout takes a positive number of milliseconds, got ${v ?? 'nothing'}`;
        timeoutMs = n;
        break;
      }
      case '--update-gaps':
        updateGaps = true;
        break;
      case '--verbose':
      case '-v':
        verbose = true;
        break;
      case '--in-process':
        inProcess = true;
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        return `unknown argument ${arg}`;
    }
    if (inline !== undefined && !['--filter', '--scratch', '--timeout', '--kernel'].includes(name)) return `${name} takes no value`;
  }
  return {
    ...(filter !== undefined ? { filter } : {}),
    ...(scratch !== undefined ? { scratch } : {}),
    updateGaps,
    verbose,
    kernel,
    timeoutMs,
    inProcess,
    help,
  };
}
