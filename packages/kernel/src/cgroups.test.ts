import { describe, expect, it } from 'vitest';
import { Errno, MAP, PROT, SYS } from '@tskern/abi';
import { ProcessWorld } from './testing/process-world';

/*
 * File formats and errnos as the host Linux (6.18, as root) answered them on
 * a cgroup2 mount: "0::/path" in /proc/[pid]/cgroup, cgroup.procs one pid a
 * line, a group with a process is EBUSY to rmdir, an unknown option of
 * cgroup2 EINVAL (LTP then mounts without it).
 */

const K = 4096;
const CG = '/sys/fs/cgroup';


describe('cgroup v2 in the kernel', () => {
  it('mounts the hierarchy on /sys/fs/cgroup and for mount(2) as cgroup2', () => {
    const w = new ProcessWorld();
    expect(w.read('/proc/self/mounts')).toContain('cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime 0 0\n');
    expect(w.read('/proc/filesystems')).toContain('nodev\tcgroup2\n');
    expect(w.sys(SYS.mkdir, w.s('/m'), 0o755)).toBe(0);
    expect(w.sys(SYS.mount, w.s('cgroup2'), w.s('/m'), w.s('cgroup2'), 0, w.s('memory_recursiveprot'))).toBe(-Errno.EINVAL);
    expect(w.sys(SYS.mount, w.s('cgroup2'), w.s('/m'), w.s('cgroup2'), 0, 0)).toBe(0);
    expect(w.read('/m/cgroup.controllers')).toBe('memory\n');
    expect(w.read('/m/cgroup.procs')).toBe(`${w.pid}\n`);
    expect(w.sys(SYS.umount2, w.s('/m'), 0)).toBe(0);
  });

  it('moves processes, puts a forked child in its parent group and shows it in /proc/[pid]/cgroup', () => {
    const w = new ProcessWorld();
    expect(w.read('/proc/self/cgroup')).toBe('0::/\n');
    expect(w.sys(SYS.mkdir, w.s(`${CG}/a`), 0o755)).toBe(0);
    expect(w.write(`${CG}/cgroup.subtree_control`, '+memory')).toBe(7);
    expect(w.write(`${CG}/a/cgroup.procs`, '0')).toBe(1);
    expect(w.read('/proc/self/cgroup')).toBe('0::/a\n');
    const child = w.sys(SYS.fork);
    expect(child).toBeGreaterThan(0);
    expect(w.read(`${CG}/a/cgroup.procs`)).toBe(`${w.pid}\n${child}\n`);
    expect(w.read(`/proc/${child}/cgroup`)).toBe('0::/a\n');
    expect(w.sys(SYS.rmdir, w.s(`${CG}/a`))).toBe(-Errno.EBUSY);
    expect(w.sys(SYS.kill, child, 9)).toBe(0);
    expect(w.sys(SYS.wait4, child, 0, 0, 0)).toBe(child);
    expect(w.read(`${CG}/a/cgroup.procs`)).toBe(`${w.pid}\n`);
  });

  it('charges faults to the group, and at memory.max drops MAP_DROPPABLE memory, then OOM-kills', () => {
    const w = new ProcessWorld();
    expect(w.sys(SYS.mkdir, w.s(`${CG}/a`), 0o755)).toBe(0);
    expect(w.write(`${CG}/cgroup.subtree_control`, '+memory')).toBe(7);
    expect(w.write(`${CG}/a/cgroup.procs`, `${w.pid}`)).toBeGreaterThan(0);
    const memory = () => w.k.cgroups.hierarchy.root.children.get('a')!.memory;
    w.read(`${CG}/a/memory.current`); // faults in the read buffer first
    const a = w.sys(SYS.mmap, 0, 16 * K, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0);
    const before = memory().usage;
    expect(w.k.fill(w.pid, a, 4 * K, 1)).toBe(0);
    expect(memory().usage - before).toBe(4);
    expect(memory().anon - before).toBe(4);
    expect(Number(w.read(`${CG}/a/memory.current`))).toBe(memory().usage * K);
    expect(w.read(`${CG}/a/memory.stat`)).toMatch(/^anon \d+\nfile \d+\n$/);

    const d = w.sys(SYS.mmap, 0, 8 * K, PROT.PROT_READ | PROT.PROT_WRITE, MAP.MAP_ANONYMOUS | MAP.MAP_DROPPABLE, -1, 0);
    expect(w.k.fill(w.pid, d, 8 * K, 2)).toBe(0);
    const used = Number(w.read(`${CG}/a/memory.current`));
    expect(w.write(`${CG}/a/memory.max`, `${used + 2 * K}`)).toBeGreaterThan(0);
    // Six more pages: four come from dropped MAP_DROPPABLE pages.
    expect(w.k.fill(w.pid, a + 4 * K, 6 * K, 3)).toBe(0);
    expect(Number(w.read(`${CG}/a/memory.current`))).toBeLessThanOrEqual(used + 2 * K);
    const vec = w.k.stack(w.pid).end - 100_000;
    expect(w.sys(SYS.mincore, d, 8 * K, vec)).toBe(0);
    const v = new Uint8Array(8);
    w.k.load(w.pid, vec, v);
    expect(v.filter((x) => (x & 1) === 0).length).toBeGreaterThanOrEqual(4);
    expect(w.read(`${CG}/a/memory.events`)).toMatch(/^low 0\nhigh 0\nmax [1-9]\d*\noom 0\noom_kill 0\n/);

    // Past what reclaim can give, the OOM killer ends the process.
    w.k.fill(w.pid, a + 10 * K, 6 * K, 4);
    w.k.fill(w.pid, d, 8 * K, 5);
    expect(w.k.isAlive(w.pid)).toBe(false);
    expect(memory().events.oom).toBe(1);
    expect(memory().events.oom_kill).toBe(1);
    // Its memory is uncharged as it goes.
    expect(memory().usage).toBe(0);
  });
});
