import { describe, expect, it } from 'vitest';
import { Errno, MOUNT, O, SYS, UMOUNT } from '@tskern/abi';
import { ProcessWorld } from './testing/process-world';

/*
 * Every expected value here is what the host Linux (6.18, x86-64, as root)
 * answered to the same calls in a C probe: mount(2) of tmpfs and ramfs at a
 * directory, the lines of /proc/self/mounts and mountinfo, statfs, and the
 * errno of each refused call.
 */


/** A process on a fresh kernel with /m, /m2 and the file /f, strings passed through its stack. */
class World extends ProcessWorld {
  constructor(uid = 0) {
    super();
    expect(this.sys(SYS.mkdir, this.s('/m'), 0o755)).toBe(0);
    expect(this.sys(SYS.mkdir, this.s('/m2'), 0o755)).toBe(0);
    const fd = this.sys(SYS.open, this.s('/f'), O.O_CREAT | O.O_RDWR, 0o644);
    expect(this.sys(SYS.close, fd)).toBe(0);
    if (uid !== 0) expect(this.sys(SYS.setresuid, uid, uid, 0)).toBe(0);
  }

  mount(source: string | null, target: string, type: string | null, flags: number, data: string | null): number {
    return this.sys(SYS.mount, this.s(source), this.s(target), this.s(type), flags, this.s(data));
  }

  umount(target: string, flags: number = 0): number {
    return this.sys(SYS.umount2, this.s(target), flags);
  }

  open(path: string, flags: number = O.O_RDONLY): number {
    return this.sys(SYS.open, this.s(path), flags, 0o644);
  }

  /** The lines of `file` that name a mount on /m or /m2. */
  lines(file = '/proc/self/mounts'): string[] {
    return this.read(file).split('\n').filter((l) => / \/m2? /.test(l));
  }

  /** statfs(2) f_blocks of `path` (struct statfs: f_type, f_bsize, then f_blocks at byte 16). */
  blocks(path: string): number {
    const buf = this.k.stack(this.pid).end - 100_000;
    expect(this.sys(SYS.statfs, this.s(path), buf)).toBe(0);
    const b = new Uint8Array(24);
    this.k.load(this.pid, buf, b);
    return Number(new DataView(b.buffer).getBigUint64(16, true));
  }

  /** st_mode, st_uid and st_gid of `path` (struct stat on x86-64: mode at 24, uid 28, gid 32). */
  owner(path: string): { mode: number; uid: number; gid: number } {
    const buf = this.k.stack(this.pid).end - 100_000;
    expect(this.sys(SYS.stat, this.s(path), buf)).toBe(0);
    const b = new Uint8Array(36);
    this.k.load(this.pid, buf, b);
    const v = new DataView(b.buffer);
    return { mode: v.getUint32(24, true), uid: v.getUint32(28, true), gid: v.getUint32(32, true) };
  }
}

