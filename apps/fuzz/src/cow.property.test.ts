/**
 * Property: copy-on-write isolation. Processes fork, write, fill, zap
 * (MADV_DONTNEED) and exit in random order; each process's private anonymous
 * bytes always equal a per-process model, and nothing leaks at the end.
 */
import fc from 'fast-check';
import { propertyRuns, testTimeout } from '@tskern/vitest-config/budget';
import { describe, expect, it } from 'vitest';
import { MADV, MAP, PROT, SYS } from '@tskern/abi';
import { setInvariantChecks } from '@tskern/assert';
import { createKernel } from '@tskern/kernel';
import { framesLeftAfterCleanup } from './cleanup';

const PAGE = 4096;
const PAGES = 8;
const SIZE = PAGES * PAGE;

type Cmd =
  | { k: 'fork'; p: number }
  | { k: 'write'; p: number; off: number; data: number[] }
  | { k: 'fill'; p: number; off: number; len: number; byte: number }
  | { k: 'dontneed'; p: number; page: number; pages: number }
  | { k: 'read'; p: number }
  | { k: 'exit'; p: number };

const arbCmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ k: fc.constant('fork' as const), p: fc.nat(7) }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('write' as const), p: fc.nat(7), off: fc.nat(SIZE - 1), data: fc.array(fc.nat(255), { minLength: 1, maxLength: 300 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('fill' as const), p: fc.nat(7), off: fc.nat(SIZE - 1), len: fc.nat(2 * PAGE), byte: fc.nat(255) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('dontneed' as const), p: fc.nat(7), page: fc.nat(PAGES - 1), pages: fc.integer({ min: 1, max: PAGES }) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('read' as const), p: fc.nat(7) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('exit' as const), p: fc.nat(7) }) },
);

describe('COW isolation against a per-process model (fast-check)', () => {
  it('each process sees exactly its own writes and its parent’s writes from before the fork', () => {
    setInvariantChecks(true);
    fc.assert(
      fc.property(fc.array(arbCmd, { minLength: 1, maxLength: 50 }), (cmds) => {
        const k = createKernel();
        k.registerProgram('/bin/cow', {});
        const first = k.spawn('/bin/cow', { uid: 1000, gid: 1000 });
        const base = k.syscall(first, SYS.mmap, 0, SIZE, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0);
        expect(base).toBeGreaterThan(0);
        const procs: { pid: number; model: Uint8Array }[] = [{ pid: first, model: new Uint8Array(SIZE) }];
        const check = (p: { pid: number; model: Uint8Array }): void => {
          const got = new Uint8Array(SIZE);
          expect(k.load(p.pid, base, got)).toBe(0);
          expect(Buffer.compare(got, p.model)).toBe(0);
        };
        for (const c of cmds) {
          if (procs.length === 0) break;
          const p = procs[c.p % procs.length]!;
          switch (c.k) {
            case 'fork': {
              if (procs.length >= 6) break;
              const child = k.syscall(p.pid, SYS.fork);
              expect(child).toBeGreaterThan(0);
              procs.push({ pid: child, model: p.model.slice() });
              break;
            }
            case 'write': {
              const data = Uint8Array.from(c.data.slice(0, SIZE - c.off));
              expect(k.store(p.pid, base + c.off, data)).toBe(0);
              p.model.set(data, c.off);
              break;
            }
            case 'fill': {
              const len = Math.min(c.len, SIZE - c.off);
              expect(k.fill(p.pid, base + c.off, len, c.byte)).toBe(0);
              p.model.fill(c.byte, c.off, c.off + len);
              break;
            }
            case 'dontneed': {
              const pages = Math.min(c.pages, PAGES - c.page);
              expect(k.syscall(p.pid, SYS.madvise, base + c.page * PAGE, pages * PAGE, MADV.MADV_DONTNEED)).toBe(0);
              p.model.fill(0, c.page * PAGE, (c.page + pages) * PAGE);
              break;
            }
            case 'read':
              check(p);
              break;
            case 'exit':
              k.syscall(p.pid, SYS.exit_group, 0);
              procs.splice(procs.indexOf(p), 1);
              break;
          }
          for (const q of k.tasks.tasks()) if (q.alive) q.mm.check();
        }
        for (const p of procs) check(p);
        expect(framesLeftAfterCleanup(k)).toBe(0);
      }),
      { numRuns: propertyRuns(30) },
    );
  }, testTimeout(30_000));
});
