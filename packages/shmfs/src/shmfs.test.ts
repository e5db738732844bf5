import { Errno, NAME_MAX, O, PAGE_SIZE, S } from '@tskern/abi';
import { FileMappingRegistry } from '@tskern/file-mapping';
import { TRANSLATE_SIGBUS } from '@tskern/mm-api';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { RamFs } from '@tskern/ramfs';
import { Credentials, Vfs, type FsTask, type OpenFileDescription } from '@tskern/vfs';
import { describe, expect, it } from 'vitest';
import { createSharedAnonymousFactory, createShmFs, mountShm } from './index';
import { encodeText, ok } from '@tskern/test-kit';

/** glibc's shm_open flags. */
const SHM_FLAGS = O.O_NOFOLLOW | O.O_CLOEXEC;

function setup() {
  const frames = new ArenaFrameAllocator({ frames: 64 });
  const vfs = new Vfs(new RamFs({ frames }), { mappingIdentities: new FileMappingRegistry() });
  const shm = createShmFs({ frames });
  expect(mountShm(vfs, shm)).toBe(0);
  const alice: FsTask = { fs: vfs.newFsContext(), cred: new Credentials(1000, 1000) };
  const bob: FsTask = { fs: vfs.newFsContext(), cred: new Credentials(1001, 1001) };
  const open = (task: FsTask, path: string, flags: number, mode = 0o600): OpenFileDescription | number =>
    vfs.open(task, path, flags | SHM_FLAGS, mode);
  return { frames, vfs, shm, alice, bob, open };
}

describe('/dev/shm', () => {
  it('is a tmpfs with a root-owned 01777 root', () => {
    const { vfs, shm, alice } = setup();
    expect(shm.type).toBe('tmpfs');
    const st = ok(vfs.stat(alice, '/dev/shm', true));
    expect(st).toMatchObject({ mode: S.S_IFDIR | 0o1777, uid: 0, gid: 0, dev: shm.deviceId });
  });

  it('segments: create, share through a second open, see each other through the page cache', () => {
    const { vfs, alice, open } = setup();
    const a = ok(open(alice, '/dev/shm/seg', O.O_RDWR | O.O_CREAT | O.O_EXCL));
    expect(a.truncate(2 * PAGE_SIZE, alice.cred)).toBe(0);
    const b = ok(open(alice, '/dev/shm/seg', O.O_RDWR));
    const src = ok(b.mmapSource());
    expect(src.identity!.mappedName()).toBe('/dev/shm/seg');
    expect(a.pwrite(encodeText('hi'), 0, 2, 100)).toBe(2);
    const frame = src.mappable!.translate(0, false);
    expect(frame).toBeGreaterThanOrEqual(0);
    expect(open(alice, '/dev/shm/seg', O.O_RDWR | O.O_CREAT | O.O_EXCL)).toBe(-Errno.EEXIST);
    expect(vfs.unlink(alice, '/dev/shm/seg')).toBe(0);
    expect(src.identity!.mappedName()).toBe('/dev/shm/seg (deleted)');
  });

  it('a name longer than NAME_MAX is ENAMETOOLONG', () => {
    const { alice, open } = setup();
    expect(open(alice, '/dev/shm/' + 'x'.repeat(NAME_MAX + 1), O.O_RDWR | O.O_CREAT)).toBe(-Errno.ENAMETOOLONG);
    ok(open(alice, '/dev/shm/' + 'x'.repeat(NAME_MAX), O.O_RDWR | O.O_CREAT));
  });

  it('O_RDONLY: ftruncate is EINVAL and the mapping source is not writable', () => {
    const { alice, open } = setup();
    ok(open(alice, '/dev/shm/seg', O.O_RDWR | O.O_CREAT));
    const r = ok(open(alice, '/dev/shm/seg', O.O_RDONLY));
    expect(r.truncate(PAGE_SIZE, alice.cred)).toBe(-Errno.EINVAL);
    expect(ok(r.mmapSource())).toMatchObject({ readable: true, writable: false });
  });

  it('the sticky root keeps other users from removing a segment; permissions apply to opens', () => {
    const { vfs, alice, bob, open } = setup();
    ok(open(alice, '/dev/shm/seg', O.O_RDWR | O.O_CREAT, 0o600));
    expect(vfs.unlink(bob, '/dev/shm/seg')).toBe(-Errno.EPERM);
    expect(open(bob, '/dev/shm/seg', O.O_RDONLY)).toBe(-Errno.EACCES);
    expect(vfs.unlink(alice, '/dev/shm/seg')).toBe(0);
  });

  it('shm_open adds O_NOFOLLOW: a symlink in /dev/shm is ELOOP', () => {
    const { vfs, alice, open } = setup();
    expect(vfs.symlink(alice, '/etc/passwd', '/dev/shm/link')).toBe(0);
    expect(open(alice, '/dev/shm/link', O.O_RDWR | O.O_CREAT)).toBe(-Errno.ELOOP);
  });

  it('a segment outlives shm_unlink and close while mapped, then its frames go', () => {
    const { frames, vfs, alice, open } = setup();
    const f = ok(open(alice, '/dev/shm/seg', O.O_RDWR | O.O_CREAT));
    expect(f.truncate(PAGE_SIZE, alice.cred)).toBe(0);
    const src = ok(f.mmapSource());
    src.identity!.incRef();
    expect(src.mappable!.translate(0, true)).toBeGreaterThanOrEqual(0);
    f.decRef();
    expect(vfs.unlink(alice, '/dev/shm/seg')).toBe(0);
    expect(frames.stats().usedFrames).toBe(1);
    src.identity!.decRef();
    expect(frames.stats().usedFrames).toBe(0);
  });
});

describe('shared anonymous memory', () => {
  it('is an unlinked tmpfs file named /dev/zero (deleted), one per mapping', () => {
    const frames = new ArenaFrameAllocator({ frames: 16 });
    const factory = createSharedAnonymousFactory({ frames });
    const a = ok(factory(2 * PAGE_SIZE));
    const b = ok(factory(PAGE_SIZE));
    expect(a.identity!.mappedName()).toBe('/dev/zero (deleted)');
    expect(a.identity!.deviceId()).toBe(1);
    expect(a.identity!.inodeId()).not.toBe(b.identity!.inodeId());
    expect(a.mappable).not.toBe(b.mappable);
    expect([a.readable, a.writable]).toEqual([true, true]);
    expect(a.mappable!.size()).toBe(2 * PAGE_SIZE);
    expect(a.mappable!.translate(PAGE_SIZE, true)).toBeGreaterThanOrEqual(0);
    expect(a.mappable!.translate(2 * PAGE_SIZE, false)).toBe(TRANSLATE_SIGBUS);
    expect(a.mappable!.isResident(0)).toBe(false);
    expect(factory(0)).toBe(-Errno.EINVAL);
  });

  it('dies with its last reference (the caller holds one)', () => {
    const frames = new ArenaFrameAllocator({ frames: 16 });
    const factory = createSharedAnonymousFactory({ frames });
    const a = ok(factory(3 * PAGE_SIZE));
    a.identity!.incRef(); // the VMA's reference
    a.identity!.decRef(); // the caller drops its own
    for (let p = 0; p < 3; p++) expect(a.mappable!.translate(p * PAGE_SIZE, true)).toBeGreaterThanOrEqual(0);
    expect(frames.stats().usedFrames).toBe(3);
    a.identity!.decRef();
    expect(frames.stats().usedFrames).toBe(0);
  });
});
