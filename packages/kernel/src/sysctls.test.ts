import { describe, expect, it } from 'vitest';
import { stackString, writeProcessFile } from './testing/read-file';
import { CAP, CAP_FULL_SET, capBit, Errno, IPC, MAP, O, PROT, RLIMIT, S, SYS } from '@tskern/abi';
import { createKernel } from './kernel';

type K = ReturnType<typeof createKernel>;
const dec = new TextDecoder();
const ANON = MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS;

function readFile(k: K, pid: number, path: string): string | number {
  const fd = k.syscall(pid, SYS.open, stackString(k, pid, path), O.O_RDONLY, 0);
  if (fd < 0) return fd;
  const at = k.stack(pid).end - 8192;
  const n = k.syscall(pid, SYS.read, fd, at, 256);
  k.syscall(pid, SYS.close, fd);
  if (n < 0) return n;
  const buf = new Uint8Array(n);
  k.load(pid, at, buf);
  return dec.decode(buf);
}

function modeOf(k: K, pid: number, path: string): number {
  const at = k.stack(pid).end - 12288;
  expect(k.syscall(pid, SYS.stat, stackString(k, pid, path), at)).toBe(0);
  const st = new Uint8Array(144);
  k.load(pid, at, st);
  return new DataView(st.buffer).getUint32(24, true); // x86-64 struct stat st_mode
}

function setup() {
  const k = createKernel();
  k.registerProgram('/bin/app', {});
  const root = k.spawn('/bin/app');
  const noRawIo = CAP_FULL_SET & ~capBit(CAP.CAP_SYS_RAWIO);
  const plain = k.spawn('/bin/app', { caps: { effective: noRawIo, permitted: noRawIo } });
  const nobody = k.spawn('/bin/app', { uid: 65534, gid: 65534 });
  return { k, root, plain, nobody };
}

