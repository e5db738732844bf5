// Micro-benchmark: ns/op of RangeMap hot paths with 10 vs 60,000 segments.
//   pnpm bench   (= tsx --conditions=@tskern/source bench/rangemap.bench.ts)
// Layout in pages above BASE: segment i covers [3i+1, 3i+3), so a one-page
// gap precedes every segment; the middle segment is left out to make one
// four-page gap. BASE is a typical x86-64 mmap area address, so bounds are
// doubles rather than small integers, as they are in the kernel.
import { RangeMap, type Segment } from '../src/index';

const PAGE = 4096;
const BASE = 0x7f00_0000_0000;
const REPS = 7;

interface Fixture {
  map: RangeMap<number>;
  count: number;
  /** Random points inside segments / random one-page holes, page-aligned. */
  inside: Float64Array;
  holes: Float64Array;
  findOpts: { lo: number; hi: number; topDown: boolean };
  mmapOpts: { lo: number; hi: number; topDown: boolean };
}

function fixture(count: number): Fixture {
  const missing = count >> 1;
  const max = BASE + (3 * count + 1) * PAGE;
  const map = new RangeMap<number>({ min: BASE, max });
  for (let i = 0; i < count; i++) {
    if (i !== missing) map.insert(BASE + (3 * i + 1) * PAGE, BASE + (3 * i + 3) * PAGE, i);
  }
  let x = 12345;
  const rand = (n: number): number => {
    x = (x * 1103515245 + 12345) >>> 0;
    return x % n;
  };
  const inside = new Float64Array(4096);
  const holes = new Float64Array(4096);
  for (let k = 0; k < 4096; k++) {
    let i = rand(count);
    if (i === missing) i = (i + 1) % count;
    inside[k] = BASE + (3 * i + 1) * PAGE + rand(2 * PAGE);
    holes[k] = BASE + 3 * i * PAGE;
  }
  return {
    map,
    count,
    inside,
    holes,
    // Two pages fit only in the one big gap: the search must prune its way there.
    findOpts: { lo: BASE, hi: max, topDown: true },
    // mmap-style: top-down below a "mmap base" in the middle of the mappings.
    mmapOpts: { lo: BASE, hi: BASE + 3 * (count >> 2) * PAGE, topDown: true },
  };
}

let sink = 0;

function timeIt(iterations: number, body: (f: Fixture, n: number) => void, f: Fixture): number {
  let best = Infinity;
  for (let r = 0; r < REPS; r++) {
    const t0 = process.hrtime.bigint();
    body(f, iterations);
    const ns = Number(process.hrtime.bigint() - t0) / iterations;
    if (ns < best) best = ns;
  }
  return best;
}

function findRandom(f: Fixture, n: number): void {
  const m = f.map;
  const pts = f.inside;
  for (let i = 0; i < n; i++) {
    const s = m.find(pts[i & 4095]!);
    if (s !== undefined) sink += s.value;
  }
}

function findRepeat(f: Fixture, n: number): void {
  const m = f.map;
  const p = f.inside[0]!;
  for (let i = 0; i < n; i++) {
    const s = m.find(p + (i & 4095));
    if (s !== undefined) sink += s.value;
  }
}

function insertRemove(f: Fixture, n: number): void {
  const m = f.map;
  const holes = f.holes;
  for (let i = 0; i < n; i++) {
    const a = holes[i & 4095]!;
    const s: Segment<number> = m.insert(a, a + PAGE, i);
    m.remove(s);
  }
}

function findGap(f: Fixture, n: number): void {
  const m = f.map;
  const opts = f.findOpts;
  for (let i = 0; i < n; i++) sink += m.findGap(2 * PAGE, opts) ?? 0;
}

function mmapMunmap(f: Fixture, n: number): void {
  const m = f.map;
  const opts = f.mmapOpts;
  for (let i = 0; i < n; i++) {
    const a = m.findGap(PAGE, opts)!;
    const s = m.insert(a, a + PAGE, i);
    sink += m.find(a + 5)!.value;
    m.remove(s);
  }
}

const keep = (v: number): number => v;
const always = (): boolean => true;

/** mmap into a one-page hole that merges with both neighbours, then munmap it (split twice, remove). */
function mmapMergeMunmap(f: Fixture, n: number): void {
  const m = f.map;
  const opts = f.mmapOpts;
  for (let i = 0; i < n; i++) {
    const a = m.findGap(PAGE, opts)!;
    m.mergeAround(m.insert(a, a + PAGE, 0), always);
    m.remove(m.isolate(a, a + PAGE, keep)!);
  }
}

const cases: [string, (f: Fixture, n: number) => void, number][] = [
  ['find (random)', findRandom, 2_000_000],
  ['find (same segment, hint hit)', findRepeat, 5_000_000],
  ['insert + remove (random hole)', insertRemove, 1_000_000],
  ['findGap (2 pages, top-down, pruned)', findGap, 1_000_000],
  ['findGap + insert + find + remove (mmap/munmap)', mmapMunmap, 1_000_000],
  ['mmap into hole: + mergeAround, isolate, remove', mmapMergeMunmap, 1_000_000],
];

const small = fixture(10);
const large = fixture(60_000);
// Warm up every path on both sizes so both runs use optimized code.
for (const [, body] of cases) {
  body(small, 200_000);
  body(large, 200_000);
}

console.log(`node ${process.version}; best of ${REPS} runs`);
console.log(
  'operation'.padEnd(48) + 'n=10'.padStart(10) + 'n=60000'.padStart(10) + 'ratio'.padStart(8),
);
for (const [name, body, iterations] of cases) {
  const a = timeIt(iterations, body, small);
  const b = timeIt(iterations, body, large);
  console.log(
    name.padEnd(48) +
      `${a.toFixed(1)}ns`.padStart(10) +
      `${b.toFixed(1)}ns`.padStart(10) +
      `${(b / a).toFixed(2)}x`.padStart(8),
  );
}
small.map.checkInvariants();
large.map.checkInvariants();
if (sink === 0.5) console.log(sink); // keep results observable
