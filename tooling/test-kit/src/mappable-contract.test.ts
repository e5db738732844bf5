import { PAGE_SIZE, type Status } from '@tskern/abi';
import {
  TRANSLATE_NOMEM,
  TRANSLATE_SIGBUS,
  type Mappable,
  type MappingSpace,
  type TranslateResult,
} from '@tskern/mm-api';
import { NO_FRAME, type FrameAllocator, type FrameId } from '@tskern/pagealloc';
import { describe, expect, it } from 'vitest';
import { mappableContract, NotApplicable, type MappableHarness } from './mappable-contract';

const P = PAGE_SIZE;

/** A bug a ToyFile can be built with, each breaking one promise of the contract. */
type Bug =
  | 'frame-past-eof' // translate answers a frame for a page wholly past EOF
  | 'fresh-frame-per-translate' // every translate allocates a new frame (a shared mapping would not share)
  | 'truncate-keeps-mappings' // shrinking invalidates nobody
  | 'truncate-keeps-cows' // shrinking invalidates without the private copies
  | 'translate-leaks-ref' // translate takes a reference nobody drops
  | 'punch-without-invalidate' // punchHole frees pages but leaves mappings of them
  | 'remove-is-noop'; // removeMapping forgets nothing

interface Reg {
  space: MappingSpace;
  start: number;
  end: number;
  offset: number;
}

/**
 * A small file of frames written for this test alone, to prove the suite
 * fails on broken objects: correct without a bug, and each bug breaks the
 * check written for it.
 */
class ToyFile implements Mappable {
  private readonly pages = new Map<number, FrameId>();
  private regs: Reg[] = [];
  private bytes: number;

  constructor(
    readonly frames: FrameAllocator,
    size: number,
    private readonly bug: Bug | null,
  ) {
    this.bytes = size;
  }

  addMapping(space: MappingSpace, start: number, end: number, offset: number): void {
    this.regs.push({ space, start, end, offset });
  }

  removeMapping(space: MappingSpace, start: number, end: number, offset: number): void {
    if (this.bug === 'remove-is-noop') return;
    const i = this.regs.findIndex(
      (r) => r.space === space && r.start === start && r.end === end && r.offset === offset,
    );
    if (i >= 0) this.regs.splice(i, 1);
  }

  translate(offset: number): TranslateResult {
    if (offset >= Math.ceil(this.bytes / P) * P && this.bug !== 'frame-past-eof')
      return TRANSLATE_SIGBUS;
    const page = offset / P;
    let f = this.pages.get(page);
    if (f === undefined || this.bug === 'fresh-frame-per-translate') {
      if (f !== undefined) this.frames.decRef(f);
      const fresh = this.frames.allocate();
      if (fresh === NO_FRAME) return TRANSLATE_NOMEM;
      f = fresh;
      this.pages.set(page, f);
    }
    if (this.bug === 'translate-leaks-ref') this.frames.incRef(f);
    return f;
  }

  isResident(offset: number): boolean {
    return this.pages.has(offset / P);
  }

  size(): number {
    return this.bytes;
  }

  punchHole(offset: number, length: number): Status {
    if (this.bug !== 'punch-without-invalidate') this.invalidate(offset, offset + length, false);
    this.free(offset / P, (offset + length) / P);
    return 0;
  }

  truncate(size: number): void {
    const keep = Math.ceil(size / P);
    if (this.bug !== 'truncate-keeps-mappings')
      this.invalidate(keep * P, Infinity, this.bug !== 'truncate-keeps-cows');
    this.free(keep, Infinity);
    const eof = this.pages.get(keep - 1);
    if (eof !== undefined && size % P !== 0) this.frames.zero(eof, size % P, P - (size % P));
    this.bytes = size;
  }

  dispose(): void {
    this.free(0, Infinity);
  }

  private free(from: number, to: number): void {
    for (const [page, f] of [...this.pages]) {
      if (page >= from && page < to) {
        this.frames.decRef(f);
        this.pages.delete(page);
      }
    }
  }

  private invalidate(from: number, to: number, evenCows: boolean): void {
    for (const r of [...this.regs]) {
      const lo = Math.max(from, r.offset);
      const hi = Math.min(to, r.offset + (r.end - r.start));
      if (lo < hi) r.space.invalidate(r.start + lo - r.offset, r.start + hi - r.offset, evenCows);
    }
  }
}

function toyHarness(bug: Bug | null): MappableHarness {
  return {
    punchHole: 'frees',
    create(frames, size) {
      const file = new ToyFile(frames, size, bug);
      return { mappable: file, truncate: (n) => file.truncate(n), dispose: () => file.dispose() };
    },
  };
}

/** The checks that fail for `harness` (their names). */
function failing(harness: MappableHarness): string[] {
  return mappableContract
    .filter((c) => {
      try {
        c.run(harness);
        return false;
      } catch (e) {
        return !(e instanceof NotApplicable);
      }
    })
    .map((c) => c.name);
}

describe('the Mappable contract suite', () => {
  it('passes a correct object', () => {
    expect(failing(toyHarness(null))).toEqual([]);
  });

  // Each bug must fail the check written for it (named by a phrase of its title).
  const caughtBy: [Bug, string][] = [
    ['frame-past-eof', 'a page wholly past it is SIGBUS'],
    ['fresh-frame-per-translate', 'one page, one frame'],
    ['truncate-keeps-mappings', 'truncate invalidates'],
    ['truncate-keeps-cows', 'truncate invalidates'],
    ['translate-leaks-ref', 'translate takes no reference'],
    ['punch-without-invalidate', 'punchHole frees the range'],
    ['remove-is-noop', 'a removed registration is never invalidated'],
  ];
  it.each(caughtBy)('catches the bug %s', (bug, check) => {
    const failed = failing(toyHarness(bug));
    expect(
      failed.some((name) => name.includes(check)),
      `failed: ${failed.join('; ')}`,
    ).toBe(true);
  });

  it('says why a check does not apply to a fixed-size object without a read path', () => {
    const fixed: MappableHarness = {
      punchHole: 'frees',
      create(frames, size) {
        const file = new ToyFile(frames, size, null);
        return { mappable: file, dispose: () => file.dispose() };
      },
    };
    const reasons = mappableContract.flatMap((c) => {
      try {
        c.run(fixed);
        return [];
      } catch (e) {
        expect(e).toBeInstanceOf(NotApplicable);
        return [(e as Error).message];
      }
    });
    expect(reasons).toContain('the object has a fixed size (no truncate)');
    expect(reasons).toContain('the object has no read(2)/write(2) path');
  });
});
