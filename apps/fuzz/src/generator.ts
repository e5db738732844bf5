/**
 * The scenario generator: random but valid `.scn` scenarios
 * (docs/scenario-language.md) over every operation of the format, whose
 * transcripts on Linux and on tskern must be identical.
 *
 * Determinism rules (tooling/conformance/scenarios/README.md):
 *
 * - Every address is `R+OFF` inside one reserved PROT_NONE region R (mapped
 *   first with a NULL hint, the only NULL-placed mapping), and every range
 *   stays inside it: mmap is always MAP_FIXED (or MAP_FIXED_NOREPLACE) in R,
 *   mremap either stays in place (flags 0, or MAYMOVE when shrinking) or is
 *   MAYMOVE|FIXED into R, so `maps R LEN` is comparable. Accesses never cross
 *   R's end (what lies beyond it differs between the two kernels).
 * - No host-dependent behaviour: no PROT_EXEC on file/shm pages, no write-only
 *   or exec-only protections, no mincore over regular-file pages, no stores
 *   into pages of a regular file whose size may not be a page multiple (bytes
 *   past EOF in the EOF page: ext4 writeback zeroes them), mappings < 2M.
 *
 * State is tracked only to keep scenarios valid (labels alive, fd variables
 * bound and open in the process using them) and host-independent; results are
 * never predicted. Binding operations whose success is not certain bind
 * throw-away names that are never used; mapping variables are never used
 * (every address is relative to R, which is never rebound).
 */
import { shmObjectPath } from '@tskern/abi';
import { parseLine } from '@tskern/scenario';
import { Prng } from './prng';
import { HostRules } from './validate';

export type Area = 'anon' | 'shared' | 'files' | 'shm' | 'process';
export const ALL_AREAS: readonly Area[] = ['anon', 'shared', 'files', 'shm', 'process'];

export interface GenOptions {
  readonly areas: ReadonlySet<Area>;
  /** Operation lines per scenario (default 20..60). */
  readonly minLines?: number;
  readonly maxLines?: number;
  /**
   * Also use deterministic Linux behaviour beyond the spec's lists: more madvise
   * advices (WIPEONFORK, KEEPONFORK, POPULATE_READ/WRITE, DONTDUMP, DODUMP,
   * NOHUGEPAGE, GUARD_INSTALL/REMOVE), MAP_GROWSDOWN, MAP_STACK and
   * MAP_SHARED_VALIDATE with a flag it rejects.
   */
  readonly beyondSpec?: boolean;
  /** Operations never to generate (e.g. `mremap`, to look past a known mismatch); not fork, open, shm_open or dup. */
  readonly without?: ReadonlySet<string>;
}

/** Operations `without` may leave out: dropping them never unbinds a name a later line uses. */
export const OMITTABLE = new Set([
  'mmap', 'munmap', 'mprotect', 'mremap', 'madvise', 'mincore', 'msync', 'poke', 'fill', 'peek', 'sum', 'maps', 'eq',
  'exit', 'exec', 'close', 'unlink', 'shm_unlink', 'ftruncate', 'write', 'pwrite', 'read', 'pread', 'lseek', 'fstat',
]);

export function parseWithout(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of text.split(',')) {
    const op = raw.trim();
    if (op === '') continue;
    if (!OMITTABLE.has(op)) throw new Error(`--without ${op}: not an operation that can be left out (${[...OMITTABLE].join(',')})`);
    out.add(op);
  }
  return out;
}

export function parseAreas(text: string): Set<Area> {
  const out = new Set<Area>();
  for (const raw of text.split(',')) {
    const a = raw.trim();
    if (a === '') continue;
    if (a === 'all') for (const x of ALL_AREAS) out.add(x);
    else if ((ALL_AREAS as readonly string[]).includes(a)) out.add(a as Area);
    else throw new Error(`unknown area ${a} (areas: ${ALL_AREAS.join(',')},all)`);
  }
  if (out.size === 0) throw new Error('no areas given');
  return out;
}

const PAGE = 4096;

interface FsObj {
  readonly kind: 'file' | 'shm';
  /** The file's size may not be a page multiple (regular files only matter). */
  tainted: boolean;
}

interface FdInfo {
  readonly obj: FsObj;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly cloexec: boolean;
}

interface Proc {
  readonly label: string;
  /** fd variables open in this process, each naming the same description everywhere. */
  readonly fds: Map<string, FdInfo>;
  /** Per page of R: the file/shm objects that may be mapped there (conservative). */
  pages: (Set<FsObj> | undefined)[];
  /** Recently mapped page ranges [off, len] of R (aimed at by later calls, so they meet mappings). */
  hot: [number, number][];
  /** Recently poked addresses (byte offsets in R), read back now and then. */
  pokes: number[];
}

