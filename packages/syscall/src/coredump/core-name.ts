/** What format_corename's % specifiers read of the dying task. */
export interface CoreNameFacts {
  /** %p: the process id (as the task's pid namespace sees it; tskern has one namespace, so %P is the same). */
  readonly tgid: number;
  /** %i: the thread id of the dumping thread (%I the same, one namespace). */
  readonly tid: number;
  /** %u, %g: the real uid and gid. */
  readonly uid: number;
  readonly gid: number;
  /** %d: the dump mode (the process's dumpable value). */
  readonly dumpable: number;
  /** %s: the signal that caused the dump. */
  readonly signal: number;
  /** %t: the time of the dump, seconds since the Epoch. */
  readonly timeSeconds: number;
  /** %h: the host name (utsname nodename). */
  readonly hostname: string;
  /** %e: the command name (comm). */
  readonly comm: string;
  /** %E and %f: the executable's path. */
  readonly exePath: string;
  /** %c: RLIMIT_CORE's soft limit (RLIM_INFINITY prints as 18446744073709551615). */
  readonly coreLimit: bigint;
  /** %C: the CPU the task ran on. */
  readonly cpu: number;
}

/** The file name a core goes to, or a pipe command (a pattern starting with `|`), which tskern does not run. */
export interface CoreName {
  readonly name: string;
  readonly pipe: boolean;
}

/**
 * cn_esc_printf: a value spliced into the name has every '/' turned into
 * '!', and one that is exactly "." or ".." starts with '!' instead, so no
 * specifier can add a path component (fs/coredump.c).
 */
function escaped(value: string): string {
  const s = value.replaceAll('/', '!');
  return s === '.' || s === '..' ? '!' + s.slice(1) : s;
}

/**
 * format_corename (fs/coredump.c): the core_pattern with its % specifiers
 * expanded — %% %p %P %i %I %u %g %d %s %t %h %e %E %f %c %C; an unknown
 * specifier and a trailing lone '%' expand to nothing. A pattern starting
 * with '|' names a helper to pipe the core into. For a file, core_uses_pid
 * without a %p in the pattern appends ".<pid>".
 */
export function formatCoreName(pattern: string, usesPid: boolean, f: CoreNameFacts): CoreName {
  const pipe = pattern.startsWith('|');
  let out = '';
  let pidInPattern = false;
  for (let i = pipe ? 1 : 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    const spec = pattern[++i];
    switch (spec) {
      case '%': out += '%'; break;
      case 'p': case 'P': pidInPattern = true; out += String(f.tgid); break;
      case 'i': case 'I': out += String(f.tid); break;
      case 'u': out += String(f.uid); break;
      case 'g': out += String(f.gid); break;
      case 'd': out += String(f.dumpable); break;
      case 's': out += String(f.signal); break;
      case 't': out += String(f.timeSeconds); break;
      case 'h': out += escaped(f.hostname); break;
      case 'e': out += escaped(f.comm); break;
      case 'E': out += escaped(f.exePath); break;
      case 'f': out += escaped(f.exePath.slice(f.exePath.lastIndexOf('/') + 1)); break;
      case 'c': out += String(f.coreLimit); break;
      case 'C': out += String(f.cpu); break;
      default: break; // unknown or trailing: nothing
    }
  }
  if (!pipe && !pidInPattern && usesPid) out += `.${f.tgid}`;
  return { name: out, pipe };
}
