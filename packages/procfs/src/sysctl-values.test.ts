import { Errno } from '@tskern/abi';
import { Credentials } from '@tskern/vfs';
import { describe, expect, it } from 'vitest';
import { inRange, sysctlText, writeSysctl, type SysctlValue } from './sysctl-values';

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const root = Credentials.root();

function stringValue(initial: string, maxLength = 128): SysctlValue & { kind: 'string' } {
  let v = initial;
  return { kind: 'string', maxLength, get: () => v, set: (x: string) => ((v = x), 0) };
}

function intValue(initial: number, max = Infinity): SysctlValue & { kind: 'int' } {
  let v = initial;
  return { kind: 'int', get: () => v, set: (x: number) => (x < 0 || x > max ? -Errno.EINVAL : ((v = x), 0)) };
}

// Expected values: Linux 6.18 in a fresh UTS/net namespace (kernel.hostname
// is a proc_dostring, net.ipv4.ip_default_ttl a proc_dointvec_minmax 1..255).
describe('string sysctls (proc_dostring, sysctl_writes_strict)', () => {
  it('read as the value and a newline; a write stops at a newline and continues at its position', () => {
    const v = stringValue('core');
    expect(sysctlText(v)).toBe('core\n');
    expect(writeSysctl(v, 0, bytes('abc\ndef'), root)).toBe(7);
    expect(v.get()).toBe('abc');
    expect(writeSysctl(v, 2, bytes('XY'), root)).toBe(2);
    expect(v.get()).toBe('abXY');
    expect(writeSysctl(v, 9, bytes('Q'), root)).toBe(1); // past the end: nothing changes
    expect(v.get()).toBe('abXY');
  });

  it('keeps at most maxLength - 1 bytes', () => {
    const v = stringValue('', 8);
    writeSysctl(v, 0, bytes('0123456789'), root);
    expect(v.get()).toBe('0123456');
  });
});

describe('integer sysctls (proc_dointvec)', () => {
  it('parse C base-0 numbers after white space, and ignore what follows a separator', () => {
    const v = intValue(1, 255);
    const cases: [string, number | string][] = [
      [' 0x40 ', 64], ['010', 8], ['64abc', 'EINVAL'], ['  ', 'EINVAL'], ['65\n', 65], ['66 67', 66],
      ['+5', 'EINVAL'], ['070x', 'EINVAL'], ['99999999999', 'EINVAL'], ['-1', 'EINVAL'],
    ];
    for (const [text, want] of cases) {
      const before = v.get();
      const r = writeSysctl(v, 0, bytes(text), root);
      if (typeof want === 'string') {
        expect([text, r, v.get()]).toEqual([text, -Errno.EINVAL, before]);
      } else {
        expect([text, r, v.get()]).toEqual([text, text.length, want]);
      }
    }
    expect(sysctlText(v)).toBe('66\n');
  });

  it('ignore a write past position 0', () => {
    const v = intValue(66);
    expect(writeSysctl(v, 1, bytes('12'), root)).toBe(2);
    expect(v.get()).toBe(66);
  });
});

describe('unsigned long sysctls (proc_doulongvec_minmax)', () => {
  // Host Linux 6.18, kernel/shmmax: reads 18446744073692774399 (ULONG_MAX - 2^24);
  // "-1", "18446744073709551616" and "abc" are each EINVAL with nothing changed.
  it('read all 64 bits and refuse negative, too large or malformed numbers', () => {
    let v = (1n << 64n) - 1n - (1n << 24n);
    const value: SysctlValue = { kind: 'ulong', get: () => v, set: (x: bigint) => ((v = x), 0) };
    expect(sysctlText(value)).toBe('18446744073692774399\n');
    for (const bad of ['-1', '18446744073709551616', 'abc']) expect(writeSysctl(value, 0, bytes(bad), root)).toBe(-Errno.EINVAL);
    expect(v).toBe((1n << 64n) - 1n - (1n << 24n));
    expect(writeSysctl(value, 0, bytes('18446744073709551615\n'), root)).toBe(21);
    expect(v).toBe((1n << 64n) - 1n);
    expect(writeSysctl(value, 0, bytes('0x10'), root)).toBe(4);
    expect(v).toBe(16n);
  });
});

describe('range checks and read-only values', () => {
  it('refuse a value outside [min, max] with EINVAL and pass the writer on', () => {
    let v = 5;
    let by: Credentials | undefined;
    const value: SysctlValue = { kind: 'int', get: () => v, set: inRange(1, 10, (x, w) => ((v = x), (by = w), 0)) };
    expect(writeSysctl(value, 0, bytes('11'), root)).toBe(-Errno.EINVAL);
    expect(writeSysctl(value, 0, bytes('0'), root)).toBe(-Errno.EINVAL);
    expect(v).toBe(5);
    expect(writeSysctl(value, 0, bytes('10'), root)).toBe(2);
    expect([v, by]).toEqual([10, root]);
  });

  it('answer EACCES to a write of a value without a setter', () => {
    const value: SysctlValue = { kind: 'string', maxLength: 65, get: () => 'Linux' };
    expect(writeSysctl(value, 0, bytes('x'), root)).toBe(-Errno.EACCES);
    expect(sysctlText(value)).toBe('Linux\n');
  });
});
