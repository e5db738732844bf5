import { Errno, FS_MAGIC, O, PAGE_SIZE, S } from '@tskern/abi';
import { Credentials, Vfs, type FsTask } from '@tskern/vfs';
import { DirsOnlyFs, listPath, ok, readPath, writePath } from '@tskern/test-kit';
import { describe, expect, it } from 'vitest';
import { KsmSettings, mountSys, SysFs } from './index';

function setup(cpus = 2) {
  const vfs = new Vfs(new DirsOnlyFs());
  const ksm = new KsmSettings();
  const sys = new SysFs({ cpus, ksm, transparentHugepage: true, clock: () => 1000 });
  expect(mountSys(vfs, sys)).toBe(0);
  const root: FsTask = { fs: vfs.newFsContext(), cred: Credentials.root() };
  const user: FsTask = { fs: vfs.newFsContext(), cred: new Credentials(1000, 1000) };
  return { vfs, ksm, sys, root, user };
}

/** A whole file, read 5 bytes a call so that every file takes several reads. */
function read(vfs: Vfs, t: FsTask, path: string): string {
  return readPath(vfs, t, path, 5);
}

/** write(2) of `text` to a fresh open of `path`: the count or -errno. */
/** Writes truncate first, as `echo VALUE > FILE` does. */
const write = (vfs: Vfs, t: FsTask, path: string, text: string): number => writePath(vfs, t, path, text, O.O_WRONLY | O.O_TRUNC);

describe('/sys/kernel/mm/ksm', () => {
  it('has ksmd stopped and every counter 0, as a KSM kernel before anyone starts ksmd', () => {
    const { vfs, root } = setup();
    expect(read(vfs, root, '/sys/kernel/mm/ksm/run')).toBe('0\n');
    for (const counter of ['pages_shared', 'pages_sharing', 'pages_unshared', 'pages_volatile', 'full_scans', 'pages_scanned', 'general_profit']) {
      expect(read(vfs, root, `/sys/kernel/mm/ksm/${counter}`)).toBe('0\n');
    }
    expect(read(vfs, root, '/sys/kernel/mm/ksm/sleep_millisecs')).toBe('20\n');
    expect(read(vfs, root, '/sys/kernel/mm/ksm/pages_to_scan')).toBe('100\n');
    expect(read(vfs, root, '/sys/kernel/mm/ksm/advisor_mode')).toBe('[none] scan-time\n');
    expect(listPath(vfs, root, '/sys/kernel/mm/ksm')).not.toContain('merge_across_nodes');
  });

  it('run takes 0, 1 or 2 as kstrtouint reads them; anything else is EINVAL and changes nothing', () => {
    const { vfs, root, ksm } = setup();
    expect(write(vfs, root, '/sys/kernel/mm/ksm/run', '1\n')).toBe(2);
    expect(ksm.run).toBe(1);
    expect(write(vfs, root, '/sys/kernel/mm/ksm/run', '+2')).toBe(2);
    expect(read(vfs, root, '/sys/kernel/mm/ksm/run')).toBe('2\n');
    for (const bad of ['3', ' 1', '1 ', '1\n\n', '', '-0', '99999999999999999999999', 'x']) {
      expect(write(vfs, root, '/sys/kernel/mm/ksm/run', bad), JSON.stringify(bad)).toBe(bad === '' ? 0 : -Errno.EINVAL);
    }
    expect(ksm.run).toBe(2);
    expect(write(vfs, root, '/sys/kernel/mm/ksm/run', '0')).toBe(1);
    expect(ksm.run).toBe(0);
  });

  it('checks each knob as its mm/ksm.c store does', () => {
    const { vfs, root } = setup();
    const at = (name: string) => `/sys/kernel/mm/ksm/${name}`;
    expect(write(vfs, root, at('max_page_sharing'), '1')).toBe(-Errno.EINVAL);
    expect(write(vfs, root, at('max_page_sharing'), '99999999999999999999999')).toBe(-Errno.ERANGE);
    expect(write(vfs, root, at('max_page_sharing'), '3')).toBe(1);
    expect(read(vfs, root, at('max_page_sharing'))).toBe('3\n');
    expect(write(vfs, root, at('use_zero_pages'), 'on')).toBe(2);
    expect(read(vfs, root, at('use_zero_pages'))).toBe('1\n');
    expect(write(vfs, root, at('smart_scan'), 'maybe')).toBe(-Errno.EINVAL);
    expect(write(vfs, root, at('advisor_target_scan_time'), '0')).toBe(-Errno.EINVAL);
    expect(write(vfs, root, at('advisor_mode'), 'x')).toBe(-Errno.EINVAL);
    // While the advisor runs it sets pages_to_scan (its minimum, 500 by default); a write is EINVAL.
    expect(write(vfs, root, at('advisor_mode'), 'scan-time\n')).toBe(10);
    expect(read(vfs, root, at('pages_to_scan'))).toBe('500\n');
    expect(write(vfs, root, at('pages_to_scan'), '7')).toBe(-Errno.EINVAL);
    expect(write(vfs, root, at('advisor_mode'), 'none')).toBe(4);
    expect(read(vfs, root, at('pages_to_scan'))).toBe('100\n');
    expect(write(vfs, root, at('pages_to_scan'), '7')).toBe(1);
    expect(read(vfs, root, at('pages_to_scan'))).toBe('7\n');
  });

  it('refuses writers of a counter at open, root included (EACCES); others by mode', () => {
    const { vfs, root, user } = setup();
    expect(vfs.open(root, '/sys/kernel/mm/ksm/pages_shared', O.O_WRONLY, 0)).toBe(-Errno.EACCES);
    expect(vfs.open(root, '/sys/kernel/mm/ksm/pages_shared', O.O_RDWR, 0)).toBe(-Errno.EACCES);
    expect(write(vfs, user, '/sys/kernel/mm/ksm/run', '1')).toBe(-Errno.EACCES);
    expect(ok(vfs.stat(root, '/sys/kernel/mm/ksm/run', true))).toMatchObject({ mode: S.S_IFREG | 0o644, uid: 0, size: PAGE_SIZE });
    expect(ok(vfs.stat(root, '/sys/kernel/mm/ksm/pages_shared', true))).toMatchObject({ mode: S.S_IFREG | 0o444, size: PAGE_SIZE });
  });

  it('is absent from a kernel without KSM', () => {
    const vfs = new Vfs(new DirsOnlyFs());
    expect(mountSys(vfs, new SysFs({ cpus: 1 }))).toBe(0);
    expect(vfs.access(vfs.kernelTask(), '/sys/kernel/mm/ksm', 0)).toBe(-Errno.ENOENT);
    expect(vfs.access(vfs.kernelTask(), '/sys/kernel/mm/transparent_hugepage', 0)).toBe(-Errno.ENOENT);
  });
});