const ADVICE = [
  'MADV_NORMAL', 'MADV_RANDOM', 'MADV_SEQUENTIAL', 'MADV_WILLNEED',
  'MADV_DONTNEED', 'MADV_REMOVE', 'MADV_DONTFORK', 'MADV_DOFORK',
] as const;

/** Protections whose access behaviour is the same on every x86-64 host. */
const PROTS_NOEXEC = ['PROT_NONE', 'PROT_READ', 'PROT_READ|PROT_WRITE'] as const;
const PROTS_EXEC = ['PROT_READ|PROT_EXEC', 'PROT_READ|PROT_WRITE|PROT_EXEC'] as const;

const FILE_PATHS = ['f0', 'f1', 'f2'] as const;

/** Advices beyond the spec whose effects do not depend on the host (no FREE, COLD, PAGEOUT, HUGEPAGE, MERGEABLE). */
const EXTRA_ADVICE = [
  'MADV_WIPEONFORK', 'MADV_KEEPONFORK', 'MADV_POPULATE_READ', 'MADV_POPULATE_WRITE', 'MADV_DONTDUMP', 'MADV_DODUMP',
  'MADV_NOHUGEPAGE', 'MADV_GUARD_INSTALL', 'MADV_GUARD_REMOVE',
] as const;

class Generator {
  private readonly out: string[] = [];
  /** What the validator checks, kept line by line: reads that could fault in the zero page are left out. */
  private readonly rules = new HostRules();
  private readonly procs: Proc[] = [];
  private nextLabel = 2;
  private nextVar = 0;
  private readonly files = new Map<string, FsObj>();
  private readonly shms = new Map<string, FsObj>();
  private readonly shmNames: string[];
  /** R's size in pages. */
  private readonly rp: number;

  constructor(
    private readonly r: Prng,
    private readonly areas: ReadonlySet<Area>,
    tag: string,
    private readonly without: ReadonlySet<string> = new Set(),
    private readonly beyond = false,
  ) {
    this.rp = r.pick([32, 64, 64, 128, 256]);
    this.shmNames = [0, 1, 2].map((i) => `/fz${tag}_${i}`);
  }

  private has(a: Area): boolean {
    return this.areas.has(a);
  }

  private emit(p: Proc, text: string): void {
    this.tryEmit(p, text, true);
  }

  /**
   * Writes the line unless the host-independence rules reject it (then
   * nothing is written and false is answered); `always` writes it anyway (a
   * line that binds a name later lines use: the generator test then reports
   * the rule it broke).
   */
  private tryEmit(p: Proc, text: string, always = false): boolean {
    if (this.without.size > 0 && this.out.length > 0 && this.without.has(text.split(' ', 1)[0]!)) return true;
    const line = `${p.label} ${text}`;
    const parsed = parseLine(line, this.out.length + 1);
    const why = parsed === null ? undefined : this.rules.apply(parsed.op);
    if (why !== undefined && !always) return false;
    this.out.push(line);
    return true;
  }

  private fresh(prefix: string): string {
    return `${prefix}${this.nextVar++}`;
  }

  // ---- numbers and addresses ----

  private num(n: number): string {
    if (n === 0) return '0';
    if (n % 1024 === 0 && this.r.chance(0.3)) return `${n / 1024}K`;
    if (this.r.chance(0.15)) return String(n);
    return `0x${n.toString(16)}`;
  }

  private at(byteOff: number): string {
    return byteOff === 0 ? 'R' : `R+${this.num(byteOff)}`;
  }

  private get size(): number {
    return this.rp * PAGE;
  }

  /** A page range [off, off+len) inside R, in pages; mostly small, often over a recent mapping. */
  private pageRange(p: Proc, maxLen = 12): [number, number] {
    if (this.r.chance(0.05)) return [0, this.rp];
    if (p.hot.length > 0 && this.r.chance(0.65)) {
      const [hs, hl] = this.r.pick(p.hot);
      // Overlap the recent mapping: inside it, or straddling one of its ends.
      let off = hs + this.r.int(hl) - (this.r.chance(0.3) ? this.r.int(3) : 0);
      off = Math.max(0, Math.min(this.rp - 1, off));
      const len = 1 + this.r.int(Math.min(maxLen, this.rp - off, hl + 2));
      return [off, len];
    }
    const off = this.r.chance(0.6) ? this.r.int(Math.min(this.rp, 24)) : this.r.int(this.rp);
    const len = 1 + this.r.int(Math.min(maxLen, this.rp - off));
    return [off, len];
  }

  /** Remember a range just mapped (whether or not the call succeeds): later calls aim at it. */
  private noteHot(p: Proc, off: number, len: number): void {
    p.hot.push([off, Math.max(1, Math.min(len, this.rp - off))]);
    if (p.hot.length > 6) p.hot.shift();
  }

