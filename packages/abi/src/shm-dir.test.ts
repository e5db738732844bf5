import { describe, expect, it } from 'vitest';
import { DEFAULT_STACK_LIMIT, MLOCK_LIMIT_DEFAULT, SHM_DIR, shmObjectName, shmObjectPath } from './index';

describe('SHM_DIR', () => {
  it('is the mount point without a slash, and object paths add exactly one', () => {
    // glibc's libc.so.6 holds the string "/dev/shm/" (SHMDIR); /proc/mounts lists "/dev/shm".
    expect(SHM_DIR).toBe('/dev/shm');
    expect(shmObjectPath('seg')).toBe('/dev/shm/seg');
  });

  it('takes the name back out of a path under it, and only there', () => {
    expect(shmObjectName('/dev/shm/seg')).toBe('seg');
    expect(shmObjectName('/dev/shm/a/b')).toBe('a/b');
    expect(shmObjectName('/dev/shm/')).toBeNull();
    expect(shmObjectName('/dev/shm')).toBeNull();
    expect(shmObjectName('/dev/shmx')).toBeNull();
    expect(shmObjectName('/tmp/seg')).toBeNull();
  });
});

describe('default limits', () => {
  it('RLIMIT_STACK and RLIMIT_MEMLOCK default to 8 MiB each, as `ulimit -s` and `ulimit -l` (8192 KiB) on a default Linux 6.x host', () => {
    expect(DEFAULT_STACK_LIMIT / 1024).toBe(8192);
    expect(MLOCK_LIMIT_DEFAULT / 1024).toBe(8192);
  });
});
