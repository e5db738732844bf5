import { describe, expect, it } from 'vitest';
import {
  Errno, errnoName, errnoValue, formatFlags, isError, lookupFlag, MAP, O, PROT, SYS,
  syscallName, pageRoundUp, pageRoundDown, isPageAligned, signalName,
} from './index';

describe('errno', () => {
  it('names and values round-trip for every errno', () => {
    for (const [name, value] of Object.entries(Errno)) {
      expect(errnoName(value)).toBe(name);
      expect(errnoValue(name)).toBe(value);
    }
  });
  it('knows the aliases Linux defines and names unknown values', () => {
    expect(errnoValue('ENOTSUP')).toBe(Errno.EOPNOTSUPP);
    expect(errnoValue('EWOULDBLOCK')).toBe(Errno.EAGAIN);
    expect(errnoName(4000)).toBe('E4000');
  });
  it('classifies raw results like the kernel ABI (-4095..-1 are errors)', () => {
    expect(isError(-22)).toBe(true);
    expect(isError(0)).toBe(false);
    expect(isError(-4096)).toBe(false);
  });
});

describe('flags', () => {
  it('looks names up only within their family', () => {
    expect(lookupFlag('PROT', 'PROT_WRITE')).toBe(2);
    expect(lookupFlag('PROT', 'MAP_SHARED')).toBeUndefined();
    expect(lookupFlag('MAP', 'MAP_FIXED_NOREPLACE')).toBe(0x100000);
    expect(lookupFlag('O', 'O_CLOEXEC')).toBe(0o2000000);
    expect(lookupFlag('MODE', 'S_IRUSR')).toBe(0o400);
    expect(lookupFlag('O', 'toString')).toBeUndefined();
  });
  it('formats bit sets with the mapping type first and leftovers in hex', () => {
    expect(formatFlags('MAP', MAP.MAP_SHARED | MAP.MAP_ANONYMOUS | 0x800000)).toBe(
      'MAP_SHARED|MAP_ANONYMOUS|0x800000',
    );
    expect(formatFlags('PROT', PROT.PROT_READ | PROT.PROT_WRITE)).toBe('PROT_READ|PROT_WRITE');
    expect(formatFlags('PROT', 0)).toBe('PROT_NONE');
    expect(formatFlags('O', O.O_RDWR | O.O_CREAT)).toBe('O_RDWR|O_CREAT');
    expect(formatFlags('MADV', 4)).toBe('MADV_DONTNEED');
  });
});

describe('syscalls and pages', () => {
  it('uses the x86-64 numbers', () => {
    expect(SYS.mmap).toBe(9);
    expect(SYS.mremap).toBe(25);
    expect(syscallName(28)).toBe('madvise');
    expect(syscallName(9999)).toBe('syscall_9999');
  });
  it('rounds to pages', () => {
    expect(pageRoundUp(1)).toBe(4096);
    expect(pageRoundDown(8191)).toBe(4096);
    expect(isPageAligned(0x7ffffffff000)).toBe(true);
    expect(signalName(11)).toBe('SIGSEGV');
  });
});
