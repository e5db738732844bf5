// hostfs when the host process has less privilege than the guest: a host
// that refuses chown, or refuses to open a file its mode does not allow.
import * as nodeFs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { Errno, O, PAGE_SIZE, S, SEEK } from '@tskern/abi';
import { ArenaFrameAllocator, assertNoFramesInUse } from '@tskern/pagealloc';
import { Credentials, Vfs, type FsTask } from '@tskern/vfs';
import { afterEach, describe, expect, it } from 'vitest';
import { createHostFs, FaultyHostBackend, type HostFs } from './index';
import { NodeHostBackend } from './node';
import { encodeText, ok } from '@tskern/test-kit';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) nodeFs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = nodeFs.mkdtempSync(nodePath.join(os.tmpdir(), 'hostfs-'));
  dirs.push(dir);
  return dir;
}

/** A host process without privilege: chown is EPERM, and opens obey the owner's mode bits even for root. */
class UnprivilegedHost extends FaultyHostBackend {
  override chown(): number {
    return -Errno.EPERM;
  }
  override open(path: string, flags: number, mode: number): number {
    const st = this.lstat(path);
    if (typeof st !== 'number' && (flags & O.O_CREAT) === 0) {
      const acc = flags & O.O_ACCMODE;
      if (acc !== O.O_WRONLY && (st.mode & S.S_IRUSR) === 0) return -Errno.EACCES;
      if (acc !== O.O_RDONLY && (st.mode & S.S_IWUSR) === 0) return -Errno.EACCES;
    }
    return super.open(path, flags, mode);
  }
}

function world(frames = 64) {
  const dir = tempDir();
  const alloc = new ArenaFrameAllocator({ frames });
  const host = ok(createHostFs({ backend: new UnprivilegedHost(new NodeHostBackend(dir)), frames: alloc })) as HostFs;
  const vfs = new Vfs(host);
  const root: FsTask = { fs: vfs.newFsContext(), cred: Credentials.root(), pid: 1 };
  return { dir, alloc, host, vfs, root };
}

describe('hostfs over an unprivileged host', () => {
  it('remembers the owner the host could not store, for creates and chown', () => {
    const { dir, vfs, root } = world();
    expect(vfs.chmod(root, '/', 0o777)).toBe(0);
    const user: FsTask = { fs: vfs.newFsContext(0o022), cred: new Credentials(1000, 1000), pid: 2 };
    ok(vfs.open(user, '/f', O.O_RDWR | O.O_CREAT, 0o600)).decRef();
    const hostUid = nodeFs.statSync(nodePath.join(dir, 'f')).uid;
    expect(ok(vfs.stat(user, '/f', true))).toMatchObject({ uid: 1000, gid: 1000 });
    expect(hostUid).not.toBe(1000);
    // The owner may open its own 0600 file again.
    ok(vfs.open(user, '/f', O.O_RDWR, 0)).decRef();
    expect(vfs.chown(root, '/f', 1001, 1001, true)).toBe(0);
    expect(ok(vfs.stat(root, '/f', true))).toMatchObject({ uid: 1001, gid: 1001 });
    expect(vfs.open(user, '/f', O.O_RDONLY, 0)).toBe(-Errno.EACCES);
  });

  it('root may write a 0444 file: the owner bits are lent for the open and put back', () => {
    const { dir, vfs, root, alloc } = world();
    nodeFs.writeFileSync(nodePath.join(dir, 'ro'), 'read only');
    nodeFs.chmodSync(nodePath.join(dir, 'ro'), 0o444);
    const f = ok(vfs.open(root, '/ro', O.O_RDWR, 0));
    expect(nodeFs.statSync(nodePath.join(dir, 'ro')).mode & 0o777).toBe(0o444);
    expect(f.pwrite(encodeText('WRITE'), 0, 5, 0)).toBe(5);
    f.decRef();
    expect(nodeFs.readFileSync(nodePath.join(dir, 'ro'), 'latin1')).toBe('WRITEonly');
    assertNoFramesInUse(alloc);
  });

  it('writes run short, then -ENOMEM, when frames run out; nothing leaks', () => {
    const { vfs, root, alloc } = world(4);
    const f = ok(vfs.open(root, '/big', O.O_RDWR | O.O_CREAT, 0o600));
    const data = new Uint8Array(10 * PAGE_SIZE).fill(1);
    expect(f.pwrite(data, 0, data.length, 0)).toBe(4 * PAGE_SIZE);
    expect(f.pwrite(data, 0, 10, 8 * PAGE_SIZE)).toBe(-Errno.ENOMEM);
    expect(f.fsync(false)).toBe(0);
    f.decRef();
    assertNoFramesInUse(alloc);
  });
});

describe('hostfs past its largest file size (s_maxbytes, below 2^53)', () => {
  it('answers as a Linux file system past s_maxbytes: EFBIG to grow, EINVAL to seek, nothing to read', () => {
    const { vfs, root, host } = world();
    const f = ok(vfs.open(root, '/f', O.O_RDWR | O.O_CREAT, 0o600));
    const far = 2n ** 62n;
    expect(f.truncate(far, root.cred)).toBe(-Errno.EFBIG);
    expect(f.pwrite(Uint8Array.of(1), 0, 1, far)).toBe(-Errno.EFBIG);
    expect(f.pwrite(Uint8Array.of(1), 0, 1, host.maxFileSize)).toBe(-Errno.EFBIG);
    expect(f.pread(new Uint8Array(1), 0, 1, far)).toBe(0);
    expect(f.lseek(far, SEEK.SEEK_SET)).toBe(-Errno.EINVAL);
    expect(f.lseek(2n ** 53n + 1n, SEEK.SEEK_SET)).toBe(-Errno.EINVAL);
    expect(f.inode.size()).toBe(0);
    f.decRef();
  });
});
