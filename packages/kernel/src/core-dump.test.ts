import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stackString, writeProcessFile } from './testing/read-file';
import { MADV, MAP, O, PROT, RLIMIT, SYS, SYS_RISCV64 } from '@tskern/abi';
import { SIG } from '@tskern/signal';
import { coreDumpSettingsOf } from '@tskern/syscall';
import { createKernel } from './kernel';

const RW = PROT.PROT_READ | PROT.PROT_WRITE;
const enc = new TextEncoder();
const PR_SET_DUMPABLE = 4;
type K = ReturnType<typeof createKernel>;

/** A NUL-terminated string on the process's stack (`slot` keeps several apart). */
/** The bytes of a file, or -errno. */
function readBytes(k: K, pid: number, path: string): Uint8Array | number {
  const fd = k.syscall(pid, SYS.open, stackString(k, pid, path), O.O_RDONLY, 0);
  if (fd < 0) return fd;
  const bufAt = k.stack(pid).end - 65536;
  const chunks: Uint8Array[] = [];
  for (;;) {
    const n = k.syscall(pid, SYS.read, fd, bufAt, 16384);
    if (n <= 0) break;
    const chunk = new Uint8Array(n);
    k.load(pid, bufAt, chunk);
    chunks.push(chunk);
  }
  k.syscall(pid, SYS.close, fd);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) out.set(c, (at += c.length) - c.length);
  return out;
}

function setCoreLimit(k: K, pid: number, bytes: bigint): number {
  const at = k.stack(pid).end - 8192;
  const limit = new Uint8Array(16);
  new DataView(limit.buffer).setBigUint64(0, bytes, true);
  new DataView(limit.buffer).setBigUint64(8, bytes, true);
  k.store(pid, at, limit);
  return k.syscall(pid, SYS.setrlimit, RLIMIT.RLIMIT_CORE, at);
}

/** wait4 for `child`: its status word. */
function waitStatus(k: K, pid: number, child: number): number {
  const at = k.stack(pid).end - 12288;
  expect(k.syscall(pid, SYS.wait4, child, at, 0, 0)).toBe(child);
  const word = new Uint8Array(4);
  k.load(pid, at, word);
  return new DataView(word.buffer).getInt32(0, true);
}

/** A process with /tmp, an unlimited RLIMIT_CORE and core_pattern /tmp/core.%p.%s; its forked child (dumpable) has two marked mappings. */
function scene(pattern = '/tmp/core.%p.%s') {
  const k = createKernel();
  k.registerProgram('/bin/app', {});
  const p = k.spawn('/bin/app');
  expect(k.syscall(p, SYS.mkdir, stackString(k, p, '/tmp'), 0o1777)).toBe(0);
  expect(writeProcessFile(k, p, '/proc/sys/kernel/core_pattern', pattern + '\n')).toBe(pattern.length + 1);
  expect(setCoreLimit(k, p, 0xffffffffffffffffn)).toBe(0);
  const keep = k.syscall(p, SYS.mmap, 0, 8192, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0);
  const drop = k.syscall(p, SYS.mmap, 0, 4096, RW, MAP.MAP_PRIVATE | MAP.MAP_ANONYMOUS, -1, 0);
  k.store(p, keep, enc.encode('KEEP-ME-IN-THE-CORE'));
  k.store(p, drop, enc.encode('DROP-ME-FROM-THE-CORE'));
  const c = k.syscall(p, SYS.fork);
  expect(c).toBeGreaterThan(p);
  return { k, p, c, keep, drop };
}

function contains(hay: Uint8Array, needle: string): boolean {
  return Buffer.from(hay).includes(needle);
}