  private notePoke(p: Proc, at: number): void {
    p.pokes.push(at);
    if (p.pokes.length > 6) p.pokes.shift();
  }

  /** A byte range inside R: [start, start+len), len ≥ 1. */
  private byteRange(p: Proc, maxLen: number): [number, number] {
    if (p.hot.length > 0 && this.r.chance(0.6)) {
      // Inside a recent mapping, not crossing its ends.
      const [hs, hl] = this.r.pick(p.hot);
      const len = 1 + this.r.int(Math.min(maxLen, hl * PAGE));
      return [hs * PAGE + this.r.int(hl * PAGE - len + 1), len];
    }
    const [po, pl] = this.pageRange(p, 4);
    let start = po * PAGE;
    if (this.r.chance(0.5)) start += this.r.chance(0.5) ? this.r.int(PAGE) : PAGE - 1 - this.r.int(8);
    if (p.pokes.length > 0 && this.r.chance(0.2)) start = this.r.pick(p.pokes);
    if (start >= this.size) start = this.size - 1;
    const room = this.size - start;
    let len = this.r.chance(0.5) ? 1 + this.r.int(Math.min(maxLen, room)) : Math.min(room, pl * PAGE, maxLen);
    if (len < 1) len = 1;
    return [start, len];
  }

  /**
   * A length argument for a call over pages: usually the page count, else an
   * unaligned byte count (rounded up by the kernel) or zero.
   */
  private lenArg(pages: number): string {
    const x = this.r.float();
    if (x < 0.04) return '0';
    if (x < 0.12) return this.num(pages * PAGE - 1 - this.r.int(PAGE - 1));
    return this.num(pages * PAGE);
  }

  /** The start address of a call over pages: sometimes unaligned (EINVAL). */
  private startArg(pageOff: number): string {
    if (this.r.chance(0.04)) return this.at(pageOff * PAGE + 1 + this.r.int(PAGE - 1));
    return this.at(pageOff * PAGE);
  }

  // ---- page tracking ----

  private objsIn(p: Proc, startPage: number, endPage: number): Set<FsObj> {
    const s = new Set<FsObj>();
    for (let i = Math.max(0, startPage); i < Math.min(this.rp, endPage); i++) for (const o of p.pages[i] ?? []) s.add(o);
    return s;
  }

  private hasKind(p: Proc, startPage: number, endPage: number, pred: (o: FsObj) => boolean): boolean {
    for (const o of this.objsIn(p, startPage, endPage)) if (pred(o)) return true;
    return false;
  }

  private addObjs(p: Proc, startPage: number, endPage: number, objs: Iterable<FsObj>): void {
    const list = [...objs];
    if (list.length === 0) return;
    for (let i = Math.max(0, startPage); i < Math.min(this.rp, endPage); i++) {
      const s = p.pages[i] ?? new Set<FsObj>();
      for (const o of list) s.add(o);
      p.pages[i] = s;
    }
  }

  private clearObjs(p: Proc, startPage: number, endPage: number): void {
    for (let i = Math.max(0, startPage); i < Math.min(this.rp, endPage); i++) p.pages[i] = undefined;
  }

  /** A store to [start, start+len) is host-independent (no EOF page of a possibly unaligned file). */
  private canStore(p: Proc, start: number, len: number): boolean {
    return !this.hasKind(p, Math.floor(start / PAGE), Math.ceil((start + len) / PAGE), (o) => o.kind === 'file' && o.tainted);
  }

  // ---- data ----

  private data(maxLen: number): string {
    const n = 1 + this.r.int(maxLen);
    let s = '';
    for (let i = 0; i < n; i++) {
      const x = this.r.float();
      if (x < 0.8) s += String.fromCharCode(97 + this.r.int(26));
      else if (x < 0.85) s += '\\n';
      else if (x < 0.9) s += '\\0';
      else if (x < 0.95) s += `\\x${this.r.int(256).toString(16).padStart(2, '0')}`;
      else s += this.r.pick(['\\\\', '\\"', ' ', '#', '=>', '\\t']);
    }
    return `"${s}"`;
  }

  // ---- the scenario ----

  generate(lines: number): string {
    const p1: Proc = { label: 'p1', fds: new Map(), pages: [], hot: [], pokes: [] };
    this.procs.push(p1);
    this.emit(p1, `mmap R 0 ${this.num(this.size)} PROT_NONE MAP_PRIVATE|MAP_ANONYMOUS -1 0`);
    // Start with something mapped, so most scenarios do more than fault.
    this.mmapOp(p1);
    while (this.out.length < lines && this.procs.length > 0) this.step();
    if (this.r.chance(0.7) && this.procs.length > 0) this.emit(this.r.pick(this.procs), `maps R ${this.num(this.size)}`);
    return this.out.join('\n') + '\n';
  }

