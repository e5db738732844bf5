import { propertyRuns } from '@tskern/vitest-config/budget';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '@tskern/scenario';
import { ALL_AREAS, generateScenario, parseAreas } from './generator';
import { runOnTskern } from './tskern-side';
import { hostDependence } from './validate';

const all = new Set(ALL_AREAS);

describe('generateScenario', () => {
  it('is a pure function of (seed, index, areas)', () => {
    expect(generateScenario(5, 17, { areas: all })).toBe(generateScenario(5, 17, { areas: all }));
    expect(generateScenario(5, 17, { areas: all })).not.toBe(generateScenario(5, 18, { areas: all }));
  });

  it('writes 20..60 operation lines, every address relative to R, every range inside it', () => {
    for (let i = 0; i < 100; i++) {
      const text = generateScenario(11, i, { areas: all });
      const ops = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
      expect(ops.length).toBeGreaterThanOrEqual(21);
      expect(ops.length).toBeLessThanOrEqual(62 + 4);
      expect(ops[0]).toMatch(/^p1 mmap R 0 \S+ PROT_NONE MAP_PRIVATE\|MAP_ANONYMOUS -1 0$/);
      // mmap only with MAP_FIXED or MAP_FIXED_NOREPLACE after the reservation.
      for (const l of ops.slice(1)) if (/ mmap /.test(l)) expect(l).toMatch(/MAP_FIXED/);
      expect(() => parseScenario(text)).not.toThrow();
    }
  });

  it('follows the host-independence rules that the validator checks', () => {
    for (const beyondSpec of [false, true]) {
      for (let i = 0; i < propertyRuns(150); i++) {
        const text = generateScenario(13, i, { areas: all, beyondSpec });
        expect(hostDependence(text), text).toBeUndefined();
      }
    }
    const bad = 'p1 mmap R 0 64K PROT_NONE MAP_PRIVATE|MAP_ANONYMOUS -1 0\np1 open F "f" O_RDWR|O_CREAT\np1 mmap M R 4K PROT_READ MAP_SHARED|MAP_FIXED F 0\np1 mincore R 4K\n';
    expect(hostDependence(bad)).toMatch(/mincore over regular-file pages/);
    expect(hostDependence(bad.replace('p1 mincore R 4K', 'p1 mmap A R 4K PROT_READ MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED -1 0\np1 mincore R 4K'))).toBeUndefined();
    expect(hostDependence(bad.replace('p1 mincore R 4K', 'p1 peek R+60K 8K'))).toMatch(/crosses R's end/);
    // An anonymous MAP_SHARED_VALIDATE fails (EINVAL): the file page is still there (seed 60601, index 9547).
    expect(hostDependence(bad.replace('p1 mincore R 4K', 'p1 mmap A R 4K PROT_READ MAP_SHARED_VALIDATE|MAP_ANONYMOUS|MAP_FIXED -1 0\np1 mincore R 4K'))).toMatch(/mincore over regular-file pages/);
  });

  it('rejects reads that may fault in the zero page of a VMA without an anon_vma', () => {
    const head = 'p1 mmap R 0 64K PROT_NONE MAP_PRIVATE|MAP_ANONYMOUS -1 0\np1 mmap A R 16K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED -1 0\n';
    const zero = /read fault on private anonymous memory/;
    expect(hostDependence(`${head}p1 peek R+4K 8\n`)).toMatch(zero);
    expect(hostDependence(`${head}p1 sum R+4K 8\n`)).toMatch(zero);
    expect(hostDependence(`${head}p1 madvise R 4K MADV_POPULATE_READ\n`)).toMatch(zero);
    expect(hostDependence(`${head}p1 mmap B R+32K 4K PROT_READ MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED|MAP_POPULATE -1 0\n`)).toMatch(zero);
    // A store to the mapping gives its VMA an anon_vma: reads anywhere in it are then the same everywhere.
    expect(hostDependence(`${head}p1 poke R+12K "x"\np1 peek R+4K 8\np1 fork p2\np2 mincore R 16K\n`)).toBeUndefined();
    // ... unless the mapping was split before the store (the other part keeps no anon_vma).
    expect(hostDependence(`${head}p1 mprotect R 4K PROT_READ\np1 poke R+12K "x"\np1 peek R+4K 8\n`)).toMatch(zero);
    // A store that may fail (PROT_READ) proves nothing; unreadable memory faults without mapping anything.
    expect(hostDependence(`${head}p1 mprotect R 16K PROT_READ\np1 poke R+12K "x"\np1 peek R 8\n`)).toMatch(zero);
    expect(hostDependence(`${head}p1 peek R+32K 8\n`)).toBeUndefined();
    // MREMAP_DONTUNMAP leaves its source without an anon_vma; MADV_WIPEONFORK does so in the child.
    expect(hostDependence(`${head}p1 poke R "x"\np1 mremap B R 4K 4K MREMAP_MAYMOVE|MREMAP_FIXED|MREMAP_DONTUNMAP R+32K\np1 peek R 8\n`)).toMatch(zero);
    expect(hostDependence(`${head}p1 poke R "x"\np1 madvise R 16K MADV_WIPEONFORK\np1 peek R+4K 8\np1 fork p2\np2 peek R+4K 8\n`)).toMatch(/^line 7: a read fault/);
  });

  it('honours --areas', () => {
    const anon = parseAreas('anon');
    for (let i = 0; i < 50; i++) {
      const text = generateScenario(2, i, { areas: anon });
      expect(text).not.toMatch(/ (open|shm_open|fork|exec|exit) /);
      expect(text).not.toMatch(/MAP_SHARED/);
    }
    expect(() => parseAreas('anon,bogus')).toThrow(/unknown area/);
    expect([...parseAreas('all')].sort()).toEqual([...ALL_AREAS].sort());
  });

  it('produces valid scenarios: no scenario error, crash or leak on tskern', () => {
    // Budgeted (TSKERN_PROPERTY_RUNS for more): each scenario runs the whole kernel with invariant checks.
    for (let i = 0; i < propertyRuns(20); i++) {
      const text = generateScenario(3, i, { areas: all });
      const out = runOnTskern(text, { invariants: true, timeoutMs: 20_000, leakCheck: true });
      expect(out.transcript, text).not.toMatch(/scenario error/);
      expect(out.problem, `${text}\n${out.transcript}`).toBeUndefined();
    }
  });
});
