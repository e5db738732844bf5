import { Errno, O } from '@tskern/abi';
import { BlockDevices } from '@tskern/block-api';
import { BlockLayer, DevFs, mountDev } from '@tskern/devices';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { RamFs } from '@tskern/ramfs';
import { Credentials, Vfs, type IoctlContext, type OpenFileDescription } from '@tskern/vfs';
import { propertyRuns, testTimeout } from '@tskern/vitest-config/budget';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LOOP } from './loop-abi';
import { LoopDriver } from './loop-driver';

const BACKING = 16 * 1024;

type Op = { kind: 'write'; pos: number; len: number; byte: number } | { kind: 'read'; pos: number; len: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('write' as const), pos: fc.nat(BACKING + 600), len: fc.integer({ min: 1, max: 3000 }), byte: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('read' as const), pos: fc.nat(BACKING + 600), len: fc.integer({ min: 1, max: 3000 }) }),
);

/** Bind /dev/loop0 to a file of `fileSize` bytes with `offset` and `limit`; give the device, the file and the bound size. */
function bound(fileSize: number, offset: number, limit: number) {
  const frames = new ArenaFrameAllocator({ frames: 256 });
  const devices = new BlockDevices();
  const vfs = new Vfs(new RamFs({ frames }), { blockDevices: devices });
  const dev = new DevFs({ frames });
  mountDev(vfs, dev);
  new LoopDriver({ layer: new BlockLayer(devices), dev });
  const root = { fs: vfs.newFsContext(), cred: Credentials.root() };
  const img = vfs.open(root, '/img', O.O_RDWR | O.O_CREAT, 0o600) as OpenFileDescription;
  img.pwrite(new Uint8Array(fileSize), 0, fileSize, 0);
  const loop = vfs.open(root, '/dev/loop0', O.O_RDWR, 0) as OpenFileDescription;
  const mem = new Uint8Array(512);
  const view = new DataView(mem.buffer);
  const ctx: IoctlContext = {
    file: loop, cred: root.cred, arch: 'riscv64',
    copyIn: (a, d, o, n) => (d.set(mem.subarray(a, a + n), o), 0),
    copyOut: (a, s, o, n) => (mem.set(s.subarray(o, o + n), a), 0),
    fileAt: (fd) => (fd === 3 ? img : null),
  };
  expect(loop.ioctl(LOOP.LOOP_SET_FD, 3, ctx)).toBe(0);
  view.setBigUint64(8 + 24, BigInt(offset), true);
  view.setBigUint64(8 + 32, BigInt(limit), true);
  expect(loop.ioctl(LOOP.LOOP_SET_STATUS64, 8, ctx)).toBe(0);
  expect(loop.ioctl(0x80081272, 0, ctx)).toBe(0); // BLKGETSIZE64
  return { loop, img, size: Number(view.getBigUint64(0, true)) };
}

describe('a loop device is a window on its file (property)', () => {
  it(
    'reads and writes through /dev/loop0 land at lo_offset in the file, within the size get_size computes',
    () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: BACKING }), fc.integer({ min: 0, max: 40 }), fc.nat(BACKING), fc.array(op, { maxLength: 12 }), (fileSize, offsetSectors, limit, ops) => {
          const offset = offsetSectors * 100; // not always sector-aligned: lo_offset is any byte
          const { loop, img, size } = bound(fileSize, offset, limit);
          let want = Math.max(0, fileSize - offset);
          if (limit > 0 && limit < want) want = limit;
          expect(size).toBe(want - (want % 512));
          const model = new Uint8Array(fileSize);
          for (const o of ops) {
            const n = Math.max(0, Math.min(o.len, size - o.pos));
            if (o.kind === 'write') {
              const r = loop.pwrite(new Uint8Array(o.len).fill(o.byte), 0, o.len, o.pos);
              expect(r).toBe(o.pos >= size ? -Errno.ENOSPC : n);
              if (r > 0) model.fill(o.byte, offset + o.pos, offset + o.pos + r);
            } else {
              const got = new Uint8Array(o.len);
              expect(loop.pread(got, 0, o.len, o.pos)).toBe(n);
              expect(got.subarray(0, n)).toEqual(model.subarray(offset + o.pos, offset + o.pos + n));
            }
          }
          const file = new Uint8Array(fileSize);
          expect(img.pread(file, 0, fileSize, 0)).toBe(fileSize);
          expect(file).toEqual(model);
        }),
        { numRuns: propertyRuns(40) },
      );
    },
    testTimeout(60_000),
  );
});
