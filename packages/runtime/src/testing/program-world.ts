import { O } from '@tskern/abi';
import { PF, PT, ET_EXEC, writeElf } from '@tskern/elf';
import { createKernel, type Kernel } from '@tskern/kernel';
import { encodeI } from '@tskern/rv64';
import { ProgramDriver, type DriverResult, type ProgramDriverOptions } from '../program-driver';
import { startProgram, type ProgramStart } from '../start-program';

/** A kernel with files placed by the test, where programs run with fds 1 and 2 on /out. */
export class ProgramWorld {
  readonly kernel: Kernel = createKernel();

  /** Write `bytes` at `path` with `mode` (directories on the way made). */
  put(path: string, bytes: Uint8Array | string, mode = 0o755): void {
    const vfs = this.kernel.vfs;
    const root = vfs.kernelTask();
    let prefix = '';
    for (const part of path.split('/').filter((p) => p !== '').slice(0, -1)) {
      prefix += `/${part}`;
      vfs.mkdir(root, prefix, 0o755);
    }
    const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
    const file = vfs.open(root, path, O.O_WRONLY | O.O_CREAT | O.O_TRUNC, mode);
    if (typeof file === 'number') throw new Error(`cannot create ${path}: ${file}`);
    file.write(data, 0, data.length);
    file.decRef();
    vfs.chmod(root, path, mode);
  }

  /** What the programs wrote to fds 1 and 2. */
  output(): string {
    const file = this.kernel.vfs.open(this.kernel.vfs.kernelTask(), '/out', O.O_RDONLY, 0);
    if (typeof file === 'number') return '';
    const buf = new Uint8Array(1 << 16);
    const n = file.read(buf, 0, buf.length);
    file.decRef();
    return new TextDecoder().decode(buf.subarray(0, Math.max(0, n)));
  }

  /** Start `start.path` (its fds 0-2: /dev/null, /out, /out); the pid or -errno. */
  start(start: ProgramStart): number {
    return startProgram(this.kernel, {
      files: [
        { fd: 0, path: '/dev/null', flags: O.O_RDONLY },
        { fd: 1, path: '/out', flags: O.O_WRONLY | O.O_CREAT | O.O_APPEND },
        { fd: 2, path: '/out', flags: O.O_WRONLY | O.O_CREAT | O.O_APPEND },
      ],
      ...start,
    });
  }

  /** Start and run to the end. */
  run(start: ProgramStart, options: ProgramDriverOptions = {}): DriverResult | number {
    const pid = this.start(start);
    return pid < 0 ? pid : new ProgramDriver(this.kernel, options).run(pid);
  }
}

/** Registers by ABI name, for hand-assembled test programs. */
export const REG = { zero: 0, ra: 1, sp: 2, tp: 4, a0: 10, a1: 11, a2: 12, a3: 13, a4: 14, a5: 15, a7: 17 } as const;

/** addi rd, rs1, imm. */
export function addi(rd: number, rs1: number, imm: number): number {
  return encodeI(0x13, rd, 0, rs1, imm);
}

export const ECALL = 0x00000073;

/** Where `tinyProgram` puts its code; `data` follows the instructions. */
export const TINY_ENTRY = 0x10078;

/**
 * A static ET_EXEC riscv64 program of the given instructions at
 * TINY_ENTRY (one R+X segment at 0x10000), then `data`, as a test's
 * hand-assembled binary.
 */
export function tinyProgram(code: readonly number[], data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const bytes = new Uint8Array(code.length * 4 + data.length);
  const view = new DataView(bytes.buffer);
  code.forEach((insn, i) => view.setUint32(i * 4, insn >>> 0, true));
  bytes.set(data, code.length * 4);
  const size = 0x78 + bytes.length;
  return writeElf({
    type: ET_EXEC, entry: TINY_ENTRY,
    phdrs: [{ type: PT.PT_LOAD, flags: PF.PF_R | PF.PF_X, offset: 0, vaddr: 0x10000, filesz: size }],
    contents: [{ offset: 0x78, bytes }],
  });
}
