import { S, O, SEEK } from './fcntl';
import { MADV, MAP, MREMAP, MS, PROT } from './mman';

/**
 * Symbolic flag families. Each argument position of a syscall takes names from
 * one family only (the scenario language enforces this), so lookups are per
 * family: `MAP_SHARED` is not a valid PROT value.
 */
export const flagFamilies = {
  PROT: PROT,
  MAP: MAP,
  O: O,
  MS: MS,
  MREMAP: MREMAP,
  MADV: MADV,
  SEEK: SEEK,
  MODE: S,
} as const satisfies Record<string, Record<string, number>>;

export type FlagFamily = keyof typeof flagFamilies;

/** The value of a flag name within a family, or undefined when the name is not of that family. */
export function lookupFlag(family: FlagFamily, name: string): number | undefined {
  const table = flagFamilies[family] as Record<string, number>;
  return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}

/** Names that are not single bits, skipped when formatting a bit set. */
const compositeNames = new Set([
  'PROT_NONE', 'MAP_TYPE', 'MAP_SHARED_VALIDATE', 'MAP_ANON', 'O_RDONLY', 'O_ACCMODE',
  'O_NDELAY', 'O_SYNC', 'O_RSYNC', 'O_TMPFILE', 'S_IFMT', 'S_IRWXU', 'S_IRWXG', 'S_IRWXO',
  'S_IREAD', 'S_IWRITE', 'S_IEXEC', 'MAP_FILE', 'MAP_DROPPABLE',
]);

/**
 * Format a bit set as `NAME|NAME|0x..` (for diagnostics and traces). Value
 * families (MADV, SEEK) print the single matching name.
 */
export function formatFlags(family: FlagFamily, value: number): string {
  const table = flagFamilies[family] as Record<string, number>;
  if (family === 'MADV' || family === 'SEEK') {
    for (const [name, v] of Object.entries(table)) if (v === value) return name;
    return `${value}`;
  }
  if (value === 0) {
    const zero = Object.entries(table).find(([, v]) => v === 0);
    return zero ? zero[0] : '0';
  }
  const parts: string[] = [];
  let rest = value;
  if (family === 'MAP') {
    const type = value & MAP.MAP_TYPE;
    const typeName = type === 1 ? 'MAP_SHARED' : type === 2 ? 'MAP_PRIVATE' : type === 3 ? 'MAP_SHARED_VALIDATE' : undefined;
    if (typeName) parts.push(typeName);
    if (typeName || type === 0) rest &= ~MAP.MAP_TYPE;
  }
  if (family === 'O') {
    const acc = value & O.O_ACCMODE;
    parts.push(acc === 0 ? 'O_RDONLY' : acc === 1 ? 'O_WRONLY' : acc === 2 ? 'O_RDWR' : '3');
    rest &= ~O.O_ACCMODE;
  }
  for (const [name, v] of Object.entries(table)) {
    if (compositeNames.has(name) || v === 0) continue;
    if ((rest & v) === v) {
      parts.push(name);
      rest &= ~v;
    }
  }
  if (rest !== 0) parts.push(`0x${(rest >>> 0).toString(16)}`);
  return parts.join('|');
}
