import { describe, expect, it } from 'vitest';
import { O } from '@tskern/abi';
import type { Path } from './index';
import { MemFs } from './testing/mem-fs';
import { expectOk, openOk, world } from './testing/world';

/** A MemFs that records when the VFS writes it back and lets it go. */
class LoggedFs extends MemFs {
  readonly log: string[] = [];
  sync(): number {
    this.log.push('sync');
    return 0;
  }
  shutdown(): void {
    this.log.push('shutdown');
  }
}

function at(vfs: ReturnType<typeof world>['vfs'], task: ReturnType<typeof world>['root'], path: string): Path {
  const p = vfs.lookup(task, path, true);
  if (typeof p === 'number') throw new Error(`lookup ${path}: ${p}`);
  return p;
}

describe('the end of a file system instance (deactivate_super)', () => {
  it('syncs, shuts down and runs the unmount hooks when its only mount is unmounted', () => {
    const { vfs, root } = world();
    const fs = new LoggedFs();
    expectOk(vfs.mountAt(at(vfs, root, '/tmp'), fs));
    vfs.whenUnmounted(fs, () => fs.log.push('released'));
    expect(vfs.fileSystems()).toContain(fs);
    expectOk(vfs.umount(at(vfs, root, '/tmp').mount, false));
    expect(fs.log).toEqual(['sync', 'shutdown', 'released']);
    expect(vfs.fileSystems()).not.toContain(fs);
  });

  it('waits for the last mount: a bind mount keeps the instance alive', () => {
    const { vfs, root } = world();
    const fs = new LoggedFs();
    expectOk(vfs.mkdir(root, '/b', 0o755));
    expectOk(vfs.mountAt(at(vfs, root, '/tmp'), fs));
    expectOk(vfs.bindMount(at(vfs, root, '/tmp'), at(vfs, root, '/b')));
    expectOk(vfs.umount(at(vfs, root, '/tmp').mount, false));
    expect(fs.log).toEqual([]);
    expectOk(vfs.umount(at(vfs, root, '/b').mount, false));
    expect(fs.log).toEqual(['sync', 'shutdown']);
  });

  it('after a lazy unmount, waits for the last open file', () => {
    const { vfs, root } = world();
    const fs = new LoggedFs();
    expectOk(vfs.mountAt(at(vfs, root, '/tmp'), fs));
    const file = openOk(vfs, root, '/tmp/x', O.O_CREAT | O.O_RDWR);
    expectOk(vfs.umount(at(vfs, root, '/tmp').mount, true));
    expect(fs.log).toEqual([]);
    file.decRef();
    expect(fs.log).toEqual(['sync', 'shutdown']);
  });

  it('ends a file system mounted under a lazily unmounted one with it', () => {
    const { vfs, root } = world();
    const outer = new LoggedFs();
    const inner = new LoggedFs();
    expectOk(vfs.mountAt(at(vfs, root, '/tmp'), outer));
    expectOk(vfs.mkdir(root, '/tmp/in', 0o755));
    expectOk(vfs.mountAt(at(vfs, root, '/tmp/in'), inner));
    expectOk(vfs.umount(at(vfs, root, '/tmp').mount, true));
    expect(outer.log).toEqual(['sync', 'shutdown']);
    expect(inner.log).toEqual(['sync', 'shutdown']);
  });
});