describe('mount(2) and umount2(2)', () => {
  it('mounts a new tmpfs, lists it in /proc/self/mounts and mountinfo, and unmounts it', () => {
    const w = new World();
    expect(w.mount('tmpfs', '/m', 'tmpfs', 0, null)).toBe(0);
    expect(w.lines()).toEqual(['tmpfs /m tmpfs rw,relatime 0 0']);
    expect(w.lines('/proc/self/mountinfo')).toEqual([expect.stringMatching(/^\d+ 1 0:\d+ \/ \/m rw,relatime - tmpfs tmpfs rw$/)]);
    expect(w.umount('/m')).toBe(0);
    expect(w.lines()).toEqual([]);
  });

  it('parses tmpfs options: size, nr_inodes, mode, uid, gid; the root directory and statfs follow them', () => {
    const w = new World();
    expect(w.mount('none', '/m', 'tmpfs', 0, 'size=1m,mode=700,uid=1000,gid=1000,nr_inodes=10k')).toBe(0);
    expect(w.lines()).toEqual(['none /m tmpfs rw,relatime,size=1024k,nr_inodes=10240,mode=700,uid=1000,gid=1000 0 0']);
    expect(w.blocks('/m')).toBe(256);
    expect(w.owner('/m')).toEqual({ mode: 0o40700, uid: 1000, gid: 1000 });
    expect(w.umount('/m')).toBe(0);
    expect(w.mount('x', '/m', 'tmpfs', 0, 'size=0')).toBe(0);
    expect(w.lines()).toEqual(['x /m tmpfs rw,relatime,size=0k 0 0']);
    expect(w.blocks('/m')).toBe(0);
    expect(w.umount('/m')).toBe(0);
    expect(w.mount('x', '/m', 'tmpfs', 0, 'ro,size=4k')).toBe(0);
    expect(w.lines()).toEqual(['x /m tmpfs ro,relatime,size=4k 0 0']);
  });

  it('refuses an unknown tmpfs option or a bad value with EINVAL', () => {
    const w = new World();
    for (const data of ['bogus=1', 'size=abc', 'size', 'noswap=1', 'mode=9', 'uid=4294967295', 'size=']) {
      expect(w.mount('x', '/m', 'tmpfs', 0, data), data).toBe(-Errno.EINVAL);
    }
    expect(w.lines()).toEqual([]);
  });

  it('enforces size=: a write stops at the limit, then ENOSPC', () => {
    const w = new World();
    expect(w.mount('x', '/m', 'tmpfs', 0, 'size=8k')).toBe(0);
    const fd = w.open('/m/f', O.O_CREAT | O.O_RDWR);
    const buf = w.k.stack(w.pid).end - 100_000;
    expect(w.sys(SYS.write, fd, buf, 12288)).toBe(8192);
    expect(w.sys(SYS.write, fd, buf, 10)).toBe(-Errno.ENOSPC);
    expect(w.sys(SYS.close, fd)).toBe(0);
    expect(w.umount('/m')).toBe(0);
  });

  it('ramfs ignores unknown options but checks mode=', () => {
    const w = new World();
    expect(w.mount('x', '/m', 'ramfs', 0, 'bogus=1,mode=700')).toBe(0);
    expect(w.lines()).toEqual(['x /m ramfs rw,relatime,mode=700 0 0']);
    expect(w.umount('/m')).toBe(0);
    expect(w.mount('x', '/m', 'ramfs', 0, 'mode=abc')).toBe(-Errno.EINVAL);
  });

  it('answers ENODEV, EINVAL, ENOENT and ENOTDIR as Linux', () => {
    const w = new World();
    expect(w.mount('x', '/m', 'nosuchfs', 0, null)).toBe(-Errno.ENODEV);
    expect(w.mount('x', '/m', null, 0, null)).toBe(-Errno.EINVAL);
    expect(w.mount('x', '/nope', 'tmpfs', 0, null)).toBe(-Errno.ENOENT);
    expect(w.mount('x', '/f', 'tmpfs', 0, null)).toBe(-Errno.ENOTDIR);
    expect(w.mount('x', '/f/x', 'tmpfs', 0, null)).toBe(-Errno.ENOTDIR);
  });

  it('MS_RDONLY makes a read-only tmpfs (EROFS); per-mount flags show; a remount keeps the atime flags and size', () => {
    const w = new World();
    expect(w.mount('x', '/m', 'tmpfs', MOUNT.MS_RDONLY, null)).toBe(0);
    expect(w.lines()).toEqual(['x /m tmpfs ro,relatime 0 0']);
    expect(w.open('/m/a', O.O_CREAT | O.O_RDWR)).toBe(-Errno.EROFS);
    expect(w.umount('/m')).toBe(0);
    const flags = MOUNT.MS_NOSUID | MOUNT.MS_NODEV | MOUNT.MS_NOEXEC | MOUNT.MS_NOATIME;
    expect(w.mount('x', '/m', 'tmpfs', flags, null)).toBe(0);
    expect(w.lines()).toEqual(['x /m tmpfs rw,nosuid,nodev,noexec,noatime 0 0']);
    expect(w.lines('/proc/self/mountinfo')).toEqual([expect.stringMatching(/ \/ \/m rw,nosuid,nodev,noexec,noatime - tmpfs x rw$/)]);
    expect(w.mount('x', '/m', 'tmpfs', MOUNT.MS_REMOUNT | MOUNT.MS_RDONLY, 'size=2m')).toBe(0);
    expect(w.lines()).toEqual(['x /m tmpfs ro,noatime,size=2048k 0 0']);
    expect(w.mount('x', '/m', 'tmpfs', MOUNT.MS_REMOUNT, null)).toBe(0);
    expect(w.lines()).toEqual(['x /m tmpfs rw,noatime,size=2048k 0 0']);
    expect(w.sys(SYS.mkdir, w.s('/m/sub'), 0o755)).toBe(0);
    expect(w.mount('x', '/m/sub', 'tmpfs', MOUNT.MS_REMOUNT, null)).toBe(-Errno.EINVAL);
    const fd = w.open('/m/big', O.O_CREAT | O.O_RDWR);
    const buf = w.k.stack(w.pid).end - 100_000;
    for (let i = 0; i < 300; i++) expect(w.sys(SYS.write, fd, buf, 4096)).toBe(4096);
    expect(w.sys(SYS.close, fd)).toBe(0);
    expect(w.mount('x', '/m', 'tmpfs', MOUNT.MS_REMOUNT, 'size=1m')).toBe(-Errno.EINVAL);
  });

  it('MS_BIND mounts a subdirectory elsewhere (mountinfo shows its root); an empty source is EINVAL', () => {
    const w = new World();
    expect(w.mount('x', '/m', 'tmpfs', MOUNT.MS_NOATIME, 'size=2m')).toBe(0);
    expect(w.sys(SYS.mkdir, w.s('/m/sub'), 0o755)).toBe(0);
    expect(w.mount('/m/sub', '/m2', null, MOUNT.MS_BIND, null)).toBe(0);
    const info = w.lines('/proc/self/mountinfo');
    expect(info[0]).toMatch(/ \/ \/m rw,noatime - tmpfs x rw,size=2048k$/);
    expect(info[1]).toMatch(/ \/sub \/m2 rw,noatime - tmpfs x rw,size=2048k$/);
    const fd = w.open('/m2/seen', O.O_CREAT | O.O_RDWR);
    expect(w.sys(SYS.close, fd)).toBe(0);
    expect(w.owner('/m/sub/seen').mode & 0o170000).toBe(0o100000);
    expect(w.mount('', '/m2', null, MOUNT.MS_BIND, null)).toBe(-Errno.EINVAL);
    expect(w.umount('/m2')).toBe(0);
    expect(w.lines()).toHaveLength(1);
  });

  it('umount2: EINVAL, ENOENT, EBUSY while in use, MNT_EXPIRE twice, MNT_DETACH', () => {
    const w = new World();
    expect(w.mount('x', '/m', 'tmpfs', 0, null)).toBe(0);
    expect(w.sys(SYS.mkdir, w.s('/m/sub'), 0o755)).toBe(0);
    expect(w.umount('/m', 0x10)).toBe(-Errno.EINVAL);
    expect(w.umount('/m/sub')).toBe(-Errno.EINVAL);
    expect(w.umount('/nope')).toBe(-Errno.ENOENT);
    const fd = w.open('/m/sub');
    expect(w.umount('/m')).toBe(-Errno.EBUSY);
    expect(w.umount('/m', UMOUNT.MNT_EXPIRE)).toBe(-Errno.EBUSY);
    expect(w.umount('/m', UMOUNT.MNT_EXPIRE | UMOUNT.MNT_DETACH)).toBe(-Errno.EINVAL);
    expect(w.sys(SYS.close, fd)).toBe(0);
    expect(w.umount('/m', UMOUNT.MNT_EXPIRE)).toBe(-Errno.EAGAIN);
    expect(w.umount('/m', UMOUNT.MNT_EXPIRE)).toBe(0);
    expect(w.mount('x', '/m', 'tmpfs', 0, null)).toBe(0);
    expect(w.sys(SYS.chdir, w.s('/m'))).toBe(0);
    expect(w.umount('/m')).toBe(-Errno.EBUSY);
    expect(w.sys(SYS.chdir, w.s('/'))).toBe(0);
    const dirFd = w.open('/m');
    expect(w.umount('/m', UMOUNT.MNT_DETACH)).toBe(0);
    expect(w.sys(SYS.close, dirFd)).toBe(0);
    expect(w.lines()).toEqual([]);
  });

  it('a mapped file keeps its mount busy after close; a file open for writing makes a remount read-only EBUSY', () => {
    const w = new World();
    expect(w.mount('x', '/m', 'tmpfs', 0, null)).toBe(0);
    let fd = w.open('/m/f', O.O_CREAT | O.O_RDWR);
    expect(w.sys(SYS.ftruncate, fd, 4096)).toBe(0);
    const addr = w.sys(SYS.mmap, 0, 4096, 1, 1, fd, 0); // PROT_READ, MAP_SHARED
    expect(addr).toBeGreaterThan(0);
    expect(w.sys(SYS.close, fd)).toBe(0);
    expect(w.umount('/m')).toBe(-Errno.EBUSY);
    expect(w.sys(SYS.munmap, addr, 4096)).toBe(0);
    fd = w.open('/m/f', O.O_RDWR);
    expect(w.mount('x', '/m', 'tmpfs', MOUNT.MS_REMOUNT | MOUNT.MS_RDONLY, null)).toBe(-Errno.EBUSY);
    expect(w.sys(SYS.close, fd)).toBe(0);
    fd = w.open('/m/f');
    expect(w.mount('x', '/m', 'tmpfs', MOUNT.MS_REMOUNT | MOUNT.MS_RDONLY, null)).toBe(0);
    expect(w.sys(SYS.close, fd)).toBe(0);
    expect(w.umount('/m')).toBe(0);
  });

  it('stacks mounts on one directory; a mount with a submount is EBUSY until MNT_DETACH takes both', () => {
    const w = new World();
    expect(w.mount('x', '/m', 'tmpfs', 0, null)).toBe(0);
    expect(w.mount('x', '/m', 'tmpfs', 0, null)).toBe(0);
    expect(w.lines()).toEqual(['x /m tmpfs rw,relatime 0 0', 'x /m tmpfs rw,relatime 0 0']);
    expect(w.umount('/m')).toBe(0);
    expect(w.umount('/m')).toBe(0);
    expect(w.mount('x', '/m', 'tmpfs', 0, null)).toBe(0);
    expect(w.sys(SYS.mkdir, w.s('/m/in'), 0o755)).toBe(0);
    expect(w.mount('x', '/m/in', 'tmpfs', 0, null)).toBe(0);
    expect(w.umount('/m')).toBe(-Errno.EBUSY);
    expect(w.umount('/m', UMOUNT.MNT_DETACH)).toBe(0);
    expect(w.read('/proc/self/mounts')).not.toContain('/m');
  });

  it('MS_PRIVATE holds (every mount is private); two propagation types at once are EINVAL', () => {
    const w = new World();
    expect(w.mount('x', '/m', 'tmpfs', 0, null)).toBe(0);
    expect(w.mount(null, '/m', null, MOUNT.MS_PRIVATE, null)).toBe(0);
    expect(w.mount(null, '/m', null, MOUNT.MS_PRIVATE | MOUNT.MS_SHARED, null)).toBe(-Errno.EINVAL);
  });

  it('without CAP_SYS_ADMIN: the target is looked up first (ENOENT), then EPERM; umount2 checks its flags first', () => {
    const w = new World(1000);
    expect(w.mount('x', '/m', 'tmpfs', 0, null)).toBe(-Errno.EPERM);
    expect(w.mount('x', '/nope', 'tmpfs', 0, null)).toBe(-Errno.ENOENT);
    expect(w.mount('x', '/m', 'nosuchfs', 0, null)).toBe(-Errno.EPERM);
    expect(w.umount('/m')).toBe(-Errno.EPERM);
    expect(w.umount('/nope')).toBe(-Errno.ENOENT);
    expect(w.umount('/m', 0x10)).toBe(-Errno.EINVAL);
  });

  it('/proc/filesystems lists the registered types', () => {
    const w = new World();
    expect(w.read('/proc/filesystems')).toBe('nodev\ttmpfs\nnodev\tcgroup2\nnodev\tramfs\n\text3\n\text2\n\text4\n');
  });
});
