import { MADV, MAP, MREMAP, PAGE_SIZE, PROT, Signal } from '@tskern/abi';
import { forkAddressSpace, load, madvise, mmap, mprotect, mremap, munmap, store, type AddressSpace } from '@tskern/mman';
import { CpuMemoryFault } from '@tskern/rv64';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCpuMemory, type TlbCpuMemory } from './index';
import { world, type World } from './testing/world';

// Two identical worlds run the same random sequence of mman calls; in one,
// accesses go through TlbCpuMemory (with tiny TLBs, so slots alias), in the
// other through mman's own user-access load/store, which has no cache. Two
// address spaces share a MAP_SHARED file (and fork relatives share COW
// frames), so a translation one space's TLB kept after another space, a
// truncate or an mman call changed the page table shows as a difference.

const BASE = 0x10000000;
const PAGES = 8;

type Op =
  | { op: 'mmap'; s: number; page: number; n: number; prot: number; kind: 'anon' | 'shared' | 'private'; filePage: number }
  | { op: 'munmap'; s: number; page: number; n: number }
  | { op: 'mprotect'; s: number; page: number; n: number; prot: number }
  | { op: 'mremap'; s: number; page: number; n: number; to: number; n2: number }
  | { op: 'madvise'; s: number; page: number; n: number; advice: number }
  | { op: 'fork' }
  | { op: 'truncate'; pages: number; extra: number }
  | { op: 'load'; s: number; at: number; size: 1 | 2 | 4 }
  | { op: 'store'; s: number; at: number; size: 1 | 2 | 4; value: number };

const s = fc.integer({ min: 0, max: 1 });
const page = fc.integer({ min: 0, max: PAGES - 1 });
const n = fc.integer({ min: 1, max: 3 });
const prot = fc.constantFrom(PROT.PROT_NONE, PROT.PROT_READ, PROT.PROT_READ | PROT.PROT_WRITE);
const at = fc.integer({ min: 0, max: PAGES * PAGE_SIZE - 1 }).chain((a) =>
  fc.oneof(fc.constant(a), fc.constant(a - (a % PAGE_SIZE) + PAGE_SIZE - 1), fc.constant(a - (a % PAGE_SIZE))),
);
const size = fc.constantFrom(1 as const, 2 as const, 4 as const);
const access = fc.oneof(
  fc.record({ op: fc.constant('load' as const), s, at, size }),
  fc.record({ op: fc.constant('store' as const), s, at, size, value: fc.integer({ min: 0, max: 0xffffffff }) }),
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: access },
  fc.record({ op: fc.constant('mmap' as const), s, page, n, prot, kind: fc.constantFrom('anon' as const, 'shared' as const, 'private' as const), filePage: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ op: fc.constant('munmap' as const), s, page, n }),
  fc.record({ op: fc.constant('mprotect' as const), s, page, n, prot }),
  fc.record({ op: fc.constant('mremap' as const), s, page, n, to: page, n2: n }),
  fc.record({ op: fc.constant('madvise' as const), s, page, n, advice: fc.constantFrom(MADV.MADV_DONTNEED, MADV.MADV_REMOVE, MADV.MADV_FREE) }),
  fc.constant({ op: 'fork' as const }),
  fc.record({ op: fc.constant('truncate' as const), pages: fc.integer({ min: 0, max: 4 }), extra: fc.integer({ min: 0, max: 100 }) }),
);

/** One world and its two address spaces; `memories` only in the TLB world. */
class Side {
  readonly w: World;
  readonly spaces: AddressSpace[];
  memories: TlbCpuMemory[] = [];
  constructor(readonly tlb: boolean) {
    this.w = world(512);
    this.spaces = [this.w.space(), this.w.space()];
    if (tlb) this.memories = this.spaces.map((as) => createCpuMemory(as, { tlbEntries: 4 }));
  }

