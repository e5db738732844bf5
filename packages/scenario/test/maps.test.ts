import { describe, expect, it } from 'vitest';
import { classifyPath, describeMaps, parseMaps } from '../src/index';

const SCRATCH = '/scratch-1';
const R = 0x7f0000000000;

/** A maps line in Linux's layout (fs/proc/task_mmu.c:show_map_vma pads the path to column 73). */
function line(start: number, end: number, perms: string, offset: number, path = '', inode = path === '' ? 0 : 1234): string {
  const head = `${start.toString(16).padStart(8, '0')}-${end.toString(16).padStart(8, '0')} ${perms} ${offset
    .toString(16)
    .padStart(8, '0')} ${path === '' ? '00:00' : '00:1a'} ${inode}`;
  return path === '' ? head : head.padEnd(72) + ' ' + path;
}

function maps(...lines: string[]): string {
  return lines.join('\n') + '\n';
}

const K = 1024;

describe('parseMaps', () => {
  it('reads the columns of each line, the path with its spaces', () => {
    const [a, b] = parseMaps(maps(line(R, R + 8 * K, 'rw-s', 0x1000, '/dev/zero (deleted)'), line(R + 8 * K, R + 12 * K, 'r--p', 0)));
    expect(a).toEqual({ start: BigInt(R), end: BigInt(R + 8 * K), perms: 'rw-s', offset: 0x1000n, dev: '00:1a', inode: '1234', path: '/dev/zero (deleted)' });
    expect(b!.path).toBe('');
  });
  it('accepts the trailing blanks older kernels print after the inode, and addresses beyond 2^53', () => {
    const [a, b] = parseMaps('00400000-00401000 r-xp 00000000 00:00 0   \nffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n');
    expect(a!.path).toBe('');
    expect(b!.start).toBe(0xffffffffff600000n);
    expect(b!.path).toBe('[vsyscall]');
  });
  it('throws on a malformed line (a procfs bug)', () => {
    expect(() => parseMaps('hello\n')).toThrow(/malformed/);
    expect(() => parseMaps('1000-2000 rw 0 00:00 0\n')).toThrow(/malformed/);
  });
});

describe('classifyPath', () => {
  it('recognises each kind', () => {
    expect(classifyPath('', 'rw-p', SCRATCH)).toMatchObject({ label: 'anon', hasOffset: false, deleted: false });
    expect(classifyPath('/dev/zero (deleted)', 'rw-s', SCRATCH)).toMatchObject({ label: 'anon-shared', hasOffset: true, deleted: false });
    expect(classifyPath('/dev/shm/seg', 'rw-s', SCRATCH)).toMatchObject({ label: 'shm:/seg', hasOffset: true, deleted: false });
    expect(classifyPath('/dev/shm/seg (deleted)', 'rw-s', SCRATCH)).toMatchObject({ label: 'shm:/seg', deleted: true });
    expect(classifyPath('/scratch-1/f.txt', 'r--p', SCRATCH)).toMatchObject({ label: 'file:f.txt', hasOffset: true });
    expect(classifyPath('/scratch-1/d/f (deleted)', 'r--p', SCRATCH)).toMatchObject({ label: 'file:d/f', deleted: true });
    expect(classifyPath('/scratch-10/f', 'r--p', SCRATCH)).toMatchObject({ label: 'other', hasOffset: false });
    expect(classifyPath('[heap]', 'rw-p', SCRATCH)).toMatchObject({ label: 'other', hasOffset: false });
    expect(classifyPath('/usr/lib/libc.so.6', 'r-xp', SCRATCH)).toMatchObject({ label: 'other' });
    expect(classifyPath('/dev/zero', 'rw-p', SCRATCH)).toMatchObject({ label: 'other' });
    expect(classifyPath('/old (deleted)', 'rw-p', SCRATCH)).toMatchObject({ label: 'other', deleted: true });
  });
  it('treats every absolute path as in the scratch directory when it is /', () => {
    expect(classifyPath('/f', 'rw-p', '/')).toMatchObject({ label: 'file:f' });
    expect(classifyPath('/dev/shm/x', 'rw-p', '/')).toMatchObject({ label: 'shm:/x' });
  });
});

