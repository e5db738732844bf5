import { Errno, SYS } from '@tskern/abi';
import { describe, expect, it } from 'vitest';
import { world } from '../testing/world';

describe('poll(2)', () => {
  it('a pipe read end is ready once written; a negative fd is skipped and a closed one is POLLNVAL', () => {
    const { sys, p } = world(0);
    const buf = sys(p.tid, SYS.mmap, 0, 4096, 3, 0x22, -1, 0);
    expect(sys(p.tid, SYS.pipe, buf)).toBe(0);
    const fds = new Int32Array(2);
    p.mem.copyIn(buf, new Uint8Array(fds.buffer), 0, 8);
    const table = new DataView(new ArrayBuffer(24));
    table.setInt32(0, fds[0]!, true);
    table.setInt16(4, 1, true); // POLLIN
    table.setInt32(8, -1, true);
    table.setInt32(16, 99, true);
    p.mem.copyOut(buf + 64, new Uint8Array(table.buffer), 0, 24);
    expect(sys(p.tid, SYS.poll, buf + 64, 3, 0)).toBe(1); // only the closed descriptor
    expect(sys(p.tid, SYS.write, fds[1]!, buf, 1)).toBe(1);
    expect(sys(p.tid, SYS.poll, buf + 64, 3, 0)).toBe(2);
    const out = new Uint8Array(24);
    p.mem.copyIn(buf + 64, out, 0, 24);
    const v = new DataView(out.buffer);
    expect([v.getInt16(6, true), v.getInt16(14, true), v.getInt16(22, true)]).toEqual([1, 0, 0x20]);
  });
});

describe('select(2) (checked against Linux 6.18 on x86-64)', () => {
  it('counts each set bit that is ready; a closed descriptor in a set is EBADF; n < 0 is EINVAL; the timeval normalizes', () => {
    const { sys, p } = world(0);
    const buf = sys(p.tid, SYS.mmap, 0, 4096, 3, 0x22, -1, 0);
    expect(sys(p.tid, SYS.pipe, buf)).toBe(0);
    const fds = new Int32Array(2);
    p.mem.copyIn(buf, new Uint8Array(fds.buffer), 0, 8);
    const [r, w] = [fds[0]!, fds[1]!];
    const setOf = (...list: number[]): Uint8Array => {
      const s = new Uint8Array(8);
      for (const fd of list) s[fd >> 3]! |= 1 << (fd & 7);
      return s;
    };
    const rs = buf + 64;
    const ws = buf + 128;
    const tv = buf + 192;
    const put = (at: number, b: Uint8Array): void => void p.mem.copyOut(at, b, 0, b.length);
    const get = (at: number): Uint8Array => {
      const b = new Uint8Array(8);
      p.mem.copyIn(at, b, 0, 8);
      return b;
    };
    put(tv, new Uint8Array(16)); // a zero timeout
    put(rs, setOf(r));
    put(ws, setOf(w, r));
    expect(sys(p.tid, SYS.select, w + 1, rs, ws, 0, tv)).toBe(1);
    expect([get(rs), get(ws)]).toEqual([setOf(), setOf(w)]);
    expect(sys(p.tid, SYS.write, w, buf, 1)).toBe(1);
    put(rs, setOf(r));
    put(ws, setOf(w));
    expect(sys(p.tid, SYS.select, w + 1, rs, ws, 0, tv)).toBe(2);
    put(rs, setOf(50));
    expect(sys(p.tid, SYS.select, 51, rs, 0, 0, tv)).toBe(-Errno.EBADF);
    expect(sys(p.tid, SYS.select, -1, 0, 0, 0, tv)).toBe(-Errno.EINVAL);
    const micro = new DataView(new ArrayBuffer(16));
    micro.setBigInt64(8, 1_000_000n, true); // one second in microseconds: carried over, not EINVAL
    put(tv, new Uint8Array(micro.buffer));
    put(rs, setOf(r));
    expect(sys(p.tid, SYS.select, r + 1, rs, 0, 0, tv)).toBe(1);
  });
});