  private step(): void {
    const p = this.r.chance(0.5) ? this.procs[this.procs.length - 1]! : this.r.pick(this.procs);
    const fsOn = this.has('files') || this.has('shm');
    const op = this.r.weighted<() => void>([
      [14, () => this.mmapOp(p)],
      [5, () => this.munmapOp(p)],
      [5, () => this.mprotectOp(p)],
      [6, () => this.mremapOp(p)],
      [5, () => this.madviseOp(p)],
      [3, () => this.mincoreOp(p)],
      [2, () => this.msyncOp(p)],
      [8, () => this.pokeOp(p)],
      [4, () => this.fillOp(p)],
      [6, () => this.peekOp(p)],
      [4, () => this.sumOp(p)],
      [9, () => this.mapsOp(p)],
      [0.5, () => this.nullOp(p)],
      [this.has('process') ? 6 : 0, () => this.processOp(p)],
      [fsOn ? 14 : 0, () => this.fdOp(p)],
    ]);
    op();
  }

  // ---- memory operations ----

  private mmapOp(p: Proc): void {
    const kinds: [number, () => void][] = [];
    if (this.has('anon')) kinds.push([3, () => this.mmapAnon(p, false)]);
    if (this.has('shared')) kinds.push([3, () => this.mmapAnon(p, true)]);
    if (this.has('files')) kinds.push([3, () => this.mmapFs(p, 'file')]);
    if (this.has('shm')) kinds.push([3, () => this.mmapFs(p, 'shm')]);
    if (kinds.length === 0) kinds.push([1, () => this.mmapAnon(p, false)]);
    this.r.weighted(kinds)();
  }

  private extraMapFlags(): string {
    let f = '';
    if (this.r.chance(0.12)) f += '|MAP_POPULATE';
    if (this.r.chance(0.08)) f += '|MAP_NORESERVE';
    if (this.beyond && this.r.chance(0.04)) f += '|MAP_STACK';
    return f;
  }

  private mmapAnon(p: Proc, shared: boolean): void {
    const [off, len] = this.pageRange(p);
    const noreplace = this.r.chance(0.08);
    const prot = this.r.chance(0.12) ? this.r.pick(PROTS_EXEC) : this.r.pick([...PROTS_NOEXEC, 'PROT_READ|PROT_WRITE', 'PROT_READ|PROT_WRITE', 'PROT_READ|PROT_WRITE']);
    let type = shared ? 'MAP_SHARED' : 'MAP_PRIVATE';
    if (shared && this.r.chance(0.1)) type = 'MAP_SHARED_VALIDATE';
    if (this.beyond && !shared && this.r.chance(0.06)) type += '|MAP_GROWSDOWN';
    if (this.beyond && shared && this.r.chance(0.03)) type = 'MAP_SHARED_VALIDATE|MAP_SYNC';
    const fixed = noreplace ? 'MAP_FIXED_NOREPLACE' : 'MAP_FIXED';
    const unaligned = this.r.chance(0.04); // EINVAL
    const start = unaligned ? this.at(off * PAGE + 1 + this.r.int(PAGE - 1)) : this.at(off * PAGE);
    const lenArg = this.lenArg(len);
    let offset = '0';
    const badOffset = this.r.chance(0.03);
    if (badOffset) offset = this.num(1 + this.r.int(PAGE - 1)); // EINVAL
    else if (this.r.chance(0.05)) offset = this.num(PAGE * this.r.int(4)); // ignored for anonymous memory
    let extra = this.extraMapFlags();
    // MAP_POPULATE read-faults private memory it cannot write: the zero page (validate.ts).
    if (!shared && prot.includes('PROT_READ') && !prot.includes('PROT_WRITE')) extra = extra.replace('|MAP_POPULATE', '');
    this.emit(p, `mmap ${this.fresh('M')} ${start} ${lenArg} ${prot} ${type}|MAP_ANONYMOUS|${fixed}${extra} -1 ${offset}`);
    // Only a call that surely succeeds replaces what was mapped there; anonymous
    // memory has no MAP_SHARED_VALIDATE (EINVAL, mm/mmap.c do_mmap).
    if (!noreplace && !unaligned && !badOffset && lenArg !== '0' && !type.includes('MAP_SHARED_VALIDATE')) this.clearObjs(p, off, off + len);
    this.noteHot(p, off, len);
  }

