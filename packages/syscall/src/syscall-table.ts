import { ARG_CONVERTERS, argUnused, type RawArg } from './args';
import type { SyscallDef, SyscallHandler } from './handler';

type Convert = (x: RawArg) => number;

/** A syscall ready to dispatch: its handler and one converter per register. */
export interface TableEntry {
  readonly def: SyscallDef;
  readonly handler: SyscallHandler;
  readonly c0: Convert;
  readonly c1: Convert;
  readonly c2: Convert;
  readonly c3: Convert;
  readonly c4: Convert;
  readonly c5: Convert;
  /**
   * Whether a non-negative int32 number passes every converter unchanged
   * (true unless an argument is a umode_t, which keeps 16 bits): then the
   * dispatcher skips the converter for such arguments.
   */
  readonly identityForSmall: boolean;
}

function entry(def: SyscallDef): TableEntry {
  const c = [0, 1, 2, 3, 4, 5].map((i) => {
    const kind = def.args[i];
    return kind === undefined ? argUnused : ARG_CONVERTERS[kind];
  });
  const identityForSmall = !def.args.includes('umode');
  return { def, handler: def.handler, c0: c[0]!, c1: c[1]!, c2: c[2]!, c3: c[3]!, c4: c[4]!, c5: c[5]!, identityForSmall };
}

/**
 * One architecture's syscall table (gVisor's `linux64.go` per arch;
 * Linux's syscall_64.tbl / asm-generic unistd.h): numbers to shared handlers.
 * Built from the architecture's number list and the catalogue of handlers by
 * name: a name with a number but no handler is ENOSYS, as sys_ni_syscall.
 */
export class SyscallTable {
  private readonly entries: (TableEntry | undefined)[] = [];
  private readonly names: string[] = [];

  constructor(numbers: Readonly<Record<string, number>>, handlers: Readonly<Record<string, SyscallDef>>) {
    for (const [name, nr] of Object.entries(numbers)) {
      this.names[nr] = name;
      const d = handlers[name];
      if (d !== undefined) this.entries[nr] = entry(d);
    }
  }

  /** The entry for `nr`, or undefined (ENOSYS). */
  get(nr: number): TableEntry | undefined {
    return this.entries[nr];
  }

  /** Add or replace the syscall at `nr`. */
  set(nr: number, def: SyscallDef): void {
    this.entries[nr] = entry(def);
    this.names[nr] = def.name;
  }

  /** The name of `nr` on this architecture, or `syscall_<nr>`. */
  name(nr: number): string {
    return this.names[nr] ?? `syscall_${nr}`;
  }

  /** The numbers that have a handler. */
  numbers(): number[] {
    const out: number[] = [];
    this.entries.forEach((e, nr) => {
      if (e !== undefined) out.push(nr);
    });
    return out;
  }
}

/** Call `entry` as `task` with raw arguments: each converted by its declared kind, once. */
export function invoke(entry: TableEntry, task: Parameters<SyscallHandler>[0], a0: RawArg, a1: RawArg, a2: RawArg, a3: RawArg, a4: RawArg, a5: RawArg): ReturnType<SyscallHandler> {
  return entry.handler(task, entry.c0(a0), entry.c1(a1), entry.c2(a2), entry.c3(a3), entry.c4(a4), entry.c5(a5));
}