describe('core dumps (fs/coredump.c, fs/binfmt_elf.c elf_core_dump)', () => {
  it('writes an ELF core for a SIGQUIT kill, leaves MADV_DONTDUMP memory out and reports WCOREDUMP', () => {
    const { k, p, c, drop } = scene();
    expect(k.syscall(c, SYS.madvise, drop, 4096, MADV.MADV_DONTDUMP)).toBe(0);
    expect(k.syscall(c, SYS.kill, c, SIG.SIGQUIT)).toBe(0);
    expect(k.isAlive(c)).toBe(false);
    expect(waitStatus(k, p, c)).toBe(SIG.SIGQUIT | 0x80);
    const core = readBytes(k, p, `/tmp/core.${c}.${SIG.SIGQUIT}`);
    if (typeof core === 'number') throw new Error(`no core: ${core}`);
    const v = new DataView(core.buffer);
    expect([...core.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    expect([v.getUint16(16, true), v.getUint16(18, true)]).toEqual([4, 62]); // ET_CORE, EM_X86_64
    expect(contains(core, 'KEEP-ME-IN-THE-CORE')).toBe(true);
    expect(contains(core, 'DROP-ME-FROM-THE-CORE')).toBe(false);
    const st = new Uint8Array(144);
    k.store(p, k.stack(p).end - 16384, new Uint8Array(144));
    expect(k.syscall(p, SYS.stat, stackString(k, p, `/tmp/core.${c}.${SIG.SIGQUIT}`), k.stack(p).end - 16384)).toBe(0);
    k.load(p, k.stack(p).end - 16384, st);
    expect(new DataView(st.buffer).getUint32(24, true) & 0o7777).toBe(0o600); // st_mode (0600 & ~022)
  });

  it('puts MADV_DODUMP memory back into the dump', () => {
    const { k, p, c, drop } = scene();
    expect(k.syscall(c, SYS.madvise, drop, 4096, MADV.MADV_DONTDUMP)).toBe(0);
    expect(k.syscall(c, SYS.madvise, drop, 4096, MADV.MADV_DODUMP)).toBe(0);
    k.syscall(c, SYS.kill, c, SIG.SIGABRT);
    expect(waitStatus(k, p, c)).toBe(SIG.SIGABRT | 0x80);
    const core = readBytes(k, p, `/tmp/core.${c}.${SIG.SIGABRT}`) as Uint8Array;
    expect(contains(core, 'DROP-ME-FROM-THE-CORE')).toBe(true);
  });

  it('writes nothing under RLIMIT_CORE 0, for a non-dumpable process, for a terminating signal or a pipe pattern', () => {
    for (const setup of [
      (k: K, c: number) => setCoreLimit(k, c, 0n),
      (k: K, c: number) => k.syscall(c, SYS.prctl, PR_SET_DUMPABLE, 0),
    ]) {
      const { k, p, c } = scene();
      expect(setup(k, c)).toBe(0);
      k.syscall(c, SYS.kill, c, SIG.SIGSEGV);
      expect(waitStatus(k, p, c)).toBe(SIG.SIGSEGV);
      expect(readBytes(k, p, `/tmp/core.${c}.${SIG.SIGSEGV}`)).toBe(-2); // ENOENT
    }
    const term = scene();
    term.k.syscall(term.c, SYS.kill, term.c, SIG.SIGTERM);
    expect(waitStatus(term.k, term.p, term.c)).toBe(SIG.SIGTERM);
    expect(readBytes(term.k, term.p, `/tmp/core.${term.c}.${SIG.SIGTERM}`)).toBe(-2);
    const piped = scene('|/bin/catch %p');
    piped.k.syscall(piped.c, SYS.kill, piped.c, SIG.SIGQUIT);
    expect(waitStatus(piped.k, piped.p, piped.c)).toBe(SIG.SIGQUIT);
  });

  // Linux: LTP waitpid01 sets RLIMIT_CORE to one page and sees WCOREDUMP for every core signal.
  it('stops at RLIMIT_CORE: a truncated file, still reported as WCOREDUMP', () => {
    const { k, p, c } = scene();
    expect(setCoreLimit(k, c, 8192n)).toBe(0);
    k.syscall(c, SYS.kill, c, SIG.SIGQUIT);
    expect(waitStatus(k, p, c)).toBe(SIG.SIGQUIT | 0x80);
    const core = readBytes(k, p, `/tmp/core.${c}.${SIG.SIGQUIT}`) as Uint8Array;
    expect(core.length).toBeLessThanOrEqual(8192);
    expect(core.length).toBeGreaterThan(0);
  });

  it('follows /proc/self/coredump_filter: without bit 0 no private anonymous memory is dumped', () => {
    const { k, p, c } = scene();
    expect(new TextDecoder().decode(readBytes(k, c, '/proc/self/coredump_filter') as Uint8Array)).toBe('00000033\n');
    expect(writeProcessFile(k, c, '/proc/self/coredump_filter', '0x32')).toBe(4);
    k.syscall(c, SYS.kill, c, SIG.SIGQUIT);
    expect(waitStatus(k, p, c)).toBe(SIG.SIGQUIT | 0x80);
    expect(contains(readBytes(k, p, `/tmp/core.${c}.${SIG.SIGQUIT}`) as Uint8Array, 'KEEP-ME-IN-THE-CORE')).toBe(false);
  });

  it('appends .pid under core_uses_pid to a pattern without %p, relative to the working directory', () => {
    const { k, p, c } = scene('core');
    expect(writeProcessFile(k, p, '/proc/sys/kernel/core_uses_pid', '1')).toBe(1);
    expect(k.syscall(c, SYS.chdir, stackString(k, c, '/tmp'))).toBe(0);
    k.syscall(c, SYS.kill, c, SIG.SIGQUIT);
    expect(waitStatus(k, p, c)).toBe(SIG.SIGQUIT | 0x80);
    expect(readBytes(k, p, `/tmp/core.${c}`)).toBeInstanceOf(Uint8Array);
  });
});

const tinyStatic = new Uint8Array(readFileSync(new URL('../../elf/fixtures/tiny-static', import.meta.url)));

/** The notes of a core file by type (the first of each). */
function coreNotes(core: Uint8Array): Map<number, Uint8Array> {
  const v = new DataView(core.buffer, core.byteOffset);
  const phoff = Number(v.getBigUint64(32, true));
  const offset = Number(v.getBigUint64(phoff + 8, true));
  const size = Number(v.getBigUint64(phoff + 32, true));
  const notes = new Map<number, Uint8Array>();
  for (let at = offset; at < offset + size; ) {
    const [namesz, descsz, type] = [v.getUint32(at, true), v.getUint32(at + 4, true), v.getUint32(at + 8, true)];
    const desc = at + 12 + ((namesz + 3) & ~3);
    if (!notes.has(type)) notes.set(type, core.subarray(desc, desc + descsz));
    at = desc + ((descsz + 3) & ~3);
  }
  return notes;
}

describe('the core of an exec\'d riscv64 ELF program', () => {
  it('names EM_RISCV and carries the registers, the auxiliary vector, the mapped file and its ELF header page', () => {
    const k = createKernel();
    const root = k.vfs.kernelTask();
    const f = k.vfs.open(root, '/tiny', O.O_WRONLY | O.O_CREAT, 0o755);
    if (typeof f === 'number') throw new Error(`open: ${f}`);
    f.write(tinyStatic, 0, tinyStatic.length);
    f.decRef();
    k.registerProgram('/sbin/init', {});
    const pid = k.spawn('/sbin/init', { arch: 'riscv64' });
    const path = stackString(k, pid, '/tiny');
    expect(k.runtime.syscall(pid, SYS_RISCV64.execve, path, 0, 0)).toBe(0);
    coreDumpSettingsOf(k.tasks).pattern = '/core.%e';
    const limit = k.stack(pid).end - 0x8000;
    k.store(pid, limit, new Uint8Array(16).fill(0xff));
    expect(k.runtime.syscall(pid, SYS_RISCV64.prlimit64, 0, RLIMIT.RLIMIT_CORE, limit, 0)).toBe(0);
    k.runtime.syscall(pid, SYS_RISCV64.kill, pid, SIG.SIGABRT);
    expect(k.isAlive(pid)).toBe(false);
    const file = k.vfs.open(root, '/core.tiny', O.O_RDONLY, 0);
    if (typeof file === 'number') throw new Error(`no core: ${file}`);
    const core = new Uint8Array(file.stat().size as number);
    expect(file.read(core, 0, core.length)).toBe(core.length);
    file.decRef();
    const v = new DataView(core.buffer);
    expect(v.getUint16(18, true)).toBe(243); // EM_RISCV
    const notes = coreNotes(core);
    const prstatus = new DataView(notes.get(1)!.buffer, notes.get(1)!.byteOffset);
    expect(notes.get(1)!.length).toBe(376);
    expect(prstatus.getBigUint64(112, true)).toBe(0x10120n); // pc: the entry, where the task stands
    const auxv = new DataView(notes.get(6)!.buffer, notes.get(6)!.byteOffset, notes.get(6)!.length);
    const pairs = new Map<bigint, bigint>();
    for (let i = 0; i < auxv.byteLength; i += 16) pairs.set(auxv.getBigUint64(i, true), auxv.getBigUint64(i + 8, true));
    expect([pairs.get(6n), pairs.get(9n), pairs.get(0n)]).toEqual([4096n, 0x10120n, 0n]); // AT_PAGESZ, AT_ENTRY, AT_NULL
    expect(new TextDecoder().decode(notes.get(0x46494c45)!)).toContain('/tiny\0');
    // The first PT_LOAD maps /tiny from offset 0, untouched: only its ELF header page is written.
    const load = 64 + 56;
    expect([v.getUint32(load, true), Number(v.getBigUint64(load + 32, true))]).toEqual([1, 4096]);
    const data = Number(v.getBigUint64(load + 8, true));
    expect([...core.subarray(data, data + 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
  });
});

describe('dumpability after a change of identity (commit_creds with fs.suid_dumpable 0)', () => {
  it('drops to 0 when the effective or fs ids change, and stays for other changes', () => {
    const k = createKernel();
    k.registerProgram('/bin/app', {});
    const p = k.spawn('/bin/app');
    const PR_GET_DUMPABLE = 3;
    const reset = () => k.syscall(p, SYS.prctl, PR_SET_DUMPABLE, 1);
    const NO = 0xffffffff;
    // Expected: the same sequence in a forked root process on Linux 6.18 (python ctypes).
    const steps: [string, () => number][] = [
      ['setgroups([])', () => k.syscall(p, SYS.setgroups, 0, 0)],
      ['setegid(1000)', () => k.syscall(p, SYS.setresgid, NO, 1000, NO)],
      ['seteuid(1000)', () => k.syscall(p, SYS.setresuid, NO, 1000, NO)],
      ['seteuid(1000) again', () => k.syscall(p, SYS.setresuid, NO, 1000, NO)],
      ['seteuid(0)', () => k.syscall(p, SYS.setresuid, NO, 0, NO)],
      ['setresuid(0, 0, 1000)', () => k.syscall(p, SYS.setresuid, 0, 0, 1000)],
      ['setreuid(2000, -1)', () => k.syscall(p, SYS.setreuid, 2000, NO)],
    ];
    const seen = steps.map(([name, step]) => {
      reset();
      expect(step()).toBe(0);
      return `${name} ${k.syscall(p, SYS.prctl, PR_GET_DUMPABLE)}`;
    });
    expect(seen).toEqual([
      'setgroups([]) 1', 'setegid(1000) 0', 'seteuid(1000) 0', 'seteuid(1000) again 1', 'seteuid(0) 0',
      'setresuid(0, 0, 1000) 1', 'setreuid(2000, -1) 1',
    ]);
  });
});