  private mmapFs(p: Proc, kind: 'file' | 'shm'): void {
    let fds = [...p.fds].filter(([, f]) => f.obj.kind === kind);
    if (fds.length === 0 || this.r.chance(0.1)) {
      // Open one first; usually give it a size and map it in the same step.
      const fd = kind === 'file' ? this.openOp(p) : this.shmOpenOp(p);
      if (fd === undefined || this.r.chance(0.25)) return;
      const info = p.fds.get(fd)!;
      if (info.writable && this.r.chance(0.75)) this.ftruncateOp(p, fd, info, true);
      fds = [[fd, info]];
    }
    const [fd, info] = this.r.pick(fds);
    const [off, len] = this.pageRange(p, 8);
    const prot = this.r.pick(['PROT_READ', 'PROT_READ|PROT_WRITE', 'PROT_READ|PROT_WRITE', 'PROT_READ|PROT_WRITE', 'PROT_NONE']);
    const type = this.r.weighted([[5, 'MAP_SHARED'], [3, 'MAP_PRIVATE'], [1, 'MAP_SHARED_VALIDATE']]);
    const fixed = this.r.chance(0.05) ? 'MAP_FIXED_NOREPLACE' : 'MAP_FIXED';
    let offset = PAGE * (this.r.chance(0.6) ? 0 : this.r.int(6));
    if (this.r.chance(0.03)) offset += 1 + this.r.int(PAGE - 1);
    this.emit(p, `mmap ${this.fresh('M')} ${this.startArg(off)} ${this.lenArg(len)} ${prot} ${type}|${fixed}${this.extraMapFlags()} ${fd} ${this.num(offset)}`);
    this.addObjs(p, off, off + len, [info.obj]);
    this.noteHot(p, off, len);
  }

  private munmapOp(p: Proc): void {
    const [off, len] = this.pageRange(p);
    this.emit(p, `munmap ${this.startArg(off)} ${this.lenArg(len)}`);
    // Tracking may keep stale objects (conservative): only clear what surely went.
  }

  private mprotectOp(p: Proc): void {
    const [off, len] = this.pageRange(p);
    const execOk = !this.hasKind(p, off, off + len, () => true);
    let prot: string = this.r.chance(0.15) && execOk ? this.r.pick(PROTS_EXEC) : this.r.pick([...PROTS_NOEXEC, 'PROT_READ|PROT_WRITE']);
    if (this.r.chance(0.03)) prot = this.r.pick(['0x10', 'PROT_READ|0x40', 'PROT_GROWSDOWN|PROT_READ']);
    this.emit(p, `mprotect ${this.startArg(off)} ${this.lenArg(len)} ${prot}`);
  }

  private mremapOp(p: Proc): void {
    const m = this.fresh('M');
    const kind = this.r.weighted([[4, 'inplace'], [5, 'fixed'], [1.5, 'dontunmap'], [1, 'shrink-maymove'], [0.5, 'bad']]);
    const [oldOff] = this.pageRange(p, 8);
    const room = this.rp - oldOff;
    let oldLen = 1 + this.r.int(Math.min(8, room));
    if (this.r.chance(0.05)) oldLen = 0; // duplicate a shared mapping (EINVAL for private ones)
    const src = this.objsIn(p, oldOff, oldOff + Math.max(oldLen, 1));
    if (kind === 'inplace') {
      const newLen = 1 + this.r.int(Math.min(10, room));
      this.emit(p, `mremap ${m} ${this.startArg(oldOff)} ${this.num(oldLen * PAGE)} ${this.lenArg(newLen)} 0`);
      this.addObjs(p, oldOff, oldOff + newLen, src);
      this.noteHot(p, oldOff, newLen);
    } else if (kind === 'shrink-maymove') {
      // Never growing: with MAYMOVE a growth (old_len 0 included: a duplicate
      // of a shared mapping) may land wherever the kernel likes.
      if (oldLen === 0) oldLen = 1;
      const newLen = Math.max(1, this.r.int(oldLen));
      this.emit(p, `mremap ${m} ${this.startArg(oldOff)} ${this.num(oldLen * PAGE)} ${this.num(newLen * PAGE)} MREMAP_MAYMOVE`);
    } else if (kind === 'fixed' || kind === 'dontunmap') {
      let newLen = kind === 'dontunmap' && this.r.chance(0.85) ? Math.max(oldLen, 1) : 1 + this.r.int(10);
      newLen = Math.min(newLen, this.rp);
      const dst = this.r.int(this.rp - newLen + 1);
      const flags = kind === 'dontunmap' ? 'MREMAP_MAYMOVE|MREMAP_FIXED|MREMAP_DONTUNMAP' : 'MREMAP_MAYMOVE|MREMAP_FIXED';
      this.emit(p, `mremap ${m} ${this.startArg(oldOff)} ${this.num(oldLen * PAGE)} ${this.lenArg(newLen)} ${flags} ${this.startArg(dst)}`);
      this.addObjs(p, dst, dst + newLen, src);
      this.noteHot(p, dst, newLen);
    } else {
      // Invalid flag combinations and arguments: errors decided before any placement.
      const newLen = 1 + this.r.int(Math.min(8, room));
      const bad = this.r.pick([
        `MREMAP_FIXED ${this.at(0)}`, `MREMAP_DONTUNMAP`, '0x8', `MREMAP_MAYMOVE|MREMAP_FIXED ${this.at(oldOff * PAGE)}`,
        `MREMAP_MAYMOVE|MREMAP_FIXED ${this.at(PAGE + 1)}`, `MREMAP_DONTUNMAP|MREMAP_FIXED ${this.at(0)}`,
      ]);
      this.emit(p, `mremap ${m} ${this.startArg(oldOff)} ${this.num(oldLen * PAGE)} ${this.num(newLen * PAGE)} ${bad}`);
    }
  }