describe('/sys/kernel/mm/transparent_hugepage', () => {
  it('says the policy is never, and cannot be changed', () => {
    const { vfs, root } = setup();
    expect(read(vfs, root, '/sys/kernel/mm/transparent_hugepage/enabled')).toBe('always madvise [never]\n');
    expect(read(vfs, root, '/sys/kernel/mm/transparent_hugepage/defrag')).toBe('always defer defer+madvise madvise [never]\n');
    expect(write(vfs, root, '/sys/kernel/mm/transparent_hugepage/enabled', 'always')).toBe(-Errno.EACCES);
  });
});

describe('/sys/devices/system/cpu', () => {
  it('lists the kernel\'s CPUs as possible, present and online, none offline', () => {
    const { vfs, root } = setup(4);
    for (const mask of ['online', 'possible', 'present']) expect(read(vfs, root, `/sys/devices/system/cpu/${mask}`)).toBe('0-3\n');
    expect(read(vfs, root, '/sys/devices/system/cpu/offline')).toBe('\n');
    expect(read(vfs, root, '/sys/devices/system/cpu/kernel_max')).toBe('63\n');
    const one = setup(1);
    expect(read(one.vfs, one.root, '/sys/devices/system/cpu/online')).toBe('0\n');
  });
});

describe('the sysfs tree', () => {
  it('is fixed: create EACCES, mkdir, unlink, rmdir and rename EPERM', () => {
    const { vfs, root } = setup();
    expect(vfs.open(root, '/sys/kernel/new', O.O_CREAT | O.O_WRONLY, 0o644)).toBe(-Errno.EACCES);
    expect(vfs.mkdir(root, '/sys/kernel/new', 0o755)).toBe(-Errno.EPERM);
    expect(vfs.unlink(root, '/sys/kernel/mm/ksm/run')).toBe(-Errno.EPERM);
    expect(vfs.rmdir(root, '/sys/kernel/mm/ksm')).toBe(-Errno.EPERM);
    expect(vfs.rename(root, '/sys/kernel/mm/ksm/run', '/sys/kernel/mm/ksm/walk')).toBe(-Errno.EPERM);
  });

  it('has Linux\'s modes, link counts and statfs magic', () => {
    const { vfs, root, sys } = setup();
    expect(ok(vfs.stat(root, '/sys', true))).toMatchObject({ mode: S.S_IFDIR | 0o555, nlink: 5 });
    expect(ok(vfs.stat(root, '/sys/kernel/mm', true))).toMatchObject({ mode: S.S_IFDIR | 0o755, nlink: 4, size: 0 });
    expect(listPath(vfs, root, '/sys')).toEqual(['devices', 'fs', 'kernel']);
    expect(ok(vfs.statfs(root, '/sys')).type).toBe(FS_MAGIC.SYSFS_MAGIC);
    sys.addMountPoint('fs/cgroup');
    expect(listPath(vfs, root, '/sys/fs')).toEqual(['cgroup']);
  });

  it('reads on in the snapshot of the first read and regenerates at offset 0', () => {
    const { vfs, root, ksm } = setup();
    const f = ok(vfs.open(root, '/sys/kernel/mm/ksm/sleep_millisecs', O.O_RDONLY, 0));
    const buf = new Uint8Array(1);
    expect(f.read(buf, 0, 1)).toBe(1);
    ksm.sleepMillisecs = 7;
    expect(f.read(buf, 0, 1)).toBe(1);
    expect(String.fromCharCode(buf[0]!)).toBe('0');
    expect(f.pread(buf, 0, 1, 0)).toBe(1);
    expect(String.fromCharCode(buf[0]!)).toBe('7');
    f.decRef();
  });

  it('adds attribute directories later and removes them with what is under them (a detached loop device)', () => {
    const { vfs, sys, root } = setup();
    sys.addAttributes('block/loop0/loop', [{ name: 'offset', show: () => '0\n' }]);
    expect(read(vfs, root, '/sys/block/loop0/loop/offset')).toBe('0\n');
    expect(sys.remove('block/loop0/loop')).toBe(true);
    expect(vfs.stat(root, '/sys/block/loop0/loop/offset', true)).toBe(-Errno.ENOENT);
    expect(vfs.stat(root, '/sys/block/loop0', true)).toMatchObject({ mode: S.S_IFDIR | 0o755 });
    expect(sys.remove('block/loop0/loop')).toBe(false);
    expect(sys.remove('block/none/x')).toBe(false);
  });
});