describe('describeMaps', () => {
  it('prints the example of the spec', () => {
    const text = maps(line(R, R + 8 * K, 'rw-s', 0, '/dev/shm/seg (deleted)'));
    expect(describeMaps(text, R, 12 * K, SCRATCH)).toBe('+0x0..+0x2000 rw-s shm:/seg @0x0 (deleted); +0x2000..+0x3000 unmapped');
  });

  it('prints the spec line with a hole between two runs', () => {
    const text = maps(line(R, R + 4 * K, 'rw-s', 0, '/dev/shm/seg'), line(R + 12 * K, R + 16 * K, 'r--p', 0));
    expect(describeMaps(text, R, 16 * K, SCRATCH)).toBe(
      '+0x0..+0x1000 rw-s shm:/seg @0x0; +0x1000..+0x3000 unmapped; +0x3000..+0x4000 r--p anon',
    );
  });

  it('gives an empty description for an empty range, and unmapped for a range with no mapping', () => {
    expect(describeMaps(maps(line(R, R + 4 * K, 'rw-p', 0)), R, 0, SCRATCH)).toBe('');
    expect(describeMaps(maps(line(R, R + 4 * K, 'rw-p', 0)), R + 1, 0, SCRATCH)).toBe('');
    expect(describeMaps('', R, 8 * K, SCRATCH)).toBe('+0x0..+0x2000 unmapped');
    expect(describeMaps(maps(line(R, R + 4 * K, 'rw-p', 0)), R + 64 * K, 5, SCRATCH)).toBe('+0x0..+0x5 unmapped');
  });

  it('prints each permission pattern as the maps line has it', () => {
    const perms = ['r--p', '-w-p', '--xp', 'r-xp', 'rwxp', 'rw-p', '---p'];
    const text = maps(...perms.map((p, i) => line(R + i * 4 * K, R + (i + 1) * 4 * K, p, 0)));
    expect(describeMaps(text, R, 32 * K, SCRATCH)).toBe(
      perms.map((p, i) => `+0x${(i * 4 * K).toString(16)}..+0x${((i + 1) * 4 * K).toString(16)} ${p} anon`).join('; ') +
        '; +0x7000..+0x8000 unmapped',
    );
  });

  it('joins pages of separate VMAs into one run whatever VMAs the kernel keeps', () => {
    const split = maps(line(R, R + 4 * K, 'rw-p', 0x7f0000000), line(R + 4 * K, R + 16 * K, 'rw-p', 0x123));
    const merged = maps(line(R, R + 16 * K, 'rw-p', 0));
    expect(describeMaps(split, R, 16 * K, SCRATCH)).toBe('+0x0..+0x4000 rw-p anon');
    expect(describeMaps(merged, R, 16 * K, SCRATCH)).toBe('+0x0..+0x4000 rw-p anon');
  });

  it('joins file pages only when their offsets are contiguous', () => {
    const contiguous = maps(line(R, R + 8 * K, 'rw-s', 0, '/dev/shm/runs'), line(R + 8 * K, R + 12 * K, 'rw-s', 0x2000, '/dev/shm/runs'));
    expect(describeMaps(contiguous, R, 12 * K, SCRATCH)).toBe('+0x0..+0x3000 rw-s shm:/runs @0x0');
    const sameOffsets = maps(
      line(R, R + 8 * K, 'rw-s', 0, '/dev/shm/runs'),
      line(R + 8 * K, R + 16 * K, 'rw-s', 0, '/dev/shm/runs'),
      line(R + 16 * K, R + 20 * K, 'rw-s', 0x1000, '/dev/shm/runs'),
    );
    expect(describeMaps(sameOffsets, R, 24 * K, SCRATCH)).toBe(
      '+0x0..+0x2000 rw-s shm:/runs @0x0; +0x2000..+0x4000 rw-s shm:/runs @0x0; +0x4000..+0x5000 rw-s shm:/runs @0x1000; +0x5000..+0x6000 unmapped',
    );
  });

  it('splits runs where perms, kind, path or (deleted)-ness change', () => {
    const text = maps(
      line(R, R + 4 * K, 'rw-s', 0, '/dev/shm/a'),
      line(R + 4 * K, R + 8 * K, 'rw-s', 0x1000, '/dev/shm/b'),
      line(R + 8 * K, R + 12 * K, 'rw-s', 0x2000, '/dev/shm/b (deleted)'),
      line(R + 12 * K, R + 16 * K, 'r--s', 0x3000, '/dev/shm/b (deleted)'),
      line(R + 16 * K, R + 20 * K, 'r--s', 0x4000, '/scratch-1/b (deleted)'),
    );
    expect(describeMaps(text, R, 20 * K, SCRATCH)).toBe(
      [
        '+0x0..+0x1000 rw-s shm:/a @0x0',
        '+0x1000..+0x2000 rw-s shm:/b @0x1000',
        '+0x2000..+0x3000 rw-s shm:/b @0x2000 (deleted)',
        '+0x3000..+0x4000 r--s shm:/b @0x3000 (deleted)',
        '+0x4000..+0x5000 r--s file:b @0x4000 (deleted)',
      ].join('; '),
    );
  });

  it('prints anon-shared with its offset and never (deleted)', () => {
    const text = maps(line(R, R + 8 * K, 'rw-s', 0, '/dev/zero (deleted)'), line(R + 8 * K, R + 12 * K, 'rw-s', 0x2000, '/dev/zero (deleted)'));
    expect(describeMaps(text, R, 12 * K, SCRATCH)).toBe('+0x0..+0x3000 rw-s anon-shared @0x0');
    expect(describeMaps(text, R + 4 * K, 4 * K, SCRATCH)).toBe('+0x0..+0x1000 rw-s anon-shared @0x1000');
  });

  it('prints files relative to the scratch directory, other paths as other', () => {
    const text = maps(
      line(R, R + 8 * K, 'r--p', 0x3000, '/scratch-1/all.txt'),
      line(R + 8 * K, R + 12 * K, 'rw-p', 0, '[heap]'),
      line(R + 12 * K, R + 16 * K, 'rw-p', 0, '[stack]'),
      line(R + 16 * K, R + 20 * K, 'rw-p', 0, '[stack]'),
      line(R + 20 * K, R + 24 * K, 'r--p', 0, '/lib/x.so (deleted)'),
    );
    expect(describeMaps(text, R, 24 * K, SCRATCH)).toBe(
      [
        '+0x0..+0x2000 r--p file:all.txt @0x3000',
        '+0x2000..+0x3000 rw-p other',
        '+0x3000..+0x5000 rw-p other',
        '+0x5000..+0x6000 r--p other (deleted)',
      ].join('; '),
    );
  });

  it('clips runs to exactly [ADDR, ADDR+LEN) and prints the offset of the page holding the start', () => {
    const text = maps(line(R, R + 16 * K, 'rw-p', 0), line(R + 16 * K, R + 32 * K, 'rw-s', 0x10000, '/dev/shm/f'));
    expect(describeMaps(text, R + 100, 0x2f00, SCRATCH)).toBe('+0x0..+0x2f00 rw-p anon');
    expect(describeMaps(text, R + 16 * K + 100, 2 * K, SCRATCH)).toBe('+0x0..+0x800 rw-s shm:/f @0x10000');
    expect(describeMaps(text, R + 17 * K, 4 * K, SCRATCH)).toBe('+0x0..+0x1000 rw-s shm:/f @0x10000');
    expect(describeMaps(text, R + 20 * K + 1, 4 * K, SCRATCH)).toBe('+0x0..+0x1000 rw-s shm:/f @0x11000');
    expect(describeMaps(text, R + 15 * K, 2 * K, SCRATCH)).toBe('+0x0..+0x400 rw-p anon; +0x400..+0x800 rw-s shm:/f @0x10000');
    expect(describeMaps(text, R + 30 * K, 4 * K, SCRATCH)).toBe('+0x0..+0x800 rw-s shm:/f @0x13000; +0x800..+0x1000 unmapped');
    expect(describeMaps(text, R - 2, 4, SCRATCH)).toBe('+0x0..+0x2 unmapped; +0x2..+0x4 rw-p anon');
    expect(describeMaps(text, R + 1, 1, SCRATCH)).toBe('+0x0..+0x1 rw-p anon');
  });

  it('clips a range inside a hole, and hole pieces join across pages', () => {
    const text = maps(line(R, R + 16 * K, 'rw-p', 0), line(R + 40 * K, R + 48 * K, 'rw-p', 0));
    expect(describeMaps(text, R + 33 * K, K, SCRATCH)).toBe('+0x0..+0x400 unmapped');
    expect(describeMaps(text, R, 48 * K, SCRATCH)).toBe('+0x0..+0x4000 rw-p anon; +0x4000..+0xa000 unmapped; +0xa000..+0xc000 rw-p anon');
  });

  it('does not depend on the order of the lines', () => {
    const a = line(R, R + 4 * K, 'rw-p', 0);
    const b = line(R + 8 * K, R + 12 * K, 'r--p', 0);
    expect(describeMaps(maps(b, a), R, 12 * K, SCRATCH)).toBe(describeMaps(maps(a, b), R, 12 * K, SCRATCH));
  });

  it('accepts bigint arguments and rejects negative ones', () => {
    expect(describeMaps(maps(line(R, R + 4 * K, 'rw-p', 0)), BigInt(R), 4096n, SCRATCH)).toBe('+0x0..+0x1000 rw-p anon');
    expect(() => describeMaps('', -1, 1, SCRATCH)).toThrow(RangeError);
  });
});
