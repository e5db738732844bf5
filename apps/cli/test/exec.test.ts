import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SYS_RISCV64 as SYS } from '@tskern/abi';
import { nodeHostFolder } from '@tskern/kernel/node';
import { ET_EXEC, PF, PT, writeElf } from '@tskern/elf';
import { encodeB, encodeI, encodeR, encodeU } from '@tskern/rv64';
import { testTimeout } from '@tskern/vitest-config/budget';
import { describe, expect, it } from 'vitest';
import { runExec, type ExecHost } from '../src/exec-command';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const tiny = 'packages/elf/fixtures/tiny-static';
const tinyPie = 'packages/elf/fixtures/tiny-static-pie';

interface ExecRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** `tskern exec ARGS` in process, paths relative to the repository root, the program's fds 1 and 2 captured. */
function exec(...args: string[]): ExecRun {
  let stdout = '';
  let stderr = '';
  const decoder = new TextDecoder();
  const host: ExecHost = {
    streams: {
      read: () => 0,
      write: (fd, src, off, length) => {
        const text = decoder.decode(src.subarray(off, off + length));
        if (fd === 1) stdout += text;
        else stderr += text;
        return length;
      },
    },
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    resolve: (p) => (p.startsWith('/') ? p : join(root, p)),
    kind: (p) => {
      try {
        const st = statSync(p);
        return st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'other';
      } catch {
        return 'missing';
      }
    },
    canonical: (p) => realpathSync(p),
    folder: (p, readOnly) => nodeHostFolder(p, { readOnly }),
  };
  const status = runExec(args, host);
  return { status, stdout, stderr };
}

const REG = { zero: 0, sp: 2, a0: 10, a1: 11, a2: 12, a3: 13, a4: 14, a7: 17 } as const;
const ECALL = 0x00000073;
const addi = (rd: number, rs1: number, imm: number): number => encodeI(0x13, rd, 0, rs1, imm);

/** A static riscv64 ET_EXEC of hand-assembled instructions at 0x10078. */
function tinyProgram(code: readonly number[]): Uint8Array {
  const text = new Uint8Array(new Uint32Array(code).buffer);
  return writeElf({
    type: ET_EXEC, entry: 0x10078,
    phdrs: [{ type: PT.PT_LOAD, flags: PF.PF_R | PF.PF_X, offset: 0, vaddr: 0x10000, filesz: 0x78 + text.length }],
    contents: [{ offset: 0x78, bytes: text }],
  });
}

/** A host directory of its own for a test's files. */
function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'tskern-exec-'));
}

/** A program whose exit status is -faccessat(AT_FDCWD, path, X_OK, 0): 0 when `path` is there, ENOENT (2) when not. */
function accessProbe(path: string): string {
  // The NUL-padded path follows the ten instructions (auipc is the second: 9 words before it).
  const bytes = new TextEncoder().encode(path + '\0'.repeat(4 - (path.length % 4)));
  const words = Array.from(new Uint32Array(bytes.buffer, 0, bytes.length >> 2));
  const file = join(scratch(), 'probe');
  writeFileSync(file, tinyProgram([
    addi(REG.a0, 0, -100), encodeU(0x17, REG.a1, 0), addi(REG.a1, REG.a1, 4 * 9), addi(REG.a2, 0, 1), addi(REG.a3, 0, 0),
    addi(REG.a7, 0, SYS.faccessat), ECALL,
    encodeR(0x33, REG.a0, 0, REG.zero, REG.a0, 0x20), addi(REG.a7, 0, SYS.exit_group), ECALL, ...words,
  ]));
  chmodSync(file, 0o755);
  return file;
}