  /** Apply `op`; returns what an observer of the result would see. */
  apply(op: Op): unknown {
    const addr = (p: number) => BASE + p * PAGE_SIZE;
    switch (op.op) {
      case 'mmap': {
        const flags = (op.kind === 'anon' ? MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS : op.kind === 'shared' ? MAP.MAP_SHARED : MAP.MAP_PRIVATE) | MAP.MAP_FIXED;
        const source = op.kind === 'anon' ? null : this.w.source;
        return mmap(this.spaces[op.s]!, addr(op.page), op.n * PAGE_SIZE, op.prot, flags, source, op.kind === 'anon' ? 0 : op.filePage * PAGE_SIZE);
      }
      case 'munmap':
        return munmap(this.spaces[op.s]!, addr(op.page), op.n * PAGE_SIZE);
      case 'mprotect':
        return mprotect(this.spaces[op.s]!, addr(op.page), op.n * PAGE_SIZE, op.prot);
      case 'mremap':
        return mremap(this.spaces[op.s]!, addr(op.page), op.n * PAGE_SIZE, op.n2 * PAGE_SIZE, MREMAP.MREMAP_MAYMOVE | MREMAP.MREMAP_FIXED, addr(op.to) + 0x1000000);
      case 'madvise':
        return madvise(this.spaces[op.s]!, addr(op.page), op.n * PAGE_SIZE, op.advice);
      case 'fork': {
        // The second space becomes a child of the first (the old one exits).
        this.spaces[1]!.releaseAll();
        this.spaces[1] = forkAddressSpace(this.spaces[0]!);
        if (this.tlb) {
          this.memories[1]!.dispose();
          this.memories[1] = createCpuMemory(this.spaces[1], { tlbEntries: 4 });
        }
        return 0;
      }
      case 'truncate':
        return this.w.truncate(op.pages * PAGE_SIZE + op.extra);
      case 'load':
        return this.tlb ? this.cpuLoad(op.s, BASE + op.at, op.size) : this.userLoad(op.s, BASE + op.at, op.size);
      case 'store':
        return this.tlb ? this.cpuStore(op.s, BASE + op.at, op.size, op.value) : this.userStore(op.s, BASE + op.at, op.size, op.value);
    }
  }

  private cpuLoad(i: number, a: number, size: number): unknown {
    const m = this.memories[i]!;
    try {
      return size === 1 ? m.load8(a) : size === 2 ? m.load16(a) : m.load32(a) >>> 0;
    } catch (e) {
      if (!(e instanceof CpuMemoryFault)) throw e;
      return e.kind === 'adrerr' ? Signal.SIGBUS : Signal.SIGSEGV;
    }
  }

  private cpuStore(i: number, a: number, size: number, value: number): unknown {
    const m = this.memories[i]!;
    try {
      if (size === 1) m.store8(a, value & 0xff);
      else if (size === 2) m.store16(a, value & 0xffff);
      else m.store32(a, value);
      return 0;
    } catch (e) {
      if (!(e instanceof CpuMemoryFault)) throw e;
      return e.kind === 'adrerr' ? Signal.SIGBUS : Signal.SIGSEGV;
    }
  }

  private userLoad(i: number, a: number, size: number): unknown {
    const buf = new Uint8Array(size);
    const sig = load(this.spaces[i]!, a, buf, 0, size);
    if (sig !== 0) return sig;
    let v = 0;
    for (let k = 0; k < size; k++) v += buf[k]! * 2 ** (8 * k);
    return v;
  }

  private userStore(i: number, a: number, size: number, value: number): unknown {
    const buf = new Uint8Array(size);
    for (let k = 0; k < size; k++) buf[k] = (value >>> (8 * k)) & 0xff;
    return store(this.spaces[i]!, a, buf, 0, size);
  }
}

describe('TlbCpuMemory agrees with mman user access', () => {
  it('under random mman calls in two spaces sharing a file, with accesses between them', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 10, maxLength: 50, size: 'medium' }), (ops) => {
        const viaTlb = new Side(true);
        const viaUser = new Side(false);
        // Start with the window mapped in both spaces: the file shared at
        // pages 0-2 (a private view of it at 6-7 in the first), anonymous
        // memory between.
        const start: Op[] = [
          { op: 'truncate', pages: 2, extra: 0 },
          { op: 'mmap', s: 0, page: 0, n: 3, prot: PROT.PROT_READ | PROT.PROT_WRITE, kind: 'shared', filePage: 0 },
          { op: 'mmap', s: 1, page: 0, n: 3, prot: PROT.PROT_READ | PROT.PROT_WRITE, kind: 'shared', filePage: 0 },
          { op: 'mmap', s: 0, page: 3, n: 3, prot: PROT.PROT_READ | PROT.PROT_WRITE, kind: 'anon', filePage: 0 },
          { op: 'mmap', s: 1, page: 3, n: 5, prot: PROT.PROT_READ | PROT.PROT_WRITE, kind: 'anon', filePage: 0 },
          { op: 'mmap', s: 0, page: 6, n: 2, prot: PROT.PROT_READ | PROT.PROT_WRITE, kind: 'private', filePage: 0 },
        ];
        for (const op of start) expect(viaTlb.apply(op)).toEqual(viaUser.apply(op));
        for (const op of ops) expect([op, viaTlb.apply(op)]).toEqual([op, viaUser.apply(op)]);
        // And the final contents of both windows, read without any TLB.
        for (let i = 0; i < 2; i++) {
          for (let p = 0; p < PAGES; p++) {
            const a = BASE + p * PAGE_SIZE;
            const x = new Uint8Array(PAGE_SIZE);
            const y = new Uint8Array(PAGE_SIZE);
            expect([i, p, load(viaTlb.spaces[i]!, a, x, 0, PAGE_SIZE)]).toEqual([i, p, load(viaUser.spaces[i]!, a, y, 0, PAGE_SIZE)]);
            const differs = x.findIndex((b, k) => b !== y[k]!);
            expect([i, p, differs]).toEqual([i, p, -1]);
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
