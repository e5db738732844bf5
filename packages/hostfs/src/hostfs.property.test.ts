// Model-based test: random writes, reads, truncates, mapping stores, fsyncs,
// closes and reopens over a host file, with injected host write/fsync/read
// failures (errno answers, or plain Errors thrown by the backend, which must
// act the same: EIO), checked against a byte-array model; at the end a clean sync must
// leave the model's bytes in the host file and every frame free.
import * as nodeFs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { MAP, MS, O, PAGE_SIZE, PROT, Signal } from '@tskern/abi';
import { FileMappingRegistry } from '@tskern/file-mapping';
import { AddressSpace, memoryOptions, mmap, msync, munmap, standaloneSharedAnonymous, store } from '@tskern/mman';
import { ArenaFrameAllocator, assertNoFramesInUse } from '@tskern/pagealloc';
import { Credentials, Vfs, type FsTask, type OpenFileDescription } from '@tskern/vfs';
import fc from 'fast-check';
import { propertyRuns, testTimeout } from '@tskern/vitest-config/budget';
import { describe, expect, it } from 'vitest';
import { createHostFs, FaultyHostBackend, type FaultyHostFailure, type HostFs } from './index';
import { NodeHostBackend } from './node';

const P = PAGE_SIZE;
const MAX = 4 * P;
const MAP_PAGES = 4;

type Op =
  | { op: 'write'; pos: number; len: number; seed: number }
  | { op: 'read'; pos: number; len: number; fail: boolean }
  | { op: 'truncate'; size: number }
  | { op: 'store'; at: number; len: number; seed: number }
  | { op: 'fsync'; fail: 'none' | 'write' | 'fsync' }
  | { op: 'msync'; fail: boolean }
  | { op: 'reopen'; fail: boolean }
  | { op: 'map' }
  | { op: 'unmap' };

const pos = fc.oneof(fc.integer({ min: 0, max: MAX }), fc.integer({ min: 0, max: 4 }).map((p) => p * P), fc.integer({ min: 1, max: 4 }).map((p) => p * P - 1));
const len = fc.oneof(fc.integer({ min: 1, max: P + 10 }), fc.constantFrom(1, P));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('write' as const), pos, len, seed: fc.integer({ min: 1, max: 250 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('read' as const), pos, len, fail: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('truncate' as const), size: pos }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('store' as const), at: fc.integer({ min: 0, max: MAP_PAGES * P - 1 }), len: fc.integer({ min: 1, max: 64 }), seed: fc.integer({ min: 1, max: 250 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('fsync' as const), fail: fc.constantFrom('none' as const, 'write' as const, 'fsync' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('msync' as const), fail: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('reopen' as const), fail: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ op: 'map' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'unmap' as const }) },
);

function bytes(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => ((i + seed) % 251) + 1);
}

class Model {
  data = new Uint8Array(0);
  setSize(n: number): void {
    const next = new Uint8Array(n);
    next.set(this.data.subarray(0, Math.min(n, this.data.length)));
    this.data = next;
  }
  write(pos: number, src: Uint8Array): void {
    if (pos + src.length > this.data.length) this.setSize(pos + src.length);
    this.data.set(src, pos);
  }
}

