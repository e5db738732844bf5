import { describe, expect, it } from 'vitest';
import { formatMountinfo } from './mounts';

// The layout of host Linux 6.18's mountinfo: "46 27 0:40 /sub /tmp/i10probe/m2 rw,noatime - tmpfs x rw,size=2048k".
describe('/proc/[pid]/mountinfo', () => {
  it('writes ids, major:minor, root, mountpoint, mount options, "-", type, source, superblock options', () => {
    const text = formatMountinfo([
      { id: 46, parentId: 27, deviceId: 40, root: '/sub', target: '/tmp/m 2', mountOptions: 'rw,noatime', type: 'tmpfs', source: 'x', superOptions: 'rw,size=2048k' },
      { id: 1, parentId: 1, deviceId: 259 * 256 + 2, root: '/', target: '/', mountOptions: 'rw', type: 'ramfs', source: 'rootfs', superOptions: 'rw' },
    ]);
    expect(text).toBe('46 27 0:40 /sub /tmp/m\\0402 rw,noatime - tmpfs x rw,size=2048k\n1 1 259:2 / / rw - ramfs rootfs rw\n');
  });
});
