import { Errno } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { parseMountData } from './mount-request';

// vfs_parse_fs_param's order (fs/fs_context.c): superblock flags, then source=, then the file system's own.
describe('mount(2) option strings', () => {
  it('splits at commas, skips empty pieces and takes ro/rw and the other superblock flags out', () => {
    expect(parseMountData('size=1m,,ro,mode=700,sync,rw,noswap', true)).toEqual({
      parameters: [{ key: 'size', value: '1m' }, { key: 'mode', value: '700' }, { key: 'noswap', value: null }],
      readOnly: false,
      source: null,
    });
    expect(parseMountData(null, true)).toEqual({ parameters: [], readOnly: null, source: null });
  });

  it('source= names the source only when mount(2) gave none ("Multiple sources": EINVAL)', () => {
    expect(parseMountData('source=dev', false)).toEqual({ parameters: [], readOnly: null, source: 'dev' });
    expect(parseMountData('source=dev', true)).toBe(-Errno.EINVAL);
  });
});