function run(how: FaultyHostFailure, ops: Op[]): void {
  const dir = nodeFs.mkdtempSync(nodePath.join(os.tmpdir(), 'hostfs-prop-'));
  try {
    const frames = new ArenaFrameAllocator({ frames: 128 });
    const node = new NodeHostBackend(dir);
    const backend = new FaultyHostBackend(node);
    const fail = (op: Parameters<FaultyHostBackend['failNext']>[0], count = 1) => backend.failNext(op, count, 5, how);
    const host = createHostFs({ backend, frames }) as HostFs;
    const vfs = new Vfs(host, { mappingIdentities: new FileMappingRegistry() });
    const task: FsTask = { fs: vfs.newFsContext(), cred: Credentials.root(), pid: 1 };
    const as = new AddressSpace(memoryOptions(frames, standaloneSharedAnonymous(frames)));
    const m = new Model();
    let f = vfs.open(task, '/f', O.O_RDWR | O.O_CREAT, 0o600) as OpenFileDescription;
    let addr = -1;
    for (const o of ops) {
      switch (o.op) {
        case 'write': {
          const src = bytes(o.len, o.seed);
          expect(f.pwrite(src, 0, o.len, o.pos)).toBe(o.len);
          m.write(o.pos, src);
          break;
        }
        case 'read': {
          if (o.fail) fail('read');
          const dst = new Uint8Array(o.len);
          const n = f.pread(dst, 0, o.len, o.pos);
          backend.reset('read');
          const want = m.data.subarray(Math.min(o.pos, m.data.length), Math.min(o.pos + o.len, m.data.length));
          if (n < 0) expect(o.fail).toBe(true);
          else {
            expect(n).toBeLessThanOrEqual(want.length);
            if (!o.fail) expect(n).toBe(want.length);
            expect(Buffer.from(dst.subarray(0, n)).equals(Buffer.from(want.subarray(0, n)))).toBe(true);
          }
          break;
        }
        case 'truncate':
          expect(f.truncate(o.size, task.cred)).toBe(0);
          m.setSize(o.size);
          break;
        case 'store': {
          if (addr < 0) break;
          const src = bytes(o.len, o.seed);
          const end = Math.min(o.at + o.len, MAP_PAGES * P);
          const pageEnd = Math.ceil(m.data.length / P) * P;
          const r = store(as, addr + o.at, src, 0, end - o.at);
          if (end <= pageEnd) {
            expect(r).toBe(0);
          } else {
            expect(r).toBe(Signal.SIGBUS);
          }
          // Bytes stored below EOF are file data; a store that faulted stopped at the first bad page.
          const stored = Math.min(end, r === 0 ? end : Math.max(o.at, pageEnd));
          const inFile = Math.min(stored, m.data.length);
          if (inFile > o.at) m.data.set(src.subarray(0, inFile - o.at), o.at);
          break;
        }
        case 'fsync':
          if (o.fail !== 'none') fail(o.fail);
          {
            // A write failure shows only when there was something to write.
            const r = f.fsync(false);
            if (o.fail === 'write') expect([0, -5]).toContain(r);
            else expect(r).toBe(o.fail === 'none' ? 0 : -5);
          }
          backend.reset();
          break;
        case 'msync':
          if (addr < 0) break;
          if (o.fail) fail('write');
          {
            const r = msync(as, addr, MAP_PAGES * P, MS.MS_SYNC);
            expect(r === 0 || (o.fail && r === -5)).toBe(true);
          }
          backend.reset();
          break;
        case 'reopen':
          if (o.fail) fail('write', Infinity);
          f.decRef();
          backend.reset();
          f = vfs.open(task, '/f', O.O_RDWR, 0) as OpenFileDescription;
          expect(typeof f).toBe('object');
          break;
        case 'map':
          if (addr >= 0) break;
          addr = mmap(as, 0, MAP_PAGES * P, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_SHARED, f.mmapSource() as never, 0);
          expect(addr).toBeGreaterThan(0);
          break;
        case 'unmap':
          if (addr < 0) break;
          expect(munmap(as, addr, MAP_PAGES * P)).toBe(0);
          addr = -1;
          break;
      }
      expect(f.stat().size).toBe(m.data.length);
    }
    if (addr >= 0) expect(munmap(as, addr, MAP_PAGES * P)).toBe(0);
    f.decRef();
    expect(host.sync()).toBe(0);
    const onHost = nodeFs.readFileSync(nodePath.join(dir, 'f'));
    expect(onHost.length).toBe(m.data.length);
    expect(onHost.equals(Buffer.from(m.data))).toBe(true);
    expect(host.activeFiles()).toEqual([]);
    as.releaseAll();
    assertNoFramesInUse(frames);
    node.dispose();
  } finally {
    nodeFs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('HostFile against a byte-array model', () => {
  it('keeps every byte through host failures, and the host file ends equal to the model', () => {
    fc.assert(fc.property(fc.constantFrom<FaultyHostFailure>('errno', 'throw'), fc.array(opArb, { minLength: 1, maxLength: 40 }), run), { numRuns: propertyRuns(60) });
  }, testTimeout(60_000));
});
