import { describe, expect, it } from 'vitest';
import { Errno, SYS } from '@tskern/abi';
import { store } from '@tskern/mman';
import { world } from '../testing/world';

// Every errno here is what Linux 6.18 answered to the same sequence of calls
// from a C program on the host (a process made session leader by setsid, as
// tskern's spawned process is; its children; an exec'd child).
describe('process groups and sessions (kernel/sys.c)', () => {
  it('setpgid, getpgid, getsid and setsid with Linux errnos', () => {
    const { sys, p } = world();
    const a = p.pid;
    expect(sys(a, SYS.getpgid, 0)).toBe(a);
    expect(sys(a, SYS.getsid, 0)).toBe(a);
    expect(sys(a, SYS.getpgrp)).toBe(a);
    expect(sys(a, SYS.setsid)).toBe(-Errno.EPERM); // already leads a process group
    expect(sys(a, SYS.setpgid, 0, 0)).toBe(-Errno.EPERM); // a session leader
    const b = sys(a, SYS.fork);
    expect(sys(b, SYS.getpgid, 0)).toBe(a);
    expect(sys(b, SYS.getsid, 0)).toBe(a);
    expect(sys(a, SYS.setpgid, b, 0)).toBe(0);
    expect(sys(a, SYS.getpgid, b)).toBe(b);
    expect(sys(a, SYS.setpgid, b, a)).toBe(0);
    expect(sys(a, SYS.setpgid, 999999, 0)).toBe(-Errno.ESRCH);
    expect(sys(a, SYS.getpgid, 999999)).toBe(-Errno.ESRCH);
    expect(sys(a, SYS.getsid, 999999)).toBe(-Errno.ESRCH);
    expect(sys(b, SYS.setpgid, 0, -1)).toBe(-Errno.EINVAL);
    expect(sys(b, SYS.setpgid, 0, 999999)).toBe(-Errno.EPERM); // no such process group
    expect(sys(b, SYS.setpgid, 0, 0)).toBe(0);
    expect(sys(b, SYS.getpgid, 0)).toBe(b);
    expect(sys(b, SYS.setsid)).toBe(-Errno.EPERM);
    expect(sys(b, SYS.setpgid, 0, a)).toBe(0);
    expect(sys(b, SYS.setpgid, a, a)).toBe(-Errno.ESRCH); // the parent is neither itself nor a child
    expect(sys(b, SYS.exit_group, 3)).toBe(0);
    expect(sys(a, SYS.wait4, -a, 0, 0, 0)).toBe(b);

    const c = sys(a, SYS.fork);
    expect(sys(c, SYS.setsid)).toBe(c);
    expect(sys(c, SYS.getpgid, 0)).toBe(c);
    expect(sys(a, SYS.setpgid, c, a)).toBe(-Errno.EPERM); // another session
    expect(sys(a, SYS.getsid, c)).toBe(c);
    expect(sys(c, SYS.exit_group, 0)).toBe(0);
    expect(sys(a, SYS.wait4, 0, 0, 0, 0)).toBe(-Errno.ECHILD); // c is not in the caller's group
    expect(sys(a, SYS.wait4, -c, 0, 0, 0)).toBe(c);
  });

  it('setpgid on a child that has exec\'d is EACCES (PF_FORKNOEXEC)', () => {
    const { sys, p, tasks } = world();
    const d = sys(p.pid, SYS.fork);
    const path = new TextEncoder().encode('/bin/p\0');
    const at = p.stack.end - 128;
    store(tasks.get(d)!.mm, at, path, 0, path.length);
    expect(sys(d, SYS.execve, at, 0, 0)).toBe(0);
    expect(sys(p.pid, SYS.setpgid, d, 0)).toBe(-Errno.EACCES);
  });

  it('kill(0) and kill(-pgid) signal the members of a process group only', () => {
    const { sys, p, tasks } = world();
    const b = sys(p.pid, SYS.fork);
    const c = sys(p.pid, SYS.fork);
    expect(sys(b, SYS.setpgid, 0, 0)).toBe(0);
    expect(sys(p.pid, SYS.kill, -b, 0)).toBe(0);
    expect(sys(p.pid, SYS.kill, -c, 0)).toBe(-Errno.ESRCH); // c leads no group
    expect(sys(b, SYS.kill, 0, 10)).toBe(0); // SIGUSR1 to b's own group
    expect(tasks.get(b)!.group.pending.has(10)).toBe(true);
    expect(tasks.get(c)!.group.pending.has(10)).toBe(false);
  });
});
