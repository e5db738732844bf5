import { Errno, S } from '@tskern/abi';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import type { FileSystem, FsParameter, FsRequest } from '@tskern/vfs';
import { describe, expect, it } from 'vitest';
import { memparse, parseTmpfsParameters, tmpfsType } from './index';

function params(data: string): FsParameter[] {
  return data.split(',').map((p) => (p.includes('=') ? { key: p.slice(0, p.indexOf('=')), value: p.slice(p.indexOf('=') + 1) } : { key: p, value: null }));
}

function request(data: string, readOnly = false): FsRequest {
  return { source: 'x', parameters: data === '' ? [] : params(data), readOnly, uid: 0, gid: 0 };
}

describe('memparse (lib/cmdline.c)', () => {
  it('reads a number in base 0 with an optional K/M/G/T/P/E suffix', () => {
    expect(memparse('1m')).toEqual({ value: 1048576n, rest: '' });
    expect(memparse('10k')).toEqual({ value: 10240n, rest: '' });
    expect(memparse('0x10K')).toEqual({ value: 16384n, rest: '' });
    expect(memparse('010')).toEqual({ value: 8n, rest: '' });
    expect(memparse('10%')).toEqual({ value: 10n, rest: '%' });
    expect(memparse('abc')).toEqual({ value: 0n, rest: 'abc' });
  });
});

// Host Linux 6.18 as root: these tmpfs mounts and their /proc/mounts options.
describe('tmpfs options (shmem_parse_one)', () => {
  it('size and nr_inodes as memparse reads them; size=N% of RAM', () => {
    expect(parseTmpfsParameters(params('size=1m,nr_inodes=10k,mode=700,uid=1000,gid=1000'), 1000)).toEqual({ blocks: 256n, inodes: 10240n, mode: 0o700, uid: 1000, gid: 1000 });
    // 10% of 6182850 pages (24731400 kB) is 2473140 kB on the host.
    expect(parseTmpfsParameters(params('size=10%'), 6182850)).toEqual({ blocks: 618285n });
    expect(parseTmpfsParameters(params('size=4k'), 1)).toEqual({ blocks: 1n });
  });

  it('an unknown option, a missing or bad value, or a value on a flag is EINVAL', () => {
    for (const d of ['bogus=1', 'size=abc', 'size', 'noswap=1', 'mode=9', 'uid=4294967295', 'size=', 'mpol=default']) {
      expect(parseTmpfsParameters(params(d), 1000), d).toBe(-Errno.EINVAL);
    }
  });
});

describe('the tmpfs type', () => {
  const frames = new ArenaFrameAllocator({ bytes: 64 * 4096 });

  it('makes a tmpfs whose root follows mode=, uid=, gid= and shows what differs from the defaults', () => {
    const t = tmpfsType(frames);
    const fs = t.mount(request('size=1m,mode=700,uid=1000,gid=1000,nr_inodes=10k')) as FileSystem;
    expect(typeof fs).toBe('object');
    expect(fs.root().mode).toBe(S.S_IFDIR | 0o700);
    expect(fs.root().uid).toBe(1000);
    expect(t.showOptions(fs)).toBe(',size=1024k,nr_inodes=10240,mode=700,uid=1000,gid=1000');
    expect(fs.statfs?.().blocks).toBe(256);
    const plain = t.mount(request('')) as FileSystem;
    expect(t.showOptions(plain)).toBe('');
    expect(plain.root().mode).toBe(S.S_IFDIR | 0o1777);
  });

  it('remount: a new size not below what is used, no limit where there was none, read-only', () => {
    const t = tmpfsType(frames);
    const fs = t.mount(request('size=8k')) as FileSystem;
    expect(t.reconfigure(fs, request('size=16k', true))).toBe(0);
    expect(fs.readOnly).toBe(true);
    expect(t.showOptions(fs)).toBe(',size=16k');
    const unlimited = t.mount(request('size=0')) as FileSystem;
    expect(t.showOptions(unlimited)).toBe(',size=0k');
    expect(unlimited.statfs?.().blocks).toBe(0);
    expect(t.reconfigure(unlimited, request('size=8k'))).toBe(-Errno.EINVAL);
    expect(t.reconfigure(fs, request('bogus'))).toBe(-Errno.EINVAL);
  });
});