describe('tskern exec', () => {
  it('runs a committed riscv64 binary: its output on stdout, its exit code as the status', () => {
    expect(exec(tiny)).toEqual({ status: 42, stdout: 'hello\n', stderr: '' });
    expect(exec('--', tinyPie, 'arg')).toEqual({ status: 42, stdout: 'hello\n', stderr: '' });
  });

  it('--strace prints each system call as strace does', () => {
    const r = exec('--strace', '--env', 'A=1', '--env', 'B=2', tiny, 'x');
    expect(r.stdout).toBe('hello\n');
    expect(r.stderr.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^execve\\("${root}${tiny}", \\["${tiny}", "x"\\], 0x[0-9a-f]+ /\\* 2 vars \\*/\\) = 0$`)),
      'write(1, "hello\\n", 6) = 6',
      'exit(42) = ?',
      '+++ exited with 42 +++',
      '',
    ]);
  });

  it('a program killed by a signal: 128 + N and one line naming it', () => {
    const dir = scratch();
    // The committed tiny-static with its first instruction made a store to address 0
    // (its one PT_LOAD maps the file from offset 0 at 0x10000).
    const bytes = new Uint8Array(readFileSync(join(root, tiny)));
    const view = new DataView(bytes.buffer);
    const entry = Number(view.getBigUint64(24, true));
    view.setUint32(entry - 0x10000, 0x00002023, true); // sw zero, 0(zero)
    const segv = join(dir, 'segv');
    writeFileSync(segv, bytes);
    chmodSync(segv, 0o755);
    expect(exec(segv)).toEqual({ status: 139, stdout: '', stderr: `tskern: ${segv}: killed by SIGSEGV\n` });
    expect(exec('--strace', segv).stderr.split('\n').slice(1)).toEqual([
      '--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---',
      '+++ killed by SIGSEGV +++',
      `tskern: ${segv}: killed by SIGSEGV`,
      '',
    ]);
  });

  it('a missing program is 127; one that cannot be executed 126', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'text'), 'not a program\n');
    chmodSync(join(dir, 'text'), 0o755);
    writeFileSync(join(dir, 'plain'), 'x');
    expect(exec(join(dir, 'nothing'))).toEqual({ status: 127, stdout: '', stderr: `tskern: ${join(dir, 'nothing')}: No such file or directory\n` });
    expect(exec(join(dir, 'text'))).toEqual({ status: 126, stdout: '', stderr: `tskern: ${join(dir, 'text')}: Exec format error\n` });
    expect(exec(join(dir, 'plain'))).toEqual({ status: 126, stdout: '', stderr: `tskern: ${join(dir, 'plain')}: Permission denied\n` });
    expect(exec(dir).status).toBe(126);
  });

  it('--mount shows a host directory; without it the host is invisible', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'script'), `#!${root}${tiny}\n`);
    chmodSync(join(dir, 'script'), 0o755);
    // The script's interpreter is visible only when its directory is mounted.
    expect(exec(join(dir, 'script'))).toMatchObject({ status: 127 });
    expect(exec('--mount', `${root}packages/elf/fixtures:${root}packages/elf/fixtures:ro`, join(dir, 'script')))
      .toEqual({ status: 42, stdout: 'hello\n', stderr: '' });
  });

  it('--strace prefixes [pid N] once a second task runs', () => {
    // fork(); the child exits 3; the parent waits and exits 0.
    const dir = scratch();
    const forker = join(dir, 'forker');
    writeFileSync(forker, tinyProgram([
      addi(REG.a0, 0, 17), addi(REG.a1, 0, 0), addi(REG.a2, 0, 0), addi(REG.a3, 0, 0), addi(REG.a4, 0, 0), addi(REG.a7, 0, SYS.clone), ECALL,
      encodeB(0x63, 1, REG.a0, REG.zero, 16), // bne a0, zero, parent
      addi(REG.a0, 0, 3), addi(REG.a7, 0, SYS.exit), ECALL,
      addi(REG.a0, 0, -1), addi(REG.a1, 0, 0), addi(REG.a2, 0, 0), addi(REG.a3, 0, 0), addi(REG.a7, 0, SYS.wait4), ECALL,
      addi(REG.a0, 0, 0), addi(REG.a7, 0, SYS.exit_group), ECALL,
    ]));
    chmodSync(forker, 0o755);
    const r = exec('--strace', forker);
    expect(r.status).toBe(0);
    expect(r.stderr.split('\n').slice(1)).toEqual([
      'clone(child_stack=NULL, flags=SIGCHLD) = 3',
      '[pid 3] exit(3) = ?',
      '[pid 2] wait4(-1, NULL, 0, NULL) = 3',
      '[pid 2] exit_group(0) = ?',
      '[pid 2] +++ exited with 0 +++',
      '',
    ]);
  });

  it('--sysroot mounts a sysroot\'s lib directory where a dynamic program finds its loader', () => {
    // tiny-pie names /lib/ld-linux-riscv64-lp64d.so.1; a static PIE stands in for the loader.
    const sysroot = scratch();
    mkdirSync(join(sysroot, 'lib'));
    copyFileSync(join(root, tinyPie), join(sysroot, 'lib/ld-linux-riscv64-lp64d.so.1'));
    const pie = 'packages/elf/fixtures/tiny-pie';
    expect(exec(pie)).toEqual({ status: 127, stdout: '', stderr: `tskern: ${pie}: No such file or directory\n` });
    expect(exec('--sysroot', sysroot, pie)).toEqual({ status: 42, stdout: 'hello\n', stderr: '' });
  });

  it('--sysroot also mounts a Debian root\'s usr/bin and usr/sbin, where PATH finds its programs', () => {
    const sysroot = scratch();
    mkdirSync(join(sysroot, 'usr/sbin'), { recursive: true });
    copyFileSync(join(root, tiny), join(sysroot, 'usr/sbin/tool'));
    chmodSync(join(sysroot, 'usr/sbin/tool'), 0o755);
    const probe = accessProbe('/usr/sbin/tool');
    expect(exec(probe).status).toBe(2);
    expect(exec('--sysroot', sysroot, probe).status).toBe(0);
  });

  it('--sysroot mounts bin and sbin only where they link to usr/bin and usr/sbin (merged /usr)', () => {
    const merged = scratch();
    mkdirSync(join(merged, 'usr/bin'), { recursive: true });
    copyFileSync(join(root, tiny), join(merged, 'usr/bin/sh'));
    chmodSync(join(merged, 'usr/bin/sh'), 0o755);
    symlinkSync('usr/bin', join(merged, 'bin'));
    expect(exec('--sysroot', merged, accessProbe('/bin/sh')).status).toBe(0);
    // A cross sysroot's own bin (host tools) stays out.
    const cross = scratch();
    mkdirSync(join(cross, 'bin'));
    copyFileSync(join(root, tiny), join(cross, 'bin/sh'));
    chmodSync(join(cross, 'bin/sh'), 0o755);
    expect(exec('--sysroot', cross, accessProbe('/bin/sh')).status).toBe(2);
  });

  it('--cap-drop and --caps set the capabilities the program runs with (its exit status: prctl PR_CAPBSET_READ of cap_sys_resource)', () => {
    const dir = scratch();
    const probe = join(dir, 'capbset');
    // exit_group(prctl(PR_CAPBSET_READ = 23, CAP_SYS_RESOURCE = 24))
    writeFileSync(probe, tinyProgram([
      addi(REG.a0, 0, 23), addi(REG.a1, 0, 24), addi(REG.a2, 0, 0), addi(REG.a3, 0, 0), addi(REG.a4, 0, 0), addi(REG.a7, 0, SYS.prctl), ECALL,
      addi(REG.a7, 0, SYS.exit_group), ECALL,
    ]));
    chmodSync(probe, 0o755);
    expect(exec(probe).status).toBe(1);
    expect(exec('--cap-drop', 'cap_sys_resource', probe).status).toBe(0);
    expect(exec('--cap-drop', 'chown,SYS_RESOURCE', probe).status).toBe(0);
    expect(exec('--caps', '000001fffeffffff', probe).status).toBe(0);
    expect(exec('--caps', '0', '--cap-bound', '1ffffffffff', probe).status).toBe(1);
    expect(exec('--cap-drop', 'cap_nonsense', probe)).toMatchObject({ status: 2, stderr: expect.stringMatching(/unknown capability cap_nonsense/) });
    expect(exec('--caps', 'xyz', probe).status).toBe(2);
  });

  it('usage errors exit 2', () => {
    expect(exec('--mount', 'x')).toMatchObject({ status: 2, stderr: expect.stringMatching(/^tskern: exec: --mount x: expected HOSTDIR:DIR\[:ro\]/) });
    expect(exec('--uid', 'abc', tiny).status).toBe(2);
    expect(exec().status).toBe(2);
  });
});

describe('tskern exec from source', () => {
  it('runs with the host\'s standard streams, paths relative to where it was started', { timeout: testTimeout(120_000) }, () => {
    const tsx = join(root, 'node_modules/.bin/tsx');
    const r = spawnSync(tsx, ['--conditions=@tskern/source', join(root, 'apps/cli/src/main.ts'), 'exec', 'fixtures/tiny-static'], {
      cwd: join(root, 'packages/elf'), encoding: 'utf8', timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('hello\n');
    expect(r.status).toBe(42);
  });
});