  private madviseOp(p: Proc): void {
    const [off, len] = this.pageRange(p);
    const advice = this.r.chance(0.02)
      ? this.r.pick(['0x7', '200'])
      : this.beyond && this.r.chance(0.3)
        ? this.r.pick(EXTRA_ADVICE)
        : this.r.pick(ADVICE);
    const start = this.startArg(off);
    const lenArg = this.lenArg(len);
    // MADV_POPULATE_READ over memory that may fault in the zero page: host-dependent (validate.ts).
    if (!this.tryEmit(p, `madvise ${start} ${lenArg} ${advice}`)) this.emit(p, `madvise ${start} ${lenArg} MADV_WILLNEED`);
  }

  private mincoreOp(p: Proc): void {
    const [off, len] = this.pageRange(p, 16);
    if (this.hasKind(p, off, off + len, (o) => o.kind === 'file')) return this.peekOp(p);
    this.emit(p, `mincore ${this.startArg(off)} ${this.lenArg(len)}`);
  }

  private msyncOp(p: Proc): void {
    const [off, len] = this.pageRange(p);
    const flags = this.r.weighted([
      [4, 'MS_SYNC'], [3, 'MS_ASYNC'], [2, 'MS_INVALIDATE'], [1, 'MS_SYNC|MS_INVALIDATE'], [0.5, 'MS_SYNC|MS_ASYNC'], [0.3, '0'], [0.2, '0x8'],
    ]);
    this.emit(p, `msync ${this.startArg(off)} ${this.lenArg(len)} ${flags}`);
  }

  private pokeOp(p: Proc): void {
    const data = this.data(12);
    // The string's byte length is at most its source length; bound by that.
    const [start] = this.byteRange(p, PAGE);
    const maxBytes = data.length;
    const s = Math.min(start, this.size - maxBytes);
    if (s < 0 || !this.canStore(p, s, maxBytes)) return this.peekOp(p);
    this.emit(p, `poke ${this.at(s)} ${data}`);
    this.notePoke(p, s);
  }

  private fillOp(p: Proc): void {
    const [start, len] = this.byteRange(p, 3 * PAGE);
    if (!this.canStore(p, start, len)) return this.sumOp(p);
    this.emit(p, `fill ${this.at(start)} ${this.num(len)} ${this.r.int(256)}`);
    this.notePoke(p, start + this.r.int(len));
  }

  private peekOp(p: Proc): void {
    const [start, len] = this.byteRange(p, 24);
    // A read that may fault in the zero page is host-dependent (validate.ts): look at the maps instead.
    if (!this.tryEmit(p, `peek ${this.at(start)} ${this.num(len)}`)) this.mapsOp(p);
  }

  private sumOp(p: Proc): void {
    const text = this.r.chance(0.15) ? `sum R ${this.num(this.size)}` : this.sumRange(p);
    if (!this.tryEmit(p, text)) this.mapsOp(p);
  }

  private sumRange(p: Proc): string {
    const [start, len] = this.byteRange(p, 8 * PAGE);
    return `sum ${this.at(start)} ${this.num(len)}`;
  }

  private mapsOp(p: Proc): void {
    if (this.r.chance(0.75)) return this.emit(p, `maps R ${this.num(this.size)}`);
    const [start, len] = this.byteRange(p, 16 * PAGE);
    this.emit(p, `maps ${this.at(start)} ${this.num(len)}`);
  }

  /** Operations at NULL and the first pages: nothing is mapped there on either kernel. */
  private nullOp(p: Proc): void {
    this.emit(p, this.r.pick(['peek 0 1', 'poke 0 "x"', 'munmap 0 4K', 'mprotect 0 4K PROT_READ', 'madvise 0 4K MADV_DONTNEED', 'msync 0 4K MS_SYNC', 'mincore 0 4K', 'sum 4096 16']));
  }

  // ---- processes ----

