/**
 * The Mappable contract of `@tskern/mm-api` as one suite that every
 * implementation runs against itself (as ZenFS runs one suite over every
 * backend): ramfs and shmfs files, hostfs files over a host directory, and
 * mman's standalone shared anonymous object. Each check is a plain function
 * that throws on a broken promise, so the kit's own tests can prove a check
 * catches the break it is written for; `describeMappableContract` runs them
 * all as vitest tests.
 *
 * What is checked is what `Mappable` (and `MappingIdentity`, where the object
 * carries one) documents, and what Linux does for the same page fault:
 * - `size()` is the byte size; `translate` of any offset in a page that holds
 *   bytes below EOF answers a frame of `frames`, and of a page wholly past
 *   EOF `TRANSLATE_SIGBUS` (filemap_fault / shmem_fault: VM_FAULT_SIGBUS);
 * - one page, one frame: every translate of a page answers the same frame
 *   until something invalidates it, and what a store through it holds is what
 *   the object's read(2) sees (a MAP_SHARED mapping is the page cache);
 * - a hole or a fresh page reads zero, the EOF page's tail too;
 * - `TRANSLATE_NOMEM` when a page needs a frame and the allocator has none;
 * - translate hands out no reference of its own: the caller incRefs a frame
 *   it keeps, and the object frees everything when it dies;
 * - truncate (where the object can change size) invalidates every registered
 *   mapping of the pages past the new EOF, private copies included
 *   (truncate_pagecache: unmap_mapping_range(..., even_cows = 1)), and only
 *   those; a removed registration is never invalidated again;
 * - `removeAllMappings`, where present, drops one space's registrations only;
 * - `punchHole` frees the pages for every sharer and invalidates their
 *   mappings keeping private copies (MADV_REMOVE / FALLOC_FL_PUNCH_HOLE:
 *   even_cows = 0), the size unchanged; or it answers -EOPNOTSUPP and
 *   changes nothing;
 * - the identity's `mappedName`, `deviceId`, `inodeId` are stable, and
 *   `sync` answers 0 on a healthy object.
 */
import { Errno, PAGE_SIZE } from '@tskern/abi';
import {
  TRANSLATE_NOMEM,
  TRANSLATE_SIGBUS,
  type Mappable,
  type MappingIdentity,
} from '@tskern/mm-api';
import { ArenaFrameAllocator, framesInUse, isFrame, NO_FRAME, type FrameAllocator, type FrameId } from '@tskern/pagealloc';
import { describe, it } from 'vitest';
import { RecordingSpace } from './recording-space';

const P = PAGE_SIZE;

/** What the contract uses of an open file description: pread(2) and pwrite(2) at an offset. */
export interface ContractFileIo {
  pread(dst: Uint8Array, dstOffset: number, length: number, pos: number): number;
  pwrite(src: Uint8Array, srcOffset: number, length: number, pos: number): number;
}

/**
 * The subject for a regular file opened read-write (ramfs, shmfs and hostfs
 * files): writes and reads through the file's own pwrite/pread, a size
 * change through `resize` (ftruncate with the opener's credentials, 0 or
 * -errno), and `dispose` to close (and unlink) it.
 */
export function fileSubject(
  file: ContractFileIo,
  object: { readonly mappable: Mappable; readonly identity?: MappingIdentity | null },
  resize: (size: number) => number,
  dispose: () => void,
): MappableSubject {
  return {
    ...object,
    write: (offset, bytes) => void file.pwrite(bytes, 0, bytes.length, offset),
    read: (offset, length) => {
      const b = new Uint8Array(length);
      return b.subarray(0, file.pread(b, 0, length, offset));
    },
    truncate: (n) => {
      if (resize(n) !== 0) throw new Error(`ftruncate(${n})`);
    },
    dispose,
  };
}

/** One object under test, made by a `MappableHarness`. */
export interface MappableSubject {
  readonly mappable: Mappable;
  /** The identity a mapping of it holds (mmapSource().identity), when it has one. */
  readonly identity?: MappingIdentity | null;
  /** Write through the object's own write path (pwrite(2)); absent for objects with none (shared anonymous memory). */
  write?(offset: number, bytes: Uint8Array): void;
  /** Read through the object's own read path (pread(2)). */
  read?(offset: number, length: number): Uint8Array;
  /** Change the size (ftruncate(2)); absent for objects of a fixed size. */
  truncate?(size: number): void;
  /** Let go of the object (close, unlink, drop the identity): afterwards it holds no frame. */
  dispose(): void;
}

