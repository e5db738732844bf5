import fc from 'fast-check';
import { propertyRuns } from '@tskern/vitest-config/budget';
import { describe, expect, it } from 'vitest';
import { MappingSet } from './mapping-set';
import type { MappingSpace } from './mapping-space';

/** A space that records the ranges it was asked to invalidate. */
class RecordingSpace implements MappingSpace {
  readonly calls: string[] = [];
  invalidate(start: number, end: number, invalidatePrivate: boolean): void {
    this.calls.push(`${start}-${end}${invalidatePrivate ? ' +cow' : ''}`);
  }
}

const P = 4096;

describe('MappingSet', () => {
  it('removes exactly the registration added with the same arguments, also with two at one start (a split)', () => {
    const rmap = new MappingSet();
    const a = new RecordingSpace();
    const b = new RecordingSpace();
    rmap.add(a, 0, 2 * P, 0, true);
    rmap.add(a, 0, P, 0, true); // the left piece of a split, registered before the whole goes
    rmap.add(b, 0, 2 * P, 0, false);
    expect(rmap.size).toBe(3);
    expect(rmap.remove(a, 0, 2 * P, P, true)).toBe(false); // wrong offset
    expect(rmap.remove(a, 0, 2 * P, 0, false)).toBe(false); // wrong writability
    expect(rmap.remove(a, 0, 2 * P, 0, true)).toBe(true);
    expect(rmap.remove(a, 0, 2 * P, 0, true)).toBe(false);
    expect(rmap.hasWritableMappings).toBe(true);
    expect(rmap.remove(a, 0, P, 0, true)).toBe(true);
    expect(rmap.hasWritableMappings).toBe(false);
    rmap.invalidate(0, Infinity, false);
    expect(a.calls).toEqual([]);
    expect(b.calls).toEqual(['0-8192']);
    expect(rmap.remove(b, 0, 2 * P, 0, false)).toBe(true);
    expect(rmap.size).toBe(0);
  });

  it('write-protects the writable mappings of a range (page_mkclean), falling back to invalidation for a space that cannot', () => {
    const rmap = new MappingSet();
    const plain = new RecordingSpace();
    const protects: string[] = [];
    const protecting = Object.assign(new RecordingSpace(), { writeProtect: (start: number, end: number) => void protects.push(`${start}-${end}`) });
    const reader = new RecordingSpace();
    rmap.add(plain, 10 * P, 14 * P, 0, true); // object pages 0..3 at 10..13
    rmap.add(protecting, 20 * P, 22 * P, 2 * P, true); // object pages 2..3 at 20..21
    rmap.add(reader, 0, 4 * P, 0, false);
    rmap.writeProtect(P, 3 * P); // object pages 1..2
    expect(plain.calls).toEqual([`${11 * P}-${13 * P}`]);
    expect(protects).toEqual([`${20 * P}-${21 * P}`]);
    expect(protecting.calls).toEqual([]);
    expect(reader.calls).toEqual([]);
  });

  it('takes thousands of one-page mappings of one space and gives them all back, one by one in either order or all at once', () => {
    // Correctness only (speed belongs to the bench's teardown case); one
    // expect per phase, not per call, so the test stays light on a loaded machine.
    const rmap = new MappingSet();
    const s = new RecordingSpace();
    const n = 5_000;
    for (let i = 0; i < n; i++) rmap.add(s, (n - i) * P, (n - i + 1) * P, 0, true);
    let removed = 0;
    for (let i = 1; i <= n; i++) if (rmap.remove(s, i * P, (i + 1) * P, 0, true)) removed++;
    expect(removed).toBe(n);
    expect(rmap.size).toBe(0);
    expect(rmap.hasWritableMappings).toBe(false);
    const other = new RecordingSpace();
    for (let i = 0; i < n; i++) rmap.add(s, i * P, (i + 1) * P, 0, i % 2 === 0);
    rmap.add(other, 0, P, 0, false);
    expect(rmap.removeSpace(s)).toBe(n); // exit: the whole space at once
    expect(rmap.size).toBe(1);
    expect(rmap.hasWritableMappings).toBe(false);
    expect(rmap.removeSpace(s)).toBe(0);
  });

  it('agrees with a list of registrations (property)', () => {
    type Op =
      | { add: boolean; space: number; page: number; pages: number; off: number; w: boolean }
      | { inval: [number, number] }
      | { drop: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 6, arbitrary: fc.record({ add: fc.boolean(), space: fc.nat(2), page: fc.nat(4), pages: fc.integer({ min: 1, max: 2 }), off: fc.nat(2), w: fc.boolean() }) },
      { weight: 1, arbitrary: fc.record({ inval: fc.tuple(fc.nat(6), fc.nat(6)) }) },
      { weight: 1, arbitrary: fc.record({ drop: fc.nat(2) }) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const spaces = [new RecordingSpace(), new RecordingSpace(), new RecordingSpace()];
        const model = spaces.map(() => new RecordingSpace());
        const rmap = new MappingSet();
        const list: { s: number; start: number; end: number; off: number; w: boolean }[] = [];
        for (const o of ops) {
          if ('drop' in o) {
            const mine = list.filter((r) => r.s === o.drop).length;
            expect(rmap.removeSpace(spaces[o.drop]!)).toBe(mine);
            for (let i = list.length - 1; i >= 0; i--) if (list[i]!.s === o.drop) list.splice(i, 1);
            expect(rmap.size).toBe(list.length);
            expect(rmap.hasWritableMappings).toBe(list.some((r) => r.w));
            continue;
          }
          if ('inval' in o) {
            const [from, to] = [Math.min(...o.inval) * P, Math.max(...o.inval) * P];
            rmap.invalidate(from, to, true);
            for (const r of list) {
              const lo = Math.max(from, r.off);
              const hi = Math.min(to, r.off + (r.end - r.start));
              if (lo < hi) model[r.s]!.invalidate(r.start + (lo - r.off), r.start + (hi - r.off), true);
            }
            continue;
          }
          const reg = { s: o.space, start: o.page * P, end: (o.page + o.pages) * P, off: o.off * P, w: o.w };
          if (o.add) {
            rmap.add(spaces[o.space]!, reg.start, reg.end, reg.off, reg.w);
            list.push(reg);
          } else {
            const i = list.findIndex((r) => r.s === reg.s && r.start === reg.start && r.end === reg.end && r.off === reg.off && r.w === reg.w);
            expect(rmap.remove(spaces[o.space]!, reg.start, reg.end, reg.off, reg.w)).toBe(i >= 0);
            if (i >= 0) list.splice(i, 1);
          }
          expect(rmap.size).toBe(list.length);
          expect(rmap.hasWritableMappings).toBe(list.some((r) => r.w));
        }
        // The same invalidations per space (the order between registrations is free).
        spaces.forEach((s, i) => expect([...s.calls].sort()).toEqual([...model[i]!.calls].sort()));
      }),
      { numRuns: propertyRuns(100) },
    );
  });
});