  private processOp(p: Proc): void {
    const x = this.r.float();
    if (x < 0.6) {
      if (this.procs.length >= 4) return this.mapsOp(p);
      const child: Proc = {
        label: `p${this.nextLabel++}`,
        fds: new Map(p.fds),
        pages: p.pages.map((s) => (s === undefined ? undefined : new Set(s))),
        hot: [...p.hot],
        pokes: [...p.pokes],
      };
      this.emit(p, `fork ${child.label}`);
      this.procs.push(child);
    } else if (x < 0.88) {
      if (this.procs.length <= 1) return this.mapsOp(p);
      this.emit(p, 'exit');
      this.procs.splice(this.procs.indexOf(p), 1);
    } else {
      this.emit(p, 'exec');
      p.pages = [];
      p.hot = [];
      p.pokes = [];
      for (const [name, f] of [...p.fds]) if (f.cloexec) p.fds.delete(name);
      // Usually re-reserve R at the same place (free after exec on both kernels).
      if (this.r.chance(0.7)) this.emit(p, `mmap ${this.fresh('M')} R ${this.num(this.size)} PROT_NONE MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED -1 0`);
    }
  }

  // ---- files and shm ----

  private fdOp(p: Proc): void {
    const fds = [...p.fds];
    const opens: [number, () => void][] = [];
    if (this.has('files')) opens.push([1, () => void this.openOp(p)], [0.3, () => this.unlinkOp(p)]);
    if (this.has('shm')) opens.push([1, () => void this.shmOpenOp(p)], [0.3, () => this.shmUnlinkOp(p)]);
    if (fds.length === 0 || this.r.chance(0.15)) return this.r.weighted(opens)();
    const [fd, info] = this.r.pick(fds);
    this.r.weighted<() => void>([
      [4, () => this.writeOp(p, fd, info)],
      [3, () => this.pwriteOp(p, fd, info)],
      [2, () => this.emit(p, `read ${fd} ${this.num(this.r.int(40))}`)],
      [3, () => this.emit(p, `pread ${fd} ${this.num(this.r.int(3 * PAGE))} ${this.num(this.r.int(40))}`)],
      [1.5, () => this.lseekOp(p, fd)],
      [2, () => this.emit(p, `fstat ${fd}`)],
      [4, () => this.ftruncateOp(p, fd, info)],
      [1.5, () => this.closeOp(p, fd)],
      [1, () => this.dupOp(p, fd, info)],
      [1.5, () => this.r.weighted(opens)()],
      [3, () => this.mmapFs(p, info.obj.kind)],
    ])();
  }

  private openOp(p: Proc): string | undefined {
    // Now and then an shm object by its path under /dev/shm (the same object as shm_open's).
    const viaShm = this.has('shm') && this.r.chance(0.15);
    const shmName = this.r.pick(this.shmNames);
    const table = viaShm ? this.shms : this.files;
    const key = viaShm ? shmName : this.r.pick(FILE_PATHS);
    const path = viaShm ? shmObjectPath(shmName.slice(1)) : key;
    const existing = table.get(key);
    if (this.r.chance(0.08)) {
      // May fail (EEXIST, ENOENT): a throw-away name, never used again.
      const flags = existing ? 'O_RDWR|O_CREAT|O_EXCL' : this.r.pick(['O_RDWR', 'O_RDONLY']);
      this.emit(p, `open ${this.fresh('X')} "${path}" ${flags}`);
      return undefined;
    }
    const acc = this.r.weighted([[5, 'O_RDWR'], [2, 'O_RDONLY'], [1, 'O_WRONLY']]);
    let flags = acc;
    // O_CREAT (without O_EXCL) cannot fail in the scratch directory: the
    // variable is surely bound. Without it, only when the path surely exists.
    if (!existing || this.r.chance(0.7)) flags += '|O_CREAT';
    if (acc !== 'O_RDONLY' && this.r.chance(0.12)) flags += '|O_TRUNC';
    if (acc !== 'O_RDONLY' && this.r.chance(0.1)) flags += '|O_APPEND';
    const cloexec = this.r.chance(0.2);
    if (cloexec) flags += '|O_CLOEXEC';
    const mode = flags.includes('O_CREAT') && this.r.chance(0.7) ? ` ${this.r.pick(['0600', '0644', '0666', '0640'])}` : '';
    const obj = existing ?? { kind: viaShm ? ('shm' as const) : ('file' as const), tainted: false };
    table.set(key, obj);
    const fd = this.fresh('F');
    this.emit(p, `open ${fd} "${path}" ${flags}${mode}`);
    p.fds.set(fd, { obj, readable: acc !== 'O_WRONLY', writable: acc !== 'O_RDONLY', cloexec });
    return fd;
  }