/** How an implementation makes objects for the suite. */
export interface MappableHarness {
  /**
   * A new object of `size` bytes, all zero, whose frames come from `frames`.
   * The suite checks that the object's frames are back once it is disposed.
   */
  create(frames: FrameAllocator, size: number): MappableSubject;
  /** `punchHole` frees pages (ramfs, shmfs, shared anonymous) or answers -EOPNOTSUPP (hostfs). */
  readonly punchHole: 'frees' | 'unsupported';
}

/** One promise of the contract: throws (with what broke) when `harness` breaks it. */
export interface MappableCheck {
  readonly name: string;
  /** Returns when the promise held; throws `NotApplicable` when it does not apply to this object (a fixed size, no read path). */
  run(harness: MappableHarness): void;
}

/** Thrown by a check that does not apply to the object (it has no truncate, say): a skip, not a failure. */
export class NotApplicable extends Error {}

/** A reason a check does not apply. */
const NO_TRUNCATE = 'the object has a fixed size (no truncate)';
const NO_READ_WRITE = 'the object has no read(2)/write(2) path';

function fail(why: string): never {
  throw new Error(`Mappable contract: ${why}`);
}

function check(cond: boolean, why: () => string): void {
  if (!cond) fail(why());
}

/** Runs `body` on a fresh object and then checks that disposing it gives every frame back. */
function withSubject(
  harness: MappableHarness,
  size: number,
  body: (s: MappableSubject, frames: FrameAllocator) => void,
  frameCount = 64,
): void {
  const frames = new ArenaFrameAllocator({ frames: frameCount });
  const s = harness.create(frames, size);
  check(
    s.mappable.frames === frames,
    () => '`frames` is not the allocator the object was made with',
  );
  try {
    body(s, frames);
  } catch (e) {
    // Clean up what can be, but report the broken promise, not what the break left behind.
    try {
      s.dispose();
    } catch {
      /* the object is already known broken */
    }
    throw e;
  }
  s.dispose();
  const left = framesInUse(frames);
  check(left === 0, () => `${left} frame(s) still in use after the object was disposed`);
}

function frameBytes(frames: FrameAllocator, frame: FrameId, from = 0, length = P): Uint8Array {
  const at = frames.offset(frame);
  return frames.memory(frame).subarray(at + from, at + from + length);
}

function translateOk(m: Mappable, offset: number, write: boolean): FrameId {
  const f = m.translate(offset, write);
  check(isFrame(f), () => `translate(${offset}, ${write}) inside EOF answered ${f}, not a frame`);
  return f as FrameId;
}

/** Store `bytes` at `offset` as a process does through a shared writable mapping. */
function storeThroughMapping(
  m: Mappable,
  frames: FrameAllocator,
  offset: number,
  bytes: Uint8Array,
): void {
  const page = Math.floor(offset / P) * P;
  const f = translateOk(m, page, true);
  frameBytes(frames, f, offset - page, bytes.length).set(bytes);
}

/**
 * Make the object drop its pages from `offset` on, so that every mapping of
 * them is invalidated: truncate where it can change size, else punch a hole.
 */
function dropPagesFrom(h: MappableHarness, s: MappableSubject, offset: number): void {
  if (s.truncate) s.truncate(offset);
  else if (h.punchHole === 'frees') s.mappable.punchHole(offset, Number(s.mappable.size()) - offset);
  else throw new NotApplicable('the object can neither shrink nor punch holes');
}

