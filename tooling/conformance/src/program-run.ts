import { O } from '@tskern/abi';
import type { CharDevice } from '@tskern/devices';
import { createKernel } from '@tskern/kernel';
import { nodeHostFolder } from '@tskern/kernel/node';
import { ProgramDriver, startProgram } from '@tskern/runtime';

/** Where the suite's binaries appear inside the kernel (PROGRAMS_DIR). */
const INSIDE = '/programs';
/** A "local/experimental" character major for the capture devices. */
const CAPTURE_MAJOR = 240;

/** A write-only stream device collecting what the program writes. */
function capture(name: string, minor: number, sink: { text: string }): CharDevice {
  const decoder = new TextDecoder();
  return {
    name, major: CAPTURE_MAJOR, minor, mode: 0o666,
    open: () => ({
      stream: true,
      write: (_pos, src, off, length) => {
        sink.text += decoder.decode(src.subarray(off, off + length), { stream: true });
        return length;
      },
    }),
  };
}

/** What one program did: its transcript as run-one.py prints it, and its stderr. */
export interface ProgramRun {
  readonly transcript: string;
  readonly stderr: string;
}

/**
 * Run suite program `name` of host directory `bin` as tooling/programs/run-one.py
 * does on Linux: argv [NAME], PATH/HOME/LANG/PROGRAMS_DIR only, a fresh empty
 * working directory, stdin /dev/null, stdout and stderr captured.
 */
export function runProgram(bin: string, name: string, shouldStop: () => boolean): ProgramRun {
  const stdout = { text: '' };
  const stderr = { text: '' };
  const kernel = createKernel({
    mounts: [{ path: INSIDE, fs: nodeHostFolder(bin, { readOnly: true }), source: bin }],
    devices: [capture('programs-stdout', 1, stdout), capture('programs-stderr', 2, stderr)],
  });
  const root = kernel.vfs.kernelTask();
  kernel.vfs.mkdir(root, '/tmp', 0o1777);
  kernel.vfs.chmod(root, '/tmp', 0o1777);
  const cwd = '/tmp/tskern-programs-run';
  kernel.vfs.mkdir(root, cwd, 0o700);
  const pid = startProgram(kernel, {
    path: `${INSIDE}/${name}`,
    argv: [name],
    envp: ['PATH=/usr/bin:/bin', 'HOME=/tmp', 'LANG=C', `PROGRAMS_DIR=${INSIDE}`],
    cwd,
    files: [
      { fd: 0, path: '/dev/null', flags: O.O_RDONLY },
      { fd: 1, path: '/dev/programs-stdout', flags: O.O_WRONLY },
      { fd: 2, path: '/dev/programs-stderr', flags: O.O_WRONLY },
    ],
  });
  if (pid < 0) return { transcript: `execve failed: ${pid}\n`, stderr: '' };
  const result = new ProgramDriver(kernel, { shouldStop }).run(pid);
  const out = stdout.text === '' || stdout.text.endsWith('\n') ? stdout.text : `${stdout.text}\n`;
  if (result.kind === 'deadlock') return { transcript: `${out}deadlock\n`, stderr: `${stderr.text}${result.message}\n` };
  if (result.kind === 'stopped') return { transcript: `${out}timeout\n`, stderr: stderr.text };
  const end = result.signal !== 0 ? `signal ${result.signal}` : `exit ${result.status}`;
  return { transcript: `${out}${end}\n`, stderr: stderr.text };
}
