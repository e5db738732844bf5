import { describe, expect, it } from 'vitest';
import { Errno, O } from '@tskern/abi';
import { FileSystemTypes, MNT, mountsOptions, mountinfoOptions, type FileSystemType, type Path } from './index';
import { MemFs } from './testing/mem-fs';
import { expectOk, openOk, world } from './testing/world';

function at(vfs: ReturnType<typeof world>['vfs'], task: ReturnType<typeof world>['root'], path: string): Path {
  const p = vfs.lookup(task, path, true);
  if (typeof p === 'number') throw new Error(`lookup ${path}: ${p}`);
  return p;
}

describe('the mount tree', () => {
  it('stacks mounts on a directory, numbers them in order, and unmounts the top one first', () => {
    const { vfs, root } = world();
    const a = new MemFs({ type: 'a' });
    const b = new MemFs({ type: 'b' });
    expectOk(vfs.mountAt(at(vfs, root, '/tmp'), a, { source: 'sa' }));
    expectOk(vfs.mountAt(at(vfs, root, '/tmp'), b));
    expect(vfs.mounts().map((m) => [m.id, m.fs.type, m.source])).toEqual([[1, 'memfs', 'rootfs'], [2, 'a', 'sa'], [3, 'b', 'b']]);
    expect(at(vfs, root, '/tmp').mount.fs).toBe(b);
    expectOk(vfs.umount(at(vfs, root, '/tmp').mount, false));
    expect(at(vfs, root, '/tmp').mount.fs).toBe(a);
  });

  it('a directory goes only on a directory (graft_tree: ENOTDIR)', () => {
    const { vfs, root } = world();
    openOk(vfs, root, '/file', O.O_CREAT | O.O_RDWR).decRef();
    expect(vfs.mountAt(at(vfs, root, '/file'), new MemFs())).toBe(-Errno.ENOTDIR);
  });

  it('open files and working directories make umount EBUSY, as do submounts; lazy unmount takes the subtree', () => {
    const { vfs, root } = world();
    expectOk(vfs.mountAt(at(vfs, root, '/tmp'), new MemFs()));
    const m = at(vfs, root, '/tmp').mount;
    const file = openOk(vfs, root, '/tmp/x', O.O_CREAT | O.O_RDWR);
    expect(vfs.umount(m, false)).toBe(-Errno.EBUSY);
    file.decRef();
    expectOk(vfs.chdir(root, '/tmp'));
    expect(vfs.umount(m, false)).toBe(-Errno.EBUSY);
    expectOk(vfs.chdir(root, '/'));
    expectOk(vfs.mkdir(root, '/tmp/in', 0o755));
    expectOk(vfs.mountAt(at(vfs, root, '/tmp/in'), new MemFs()));
    expect(vfs.umount(m, false)).toBe(-Errno.EBUSY);
    expectOk(vfs.umount(m, true));
    expect(vfs.mounts()).toHaveLength(1);
    expect(m.attached).toBe(false);
    expect(vfs.umount(vfs.root.mount, true)).toBe(-Errno.EINVAL);
  });

  it('a bind mount shows a subdirectory elsewhere with the source mount\'s flags', () => {
    const { vfs, root } = world();
    expectOk(vfs.mountAt(at(vfs, root, '/tmp'), new MemFs(), { flags: MNT.NOEXEC }));
    expectOk(vfs.mkdir(root, '/tmp/sub', 0o755));
    expectOk(vfs.mkdir(root, '/b', 0o755));
    expectOk(vfs.bindMount(at(vfs, root, '/tmp/sub'), at(vfs, root, '/b')));
    openOk(vfs, root, '/b/seen', O.O_CREAT | O.O_RDWR).decRef();
    expect(typeof vfs.lookup(root, '/tmp/sub/seen', true)).toBe('object');
    const bound = at(vfs, root, '/b').mount;
    expect(bound.noexec).toBe(true);
    expect(bound.root.name).toBe('sub');
  });

  it('shows options as /proc/mounts and mountinfo do: ro/rw, the mount flags in order, then the type\'s own', () => {
    const { vfs, root } = world();
    const fs = new MemFs({ type: 't', readOnly: true });
    const types = new FileSystemTypes();
    const t: FileSystemType = { name: 't', requiresDevice: false, mount: () => -Errno.EINVAL, reconfigure: () => 0, showOptions: () => ',size=4k' };
    expect(types.register(t)).toBe(true);
    expect(types.register(t)).toBe(false);
    expectOk(vfs.mountAt(at(vfs, root, '/tmp'), fs, { flags: MNT.RELATIME | MNT.NOSUID | MNT.NOEXEC }));
    const m = at(vfs, root, '/tmp').mount;
    expect(mountsOptions(m, types)).toBe('ro,nosuid,noexec,relatime,size=4k');
    expect(mountinfoOptions(m, types)).toEqual({ mount: 'rw,nosuid,noexec,relatime', superblock: 'ro,size=4k' });
    expect(types.format()).toBe('nodev\tt\n');
  });
});