function pattern(length: number, seed: number): Uint8Array {
  const b = new Uint8Array(length);
  for (let i = 0; i < length; i++) b[i] = ((i * 31 + seed) % 251) + 1;
  return b;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export const mappableContract: readonly MappableCheck[] = [
  {
    name: 'size() is the byte size, and a page wholly past it is SIGBUS, for reads and writes',
    run: (h) =>
      withSubject(h, 2 * P + 100, (s) => {
        const m = s.mappable;
        check(m.size() === 2 * P + 100, () => `size() is ${m.size()}, not ${2 * P + 100}`);
        for (const write of [false, true]) {
          check(
            m.translate(3 * P, write) === TRANSLATE_SIGBUS,
            () => `translate(3 pages, ${write}) past EOF is not TRANSLATE_SIGBUS`,
          );
          check(
            m.translate(64 * P, write) === TRANSLATE_SIGBUS,
            () => `translate far past EOF (${write}) is not TRANSLATE_SIGBUS`,
          );
        }
        check(!m.isResident(3 * P), () => 'a page past EOF is resident');
      }),
  },
  {
    name: 'every page holding bytes below EOF translates to a frame of `frames`; the EOF page tail and holes read zero',
    run: (h) =>
      withSubject(h, 2 * P + 100, (s, frames) => {
        for (const offset of [0, P, 2 * P]) {
          const f = translateOk(s.mappable, offset, false);
          check(
            frames.refCount(f) >= 1,
            () => `frame ${f} of offset ${offset} is not allocated in \`frames\``,
          );
          check(
            frameBytes(frames, f).every((b) => b === 0),
            () => `the fresh page at ${offset} does not read zero`,
          );
          check(
            s.mappable.isResident(offset),
            () => `the page at ${offset} is not resident after translate`,
          );
        }
      }),
  },
  {
    name: 'one page, one frame: translate answers the same frame until an invalidation, for reads and writes alike',
    run: (h) =>
      withSubject(h, 2 * P, (s, frames) => {
        const m = s.mappable;
        const a = translateOk(m, P, false);
        frames.incRef(a); // held as a page table would, so a freed frame id cannot come back as the "same" frame
        check(
          translateOk(m, P, false) === a,
          () => 'a second read translate of one page answered another frame',
        );
        check(
          translateOk(m, P, true) === a,
          () =>
            "a write translate of a shared page answered another frame than a read (a COW copy is the address space's, not the object's)",
        );
        check(translateOk(m, 0, false) !== a, () => 'two pages share one frame');
        frames.decRef(a);
      }),
  },
  {
    name: "translate takes no reference for the caller: the object gives every frame back when it dies, and a kept frame stays the caller's",
    run: (h) => {
      const frames = new ArenaFrameAllocator({ frames: 64 });
      const s = h.create(frames, 2 * P);
      const f = translateOk(s.mappable, 0, true);
      const before = frames.refCount(f);
      frames.incRef(f); // a page table's reference
      s.dispose();
      check(
        frames.refCount(f) === before,
        () => `the object dropped ${before + 1 - frames.refCount(f)} reference(s) it did not own`,
      );
      frames.decRef(f);
      check(framesInUse(frames) === 0, () => `${framesInUse(frames)} frame(s) leaked`);
    },
  },
  {
    name: 'stores through a mapping are what read(2) sees, and write(2) is what a mapping sees',
    run: (h) =>
      withSubject(h, 3 * P, (s, frames) => {
        if (!s.write || !s.read) throw new NotApplicable(NO_READ_WRITE);
        const stored = pattern(300, 1);
        storeThroughMapping(s.mappable, frames, P - 100, stored.subarray(0, 100));
        storeThroughMapping(s.mappable, frames, P, stored.subarray(100));
        check(
          sameBytes(s.read(P - 100, 300), stored),
          () => 'read(2) does not see the bytes stored through the mapping',
        );
        const written = pattern(P, 2);
        s.write(2 * P, written);
        const f = translateOk(s.mappable, 2 * P, false);
        check(
          sameBytes(frameBytes(frames, f), written),
          () => 'the mapped frame does not hold what write(2) wrote',
        );
      }),
  },
  {
    name: 'TRANSLATE_NOMEM when a page needs a frame and none is left; the page translates once frames are back',
    run: (h) =>
      withSubject(
        h,
        2 * P,
        (s, frames) => {
          const taken: FrameId[] = [];
          for (let f = frames.allocate(); f !== NO_FRAME; f = frames.allocate()) taken.push(f);
          const r = s.mappable.translate(P, false);
          check(
            r === TRANSLATE_NOMEM,
            () => `translate with no free frame answered ${r}, not TRANSLATE_NOMEM`,
          );
          for (const f of taken) frames.decRef(f);
          translateOk(s.mappable, P, false);
        },
        16,
      ),
  },
  {
    name: 'truncate invalidates, private copies included, exactly the registered pages past the new EOF, then they are SIGBUS',
    run: (h) =>
      withSubject(h, 4 * P, (s, frames) => {
        if (!s.truncate) throw new NotApplicable(NO_TRUNCATE);
        const m = s.mappable;
        const whole = new RecordingSpace(m, frames);
        const tail = new RecordingSpace(m, frames);
        const head = new RecordingSpace(m, frames);
        // whole: 0x10000.. maps offsets 0..4P; tail: 0x40000.. maps 2P..4P; head: 0x80000 maps 0..P.
        m.addMapping(whole, 0x10000, 0x10000 + 4 * P, 0, true);
        m.addMapping(tail, 0x40000, 0x40000 + 2 * P, 2 * P, false);
        m.addMapping(head, 0x80000, 0x80000 + P, 0, false);
        for (let i = 0; i < 4; i++) whole.fault(0x10000 + i * P, i * P, true);
        tail.fault(0x40000 + P, 3 * P);
        head.fault(0x80000, 0);
        s.truncate(P + 10); // the page holding EOF (page 1) stays
        const calls = (sp: RecordingSpace) =>
          JSON.stringify(sp.calls.map((c) => [c.start, c.end, c.invalidatePrivate]));
        check(
          calls(whole) === JSON.stringify([[0x10000 + 2 * P, 0x10000 + 4 * P, true]]),
          () => `whole mapping invalidated as ${calls(whole)}`,
        );
        check(
          calls(tail) === JSON.stringify([[0x40000, 0x40000 + 2 * P, true]]),
          () => `tail mapping invalidated as ${calls(tail)}`,
        );
        check(
          head.calls.length === 0,
          () => `a mapping wholly below the new EOF was invalidated: ${calls(head)}`,
        );
        check(m.size() === P + 10, () => `size() is ${m.size()} after truncate to ${P + 10}`);
        check(
          m.translate(2 * P, false) === TRANSLATE_SIGBUS,
          () => 'a page past the new EOF still translates',
        );
        const eofPage = translateOk(m, P, false);
        check(
          frameBytes(frames, eofPage, 10).every((b) => b === 0),
          () => 'the EOF page is not zero past the new EOF',
        );
        for (const sp of [whole, tail, head]) sp.unmapAll();
        m.removeMapping(whole, 0x10000, 0x10000 + 4 * P, 0, true);
        m.removeMapping(tail, 0x40000, 0x40000 + 2 * P, 2 * P, false);
        m.removeMapping(head, 0x80000, 0x80000 + P, 0, false);
      }),
  },
  {
    name: 'growing keeps the data and makes the new pages translate to zeroed frames',
    run: (h) =>
      withSubject(h, P, (s, frames) => {
        if (!s.truncate) throw new NotApplicable(NO_TRUNCATE);
        const data = pattern(P, 3);
        storeThroughMapping(s.mappable, frames, 0, data);
        s.truncate(3 * P);
        check(
          s.mappable.size() === 3 * P,
          () => `size() is ${s.mappable.size()} after growing to ${3 * P}`,
        );
        check(
          sameBytes(frameBytes(frames, translateOk(s.mappable, 0, false)), data),
          () => 'growing lost the first page',
        );
        check(
          frameBytes(frames, translateOk(s.mappable, 2 * P, true)).every((b) => b === 0),
          () => 'a grown page is not zero',
        );
      }),
  },
  {
    name: 'a removed registration is never invalidated again; a space re-registered at one start is told once per registration',
    run: (h) =>
      withSubject(h, 4 * P, (s, frames) => {
        const m = s.mappable;
        const gone = new RecordingSpace(m, frames);
        const twice = new RecordingSpace(m, frames);
        m.addMapping(gone, 0x10000, 0x10000 + 4 * P, 0, false);
        m.removeMapping(gone, 0x10000, 0x10000 + 4 * P, 0, false);
        // A VMA split: the left piece is registered before the whole is removed.
        m.addMapping(twice, 0x20000, 0x20000 + 4 * P, 0, true);
        m.addMapping(twice, 0x20000, 0x20000 + 2 * P, 0, true);
        m.removeMapping(twice, 0x20000, 0x20000 + 4 * P, 0, true);
        dropPagesFrom(h, s, P);
        check(gone.calls.length === 0, () => 'a removed registration was invalidated');
        const got = JSON.stringify(twice.calls.map((c) => [c.start, c.end]));
        check(
          got === JSON.stringify([[0x20000 + P, 0x20000 + 2 * P]]),
          () => `the remaining split piece was invalidated as ${got}`,
        );
        m.removeMapping(twice, 0x20000, 0x20000 + 2 * P, 0, true);
      }),
  },
  {
    name: "removeAllMappings, where present, drops every registration of one space and no other's",
    run: (h) =>
      withSubject(h, 2 * P, (s, frames) => {
        const m = s.mappable;
        if (!m.removeAllMappings) throw new NotApplicable('the object has no removeAllMappings');
        const leaving = new RecordingSpace(m, frames);
        const staying = new RecordingSpace(m, frames);
        m.addMapping(leaving, 0x10000, 0x10000 + 2 * P, 0, true);
        m.addMapping(leaving, 0x30000, 0x30000 + P, P, false);
        m.addMapping(staying, 0x50000, 0x50000 + 2 * P, 0, false);
        m.removeAllMappings(leaving);
        dropPagesFrom(h, s, 0);
        check(leaving.calls.length === 0, () => 'a space removed whole was still invalidated');
        check(
          staying.calls.length === 1,
          () => `the other space was invalidated ${staying.calls.length} times, not once`,
        );
        m.removeMapping(staying, 0x50000, 0x50000 + 2 * P, 0, false);
      }),
  },
  {
    name: 'punchHole frees the range for every sharer, invalidates its mappings keeping private copies, and keeps the size (or is -EOPNOTSUPP and changes nothing)',
    run: (h) =>
      withSubject(h, 3 * P, (s, frames) => {
        const m = s.mappable;
        const data = pattern(3 * P, 4);
        for (let i = 0; i < 3; i++)
          storeThroughMapping(m, frames, i * P, data.subarray(i * P, (i + 1) * P));
        const space = new RecordingSpace(m, frames);
        m.addMapping(space, 0x10000, 0x10000 + 3 * P, 0, true);
        space.fault(0x10000 + P, P);
        const r = m.punchHole(P, P);
        const page1 = () => frameBytes(frames, translateOk(m, P, false));
        if (h.punchHole === 'unsupported') {
          check(r === -Errno.EOPNOTSUPP, () => `punchHole answered ${r}, not -EOPNOTSUPP`);
          check(space.calls.length === 0, () => 'a refused punchHole invalidated mappings');
          check(
            sameBytes(page1(), data.subarray(P, 2 * P)),
            () => 'a refused punchHole changed the data',
          );
        } else {
          check(r === 0, () => `punchHole answered ${r}, not 0`);
          const got = JSON.stringify(space.calls.map((c) => [c.start, c.end, c.invalidatePrivate]));
          check(
            got === JSON.stringify([[0x10000 + P, 0x10000 + 2 * P, false]]),
            () => `punchHole invalidated ${got}`,
          );
          check(m.size() === 3 * P, () => `punchHole changed the size to ${m.size()}`);
          check(!m.isResident(P), () => 'a punched page is still resident (mincore would say 1)');
          check(
            page1().every((b) => b === 0),
            () => 'a punched page does not read zero',
          );
          check(
            sameBytes(frameBytes(frames, translateOk(m, 2 * P, false)), data.subarray(2 * P)),
            () => 'punchHole touched the page after the range',
          );
        }
        space.unmapAll();
        m.removeMapping(space, 0x10000, 0x10000 + 3 * P, 0, true);
      }),
  },
  {
    name: 'the identity, where there is one, names the object stably, syncs with 0, and counts references',
    run: (h) =>
      withSubject(h, P, (s, frames) => {
        const id = s.identity;
        if (!id) throw new NotApplicable('the object has no MappingIdentity');
        const name = id.mappedName();
        check(typeof name === 'string' && name.length > 0, () => 'mappedName() is empty');
        check(
          Number.isInteger(id.deviceId()) && Number.isInteger(id.inodeId()),
          () => 'deviceId()/inodeId() are not integers',
        );
        storeThroughMapping(s.mappable, frames, 0, pattern(10, 5));
        check(id.sync(0, P) === 0, () => 'sync() of a healthy object is not 0');
        id.incRef();
        id.decRef();
        check(
          id.mappedName() === name && translateOk(s.mappable, 0, false) >= 0,
          () => 'an incRef/decRef pair changed the object',
        );
      }),
  },
];

/** Run every check of the Mappable contract as a vitest test, under `describe(name)`. */
export function describeMappableContract(name: string, harness: MappableHarness): void {
  describe(`${name}: the Mappable contract (@tskern/mm-api)`, () => {
    for (const c of mappableContract) {
      it(c.name, (ctx) => {
        try {
          c.run(harness);
        } catch (e) {
          if (e instanceof NotApplicable) ctx.skip(e.message);
          else throw e;
        }
      });
    }
  });
}