// Expected values and modes: host Linux 6.18 (x86-64, fresh boot) read as root.
describe('/proc/sys settings tskern owns', () => {
  it('read as the host shows them, with Linux\'s modes', () => {
    const { k, root } = setup();
    const want: [string, string, number][] = [
      ['vm/max_map_count', '65530\n', 0o644],
      ['vm/mmap_min_addr', '4096\n', 0o644],
      ['kernel/shmmax', '18446744073692774399\n', 0o644],
      ['kernel/shmall', '18446744073692774399\n', 0o644],
      ['kernel/shmmni', '4096\n', 0o644],
      ['kernel/ostype', 'Linux\n', 0o444],
      ['kernel/domainname', '(none)\n', 0o644],
      ['fs/nr_open', '1048576\n', 0o644],
      ['kernel/ngroups_max', '65536\n', 0o444],
      ['kernel/cap_last_cap', '40\n', 0o444],
      ['kernel/tainted', '0\n', 0o644],
      ['kernel/pid_max', '32768\n', 0o644],
    ];
    for (const [path, text, perm] of want) {
      expect([path, readFile(k, root, `/proc/sys/${path}`), modeOf(k, root, `/proc/sys/${path}`)]).toEqual([path, text, S.S_IFREG | perm]);
    }
    expect(readFile(k, root, '/proc/sys/kernel/osrelease')).toBe('6.18.0-tskern\n');
  });

  it('answer Linux\'s errnos: EACCES for root opening a 0444 file or anyone else writing, EINVAL out of range, EPERM without the capability', () => {
    const { k, root, plain, nobody } = setup();
    expect(writeProcessFile(k, root, '/proc/sys/kernel/ostype', 'BSD')).toBe(-Errno.EACCES);
    expect(writeProcessFile(k, nobody, '/proc/sys/vm/max_map_count', '65530')).toBe(-Errno.EACCES);
    expect(writeProcessFile(k, root, '/proc/sys/vm/max_map_count', '-1')).toBe(-Errno.EINVAL);
    expect(writeProcessFile(k, root, '/proc/sys/kernel/shmmni', '32769')).toBe(-Errno.EINVAL);
    expect(writeProcessFile(k, root, '/proc/sys/fs/nr_open', '63')).toBe(-Errno.EINVAL);
    expect(writeProcessFile(k, root, '/proc/sys/kernel/shmmax', '-1')).toBe(-Errno.EINVAL);
    expect(writeProcessFile(k, plain, '/proc/sys/vm/mmap_min_addr', '4096')).toBe(-Errno.EPERM);
    const noAdmin = k.spawn('/bin/app', { caps: { effective: CAP_FULL_SET & ~capBit(CAP.CAP_SYS_ADMIN) } });
    expect(writeProcessFile(k, noAdmin, '/proc/sys/kernel/tainted', '0')).toBe(-Errno.EPERM);
    expect(readFile(k, root, '/proc/sys/vm/max_map_count')).toBe('65530\n');
  });

  it('change what the kernel does when written', () => {
    const { k, root, plain } = setup();
    // vm.max_map_count: mmap is ENOMEM once a process holds more mappings.
    expect(writeProcessFile(k, root, '/proc/sys/vm/max_map_count', '3\n')).toBe(2);
    const maps = (pid: number) => (readFile(k, pid, `/proc/${pid}/maps`) as string).trim().split('\n').length;
    let r = 0;
    for (let i = 0; i < 8 && r >= 0; i++) r = k.syscall(plain, SYS.mmap, 0, 4096, i % 2 === 0 ? PROT.PROT_READ : PROT.PROT_NONE, ANON, -1, 0);
    expect(r).toBe(-Errno.ENOMEM);
    expect(maps(plain)).toBe(4);
    expect(writeProcessFile(k, root, '/proc/sys/vm/max_map_count', '65530')).toBe(5);
    expect(k.syscall(plain, SYS.mmap, 0, 4096, PROT.PROT_READ, ANON, -1, 0)).toBeGreaterThan(0);

    // vm.mmap_min_addr: a fixed mapping below it is EPERM without CAP_SYS_RAWIO.
    expect(k.syscall(plain, SYS.mmap, 0x10000, 4096, PROT.PROT_READ, ANON | MAP.MAP_FIXED, -1, 0)).toBe(0x10000);
    expect(writeProcessFile(k, root, '/proc/sys/vm/mmap_min_addr', '0x100000')).toBe(8);
    expect(readFile(k, root, '/proc/sys/vm/mmap_min_addr')).toBe('1048576\n');
    expect(k.syscall(plain, SYS.mmap, 0x20000, 4096, PROT.PROT_READ, ANON | MAP.MAP_FIXED, -1, 0)).toBe(-Errno.EPERM);
    expect(k.syscall(root, SYS.mmap, 0x20000, 4096, PROT.PROT_READ, ANON | MAP.MAP_FIXED, -1, 0)).toBe(0x20000);

    // kernel.shmmax and shmmni: shmget's EINVAL and ENOSPC.
    expect(writeProcessFile(k, root, '/proc/sys/kernel/shmmax', '8192')).toBe(4);
    expect(k.syscall(root, SYS.shmget, IPC.IPC_PRIVATE, 8193, 0o600)).toBe(-Errno.EINVAL);
    expect(k.syscall(root, SYS.shmget, IPC.IPC_PRIVATE, 8192, 0o600)).toBeGreaterThanOrEqual(0);
    expect(writeProcessFile(k, root, '/proc/sys/kernel/shmmni', '1')).toBe(1);
    expect(k.syscall(root, SYS.shmget, IPC.IPC_PRIVATE, 4096, 0o600)).toBe(-Errno.ENOSPC);

    // kernel.hostname: what uname(2) reports.
    expect(writeProcessFile(k, root, '/proc/sys/kernel/hostname', 'box\n')).toBe(4);
    const uts = k.stack(root).end - 16384;
    expect(k.syscall(root, SYS.uname, uts)).toBe(0);
    const node = new Uint8Array(65);
    k.load(root, uts + 65, node);
    expect(dec.decode(node.subarray(0, node.indexOf(0)))).toBe('box');

    // fs.nr_open: setrlimit's ceiling for RLIMIT_NOFILE's hard limit.
    expect(writeProcessFile(k, root, '/proc/sys/fs/nr_open', '4096')).toBe(4);
    const rl = k.stack(root).end - 20480;
    const limit = new DataView(new ArrayBuffer(16));
    limit.setBigUint64(0, 1024n, true);
    limit.setBigUint64(8, 8192n, true);
    k.store(root, rl, new Uint8Array(limit.buffer));
    expect(k.syscall(root, SYS.setrlimit, RLIMIT.RLIMIT_NOFILE, rl)).toBe(-Errno.EPERM);
    limit.setBigUint64(8, 4096n, true);
    k.store(root, rl, new Uint8Array(limit.buffer));
    expect(k.syscall(root, SYS.setrlimit, RLIMIT.RLIMIT_NOFILE, rl)).toBe(0);

    // kernel.pid_max and threads-max: fork's EAGAIN. Floors from Linux's source (pid_max_min = RESERVED_PIDS + 1, MIN_THREADS 20), not tried on the shared host.
    expect(writeProcessFile(k, root, '/proc/sys/kernel/pid_max', '300')).toBe(-Errno.EINVAL);
    expect(writeProcessFile(k, root, '/proc/sys/kernel/threads-max', '19')).toBe(-Errno.EINVAL);
    expect(writeProcessFile(k, root, '/proc/sys/kernel/threads-max', '20')).toBe(2);
    let forked = 0;
    for (let i = 0; i < 30; i++) {
      const r = k.syscall(root, SYS.fork);
      if (r < 0) {
        expect(r).toBe(-Errno.EAGAIN);
        break;
      }
      forked++;
    }
    expect(forked).toBeGreaterThan(0);
    expect(forked).toBeLessThan(20);
    expect(readFile(k, root, '/proc/sys/kernel/threads-max')).toBe('20\n');

    // kernel.tainted: root sets flags, never clears them.
    expect(writeProcessFile(k, root, '/proc/sys/kernel/tainted', '4096')).toBe(4);
    expect(writeProcessFile(k, root, '/proc/sys/kernel/tainted', '0')).toBe(1);
    expect(readFile(k, root, '/proc/sys/kernel/tainted')).toBe('4096\n');
  });
});

describe('kernel.pid_max at boot', () => {
  it('is 32768 up to 32 CPUs and 1024 per CPU above (pid_max_init)', () => {
    for (const [cpus, want] of [[1, 32768], [32, 32768], [64, 65536]] as const) {
      const k = createKernel({ cpus });
      k.registerProgram('/bin/app', {});
      const p = k.spawn('/bin/app');
      expect(readFile(k, p, '/proc/sys/kernel/pid_max')).toBe(`${want}\n`);
    }
  });
});