  private unlinkOp(p: Proc): void {
    if (this.has('shm') && this.r.chance(0.15)) {
      const name = this.r.pick(this.shmNames);
      this.emit(p, `unlink "${shmObjectPath(name.slice(1))}"`);
      this.shms.delete(name);
      return;
    }
    const path = this.r.pick(FILE_PATHS);
    this.emit(p, `unlink "${path}"`);
    this.files.delete(path);
  }

  private shmOpenOp(p: Proc): string | undefined {
    const name = this.r.pick(this.shmNames);
    const existing = this.shms.get(name);
    if (this.r.chance(0.08)) {
      const flags = existing ? 'O_RDWR|O_CREAT|O_EXCL' : 'O_RDWR';
      const bad = this.r.chance(0.2) ? this.r.pick(['"/"', '"/a/b"', '""']) : `"${name}"`;
      this.emit(p, `shm_open ${this.fresh('X')} ${bad} ${flags}`);
      return undefined;
    }
    const acc = this.r.weighted([[5, 'O_RDWR'], [2, 'O_RDONLY']]);
    let flags = acc;
    if (!existing || this.r.chance(0.7)) flags += '|O_CREAT';
    if (acc === 'O_RDWR' && this.r.chance(0.08)) flags += '|O_TRUNC';
    const mode = flags.includes('O_CREAT') ? ` ${this.r.pick(['0600', '0644', '0666'])}` : '';
    const obj = existing ?? { kind: 'shm' as const, tainted: false };
    this.shms.set(name, obj);
    const fd = this.fresh('S');
    this.emit(p, `shm_open ${fd} "${name}" ${flags}${mode}`);
    p.fds.set(fd, { obj, readable: true, writable: acc === 'O_RDWR', cloexec: true });
    return fd;
  }

  private shmUnlinkOp(p: Proc): void {
    const name = this.r.pick(this.shmNames);
    this.emit(p, `shm_unlink "${name}"`);
    this.shms.delete(name);
  }

  private writeOp(p: Proc, fd: string, info: FdInfo): void {
    this.emit(p, `write ${fd} ${this.data(20)}`);
    if (info.writable) info.obj.tainted = true;
  }

  private pwriteOp(p: Proc, fd: string, info: FdInfo): void {
    const off = this.r.chance(0.5) ? this.r.int(3 * PAGE) : PAGE * this.r.int(4);
    this.emit(p, `pwrite ${fd} ${this.num(off)} ${this.data(20)}`);
    if (info.writable) info.obj.tainted = true;
  }

  private lseekOp(p: Proc, fd: string): void {
    const whence = this.r.pick(['SEEK_SET', 'SEEK_CUR', 'SEEK_END']);
    const off = this.r.chance(0.15) ? -this.r.range(1, 20) : this.r.int(2 * PAGE);
    this.emit(p, `lseek ${fd} ${off < 0 ? String(off) : this.num(off)} ${whence}`);
  }

  private ftruncateOp(p: Proc, fd: string, info: FdInfo, sized = false): void {
    const aligned = sized || this.r.chance(0.8);
    const len = aligned ? PAGE * (sized ? 1 + this.r.int(8) : this.r.int(9)) : this.r.int(8 * PAGE);
    this.emit(p, `ftruncate ${fd} ${this.num(len)}`);
    if (!info.writable) return;
    if (len % PAGE === 0) info.obj.tainted = false;
    else info.obj.tainted = true;
  }

  private closeOp(p: Proc, fd: string): void {
    this.emit(p, `close ${fd}`);
    p.fds.delete(fd);
  }

  private dupOp(p: Proc, fd: string, info: FdInfo): void {
    const g = this.fresh('F');
    this.emit(p, `dup ${fd} ${g}`);
    p.fds.set(g, { ...info, cloexec: false });
  }
}

/** The scenario of (seed, index): the same text for the same arguments, always. */
export function generateScenario(seed: number, index: number, options: GenOptions): string {
  const r = new Prng(seed, index);
  const lines = r.range(options.minLines ?? 20, options.maxLines ?? 60);
  const tag = `${(seed >>> 0).toString(36)}x${index.toString(36)}`;
  const g = new Generator(r, options.areas, tag, options.without, options.beyondSpec ?? false);
  const without = options.without && options.without.size > 0 ? ` without ${[...options.without].join(',')}` : '';
  const beyond = options.beyondSpec ? ' beyond-spec' : '';
  const lineRange = (options.minLines ?? 20) !== 20 || (options.maxLines ?? 60) !== 60 ? ` lines ${options.minLines ?? 20}..${options.maxLines ?? 60}` : '';
  const header = `# fuzz seed ${seed} index ${index} areas ${[...options.areas].join(',')}${without}${lineRange}${beyond}\n`;
  return header + g.generate(lines);
}
