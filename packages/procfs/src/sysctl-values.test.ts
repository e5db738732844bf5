import { Errno } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { sysctlText, writeSysctl, type SysctlValue } from './sysctl-values';

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

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
    expect(writeSysctl(v, 0, bytes('abc\ndef'))).toBe(7);
    expect(v.get()).toBe('abc');
    expect(writeSysctl(v, 2, bytes('XY'))).toBe(2);
    expect(v.get()).toBe('abXY');
    expect(writeSysctl(v, 9, bytes('Q'))).toBe(1); // past the end: nothing changes
    expect(v.get()).toBe('abXY');
  });

  it('keeps at most maxLength - 1 bytes', () => {
    const v = stringValue('', 8);
    writeSysctl(v, 0, bytes('0123456789'));
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
      const r = writeSysctl(v, 0, bytes(text));
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
    expect(writeSysctl(v, 1, bytes('12'))).toBe(2);
    expect(v.get()).toBe(66);
  });
});
