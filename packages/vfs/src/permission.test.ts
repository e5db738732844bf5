import { CAP, CAP_FULL_SET, Errno, O, capBit } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { Credentials, type FsTask } from './index';
import { expectOk, world } from './testing/world';

// Host (Linux 6.18, root): a mode-000 file and directory owned by uid 1000,
// tried by root with capabilities taken out of its effective set by capset.
function tryAll(vfs: ReturnType<typeof world>['vfs'], task: FsTask): Record<string, number> {
  const open = (path: string, flags: number) => {
    const f = vfs.open(task, path, flags, 0o644);
    if (typeof f === 'number') return f;
    f.decRef();
    return 0;
  };
  return {
    readFile: open('/tmp/f', O.O_RDONLY),
    writeFile: open('/tmp/f', O.O_WRONLY),
    listDir: open('/tmp/d', O.O_RDONLY | O.O_DIRECTORY),
    createInDir: open('/tmp/d/x', O.O_CREAT | O.O_WRONLY),
    chmodFile: vfs.chmod(task, '/tmp/f', 0),
    chownFile: vfs.chown(task, '/tmp/f', 1000, 1000, true),
  };
}

function setup() {
  const w = world();
  const { vfs, user } = w;
  const f = vfs.open(user, '/tmp/f', O.O_CREAT | O.O_WRONLY, 0);
  if (typeof f === 'number') throw new Error('create');
  f.decRef();
  expectOk(vfs.mkdir(user, '/tmp/d', 0));
  const rootWith = (effective: bigint): FsTask => ({ fs: vfs.newFsContext(0o022), cred: Credentials.root().withCaps({ effective }) });
  return { vfs, rootWith };
}

describe('privilege is capabilities, not uid 0 (generic_permission, chmod, chown)', () => {
  it('root with every capability passes everything', () => {
    const { vfs, rootWith } = setup();
    expect(Object.values(tryAll(vfs, rootWith(CAP_FULL_SET)))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('without CAP_DAC_OVERRIDE: reads and directory listing still pass (CAP_DAC_READ_SEARCH), writes are EACCES', () => {
    const { vfs, rootWith } = setup();
    expect(tryAll(vfs, rootWith(CAP_FULL_SET & ~capBit(CAP.CAP_DAC_OVERRIDE)))).toEqual({
      readFile: 0, writeFile: -Errno.EACCES, listDir: 0, createInDir: -Errno.EACCES, chmodFile: 0, chownFile: 0,
    });
  });

  it('without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH every access is EACCES', () => {
    const { vfs, rootWith } = setup();
    const r = tryAll(vfs, rootWith(CAP_FULL_SET & ~capBit(CAP.CAP_DAC_OVERRIDE) & ~capBit(CAP.CAP_DAC_READ_SEARCH)));
    expect(r).toEqual({ readFile: -Errno.EACCES, writeFile: -Errno.EACCES, listDir: -Errno.EACCES, createInDir: -Errno.EACCES, chmodFile: 0, chownFile: 0 });
  });

  it('without CAP_FOWNER and CAP_CHOWN, chmod and chown of another\'s file are EPERM', () => {
    const { vfs, rootWith } = setup();
    const r = tryAll(vfs, rootWith(CAP_FULL_SET & ~capBit(CAP.CAP_FOWNER) & ~capBit(CAP.CAP_CHOWN)));
    expect(r).toEqual({ readFile: 0, writeFile: 0, listDir: 0, createInDir: 0, chmodFile: -Errno.EPERM, chownFile: -Errno.EPERM });
  });
});
