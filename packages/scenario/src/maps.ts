/**
 * The `maps` operation's description of a range (docs/scenario-language.md,
 * "`maps`"), from the text of `/proc/self/maps`. A pure function, so the
 * Linux runner's rules and ours can be checked against the same cases.
 */
import { shmObjectName } from '@tskern/abi';

const PAGE = 4096n;

/** One line of /proc/PID/maps. */
export interface MapsEntry {
  readonly start: bigint;
  readonly end: bigint;
  /** The four permission characters (`rw-s`). */
  readonly perms: string;
  readonly offset: bigint;
  readonly dev: string;
  readonly inode: string;
  /** The path column, `''` when empty (may end with ` (deleted)`). */
  readonly path: string;
}

const LINE_RE = /^([0-9a-fA-F]+)-([0-9a-fA-F]+)\s+(\S{4})\s+([0-9a-fA-F]+)\s+(\S+)\s+(\d+)(?:[ \t]+(.*))?$/;

/** Parse the text of /proc/PID/maps (Linux format: `start-end perms offset dev inode   path`). Throws on a malformed line. */
export function parseMaps(text: string): MapsEntry[] {
  const out: MapsEntry[] = [];
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    const m = LINE_RE.exec(raw);
    if (!m) throw new Error(`malformed /proc/self/maps line: ${JSON.stringify(raw)}`);
    out.push({
      start: BigInt('0x' + m[1]!),
      end: BigInt('0x' + m[2]!),
      perms: m[3]!,
      offset: BigInt('0x' + m[4]!),
      dev: m[5]!,
      inode: m[6]!,
      path: (m[7] ?? '').replace(/[ \t]+$/, ''),
    });
  }
  return out;
}

/** What a page is, as `maps` prints it. */
interface Kind {
  /** `anon`, `anon-shared`, `shm:/NAME`, `file:PATH` or `other`. */
  readonly label: string;
  readonly hasOffset: boolean;
  readonly deleted: boolean;
  /** Pages join a run only with equal keys (and, with an offset, contiguous offsets). */
  readonly key: string;
}

const DELETED = ' (deleted)';

/** Classify a maps line by its path column; `scratchDir` is the absolute scratch directory. */
export function classifyPath(path: string, perms: string, scratchDir: string): Kind {
  if (path === '') return { label: 'anon', hasOffset: false, deleted: false, key: `${perms} anon` };
  if (path === '/dev/zero (deleted)') {
    return { label: 'anon-shared', hasOffset: true, deleted: false, key: `${perms} anon-shared` };
  }
  const deleted = path.endsWith(DELETED);
  const base = deleted ? path.slice(0, -DELETED.length) : path;
  let label: string;
  let hasOffset = true;
  const scratchPrefix = scratchDir.endsWith('/') ? scratchDir : scratchDir + '/';
  const shmName = shmObjectName(base);
  if (shmName !== null) {
    label = 'shm:/' + shmName;
  } else if (base.startsWith(scratchPrefix) && base.length > scratchPrefix.length) {
    label = 'file:' + base.slice(scratchPrefix.length);
  } else {
    label = 'other';
    hasOffset = false;
  }
  // `other` runs also split where the raw path differs.
  const key = `${perms} ${label}${deleted ? DELETED : ''}${label === 'other' ? ` ${path}` : ''}`;
  return { label, hasOffset, deleted, key };
}

interface Piece {
  start: bigint;
  end: bigint;
  /** undefined: unmapped. */
  perms: string | undefined;
  kind: Kind | undefined;
  offset: bigint;
}

function toBig(n: number | bigint): bigint {
  return typeof n === 'bigint' ? n : BigInt(n);
}

/**
 * Describe the pages of [addr, addr+len) as `maps` prints them: runs of pages
 * with the same perms, kind, path and (deleted)-ness, and contiguous file
 * offsets for kinds with one, separated by `; `, each
 * `+START..+END PERMS KIND[ @OFFSET][ (deleted)]` or `+START..+END unmapped`,
 * clipped to exactly the range. An empty range gives `''`.
 */
export function describeMaps(mapsText: string, addr: number | bigint, len: number | bigint, scratchDir: string): string {
  return describeEntries(parseMaps(mapsText), addr, len, scratchDir);
}

/** `describeMaps` over already parsed entries. */
export function describeEntries(entries: readonly MapsEntry[], addr: number | bigint, len: number | bigint, scratchDir: string): string {
  const a = toBig(addr);
  const n = toBig(len);
  if (a < 0n || n < 0n) throw new RangeError('describeMaps: negative address or length');
  if (n === 0n) return '';
  const end = a + n;
  const lo = (a / PAGE) * PAGE;
  const hi = ((end + PAGE - 1n) / PAGE) * PAGE;

  const pieces: Piece[] = [];
  let cursor = lo;
  const sorted = [...entries].sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));
  for (const e of sorted) {
    const s = e.start > cursor ? e.start : cursor;
    const t = e.end < hi ? e.end : hi;
    if (s >= t) continue;
    if (s > cursor) pieces.push({ start: cursor, end: s, perms: undefined, kind: undefined, offset: 0n });
    pieces.push({ start: s, end: t, perms: e.perms, kind: classifyPath(e.path, e.perms, scratchDir), offset: e.offset + (s - e.start) });
    cursor = t;
  }
  if (cursor < hi) pieces.push({ start: cursor, end: hi, perms: undefined, kind: undefined, offset: 0n });

  const runs: Piece[] = [];
  for (const p of pieces) {
    const prev = runs[runs.length - 1];
    if (prev && prev.end === p.start && joins(prev, p)) prev.end = p.end;
    else runs.push({ ...p });
  }

  return runs
    .map((r) => {
      const s = (r.start > a ? r.start : a) - a;
      const t = (r.end < end ? r.end : end) - a;
      const span = `+0x${s.toString(16)}..+0x${t.toString(16)}`;
      if (!r.kind) return `${span} unmapped`;
      const off = r.kind.hasOffset ? ` @0x${r.offset.toString(16)}` : '';
      return `${span} ${r.perms} ${r.kind.label}${off}${r.kind.deleted ? DELETED : ''}`;
    })
    .join('; ');
}

function joins(prev: Piece, next: Piece): boolean {
  if (!prev.kind || !next.kind) return !prev.kind && !next.kind;
  if (prev.kind.key !== next.kind.key) return false;
  return !prev.kind.hasOffset || prev.offset + (prev.end - prev.start) === next.offset;
}
