import { Errno, O } from '@tskern/abi';
import { createKernel, type Kernel, type KernelMount } from '@tskern/kernel';
import type { FrameAllocator } from '@tskern/pagealloc';
import { ProgramDriver, startProgram, type CpuTickSource, type ProgramDriverOptions } from '@tskern/runtime';
import type { FileSystem, OpenFileDescription } from '@tskern/vfs';
import { EXEC_USAGE, execCapabilities, parseExecArgs, type ExecOptions } from './exec-options';
import { hostStdioDevices, type HostStreams } from './host-stdio';
import { Strace, signalName } from './strace';
import { strerror } from './strerror';

/** What `tskern exec` needs of the host (Node in main.ts; fakes in tests). */
export interface ExecHost {
  readonly streams: HostStreams;
  stdout(text: string): void;
  stderr(text: string): void;
  /** A host path as the user typed it, made absolute (against the directory the command was run from). */
  resolve(path: string): string;
  /** What is at a host path. */
  kind(path: string): 'file' | 'directory' | 'missing' | 'other';
  /** The path with symlinks resolved (realpath); absent: as given. */
  canonical?(path: string): string;
  /** A hostfs of a host directory. */
  folder(path: string, readOnly: boolean): (frames: FrameAllocator) => FileSystem;
  /** A timer's ticks for the driver's CPU accounting (absent: a clock read at every kernel entry and exit). */
  readonly cpuTicks?: CpuTickSource;
}

/** Exit statuses of a program that could not start, as shells use them. */
export const EXIT_NOT_FOUND = 127;
export const EXIT_CANNOT_EXECUTE = 126;
const EXIT_USAGE = 2;

/**
 * What a sysroot contributes: these directories, when present, at the same
 * place inside. The library directories let a dynamic program find its
 * loader and libraries; usr/bin and usr/sbin are where a Debian root (the
 * LTP runner's guest tools: e2fsprogs unpacked with dpkg-deb) keeps its
 * programs, found through PATH as on the host.
 */
const SYSROOT_DIRS = ['lib', 'lib64', 'usr/lib', 'usr/lib64', 'usr/bin', 'usr/sbin'];
/**
 * bin and sbin only where they are usr/bin and usr/sbin (a merged-/usr
 * root's symlinks), so that /bin/sh, which system(3) runs, is there; in a
 * cross-compiler's sysroot (/usr/riscv64-linux-gnu) bin holds host tools.
 */
const MERGED_DIRS = [['bin', 'usr/bin'], ['sbin', 'usr/sbin']] as const;

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

function depth(path: string): number {
  return path.split('/').filter((c) => c !== '').length;
}

/** A disk image to mount through a loop device once the kernel is up. */
interface PlannedImage {
  /** As the user typed it, for messages. */
  readonly typed: string;
  /** Where its directory is mounted while the image is opened (removed before the program starts). */
  readonly staging: string;
  readonly name: string;
  readonly target: string;
  readonly readOnly: boolean;
}

/** Where disk images' host directories are mounted while the images are opened. */
const STAGING = '/.tskern-images';

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The mounts of a run, shallowest first so that deeper ones land inside them, and the disk images. */
function plannedMounts(options: ExecOptions, host: ExecHost, programPath: string): { mounts: KernelMount[]; images: PlannedImage[] } | string {
  const mounts: { target: string; host: string; readOnly: boolean }[] = [];
  const images: PlannedImage[] = [];
  for (const m of options.mounts) {
    const path = host.resolve(m.host);
    const kind = host.kind(path);
    if (kind === 'file') {
      const staging = `${STAGING}/${images.length}`;
      images.push({ typed: m.host, staging, name: baseName(path), target: m.target, readOnly: m.readOnly });
      mounts.push({ target: staging, host: parentOf(path), readOnly: m.readOnly });
      continue;
    }
    if (kind !== 'directory') return `exec: --mount ${m.host}: not a directory or a disk image`;
    mounts.push({ target: m.target, host: path, readOnly: m.readOnly });
  }
  if (options.sysroot !== null) {
    const root = host.resolve(options.sysroot);
    if (host.kind(root) !== 'directory') return `exec: --sysroot ${options.sysroot}: not a directory`;
    for (const dir of SYSROOT_DIRS) {
      if (host.kind(`${root}/${dir}`) === 'directory') mounts.push({ target: `/${dir}`, host: `${root}/${dir}`, readOnly: true });
    }
    for (const [dir, usr] of MERGED_DIRS) {
      const [a, b] = [`${root}/${dir}`, `${root}/${usr}`];
      if (host.kind(a) === 'directory' && host.kind(b) === 'directory' && host.canonical !== undefined && host.canonical(a) === host.canonical(b)) {
        mounts.push({ target: `/${dir}`, host: b, readOnly: true });
      }
    }
  }
  const programDir = parentOf(programPath);
  if (programDir !== '/' && !mounts.some((m) => m.target === programDir)) mounts.push({ target: programDir, host: programDir, readOnly: true });
  mounts.sort((a, b) => depth(a.target) - depth(b.target));
  return { mounts: mounts.map((m) => ({ path: m.target, fs: host.folder(m.host, m.readOnly), source: m.host })), images };
}

/**
 * Open each disk image through its staging mount, drop that mount (lazily:
 * the open file keeps it) and the staging directories, then mount the
 * image on a loop device at its target. Returns null or an error message.
 */
function mountImages(kernel: Kernel, images: readonly PlannedImage[]): string | null {
  const vfs = kernel.vfs;
  const root = vfs.kernelTask();
  const opened: (OpenFileDescription | number)[] = images.map((img) =>
    vfs.open(root, `${img.staging}/${img.name}`, img.readOnly ? O.O_RDONLY : O.O_RDWR, 0),
  );
  for (const img of images) {
    const p = vfs.lookup(root, img.staging, true);
    if (typeof p !== 'number') vfs.umount(p.mount, true);
    vfs.rmdir(root, img.staging);
  }
  if (images.length > 0) vfs.rmdir(root, STAGING);
  let failure: string | null = null;
  images.forEach((img, i) => {
    const file = opened[i]!;
    if (typeof file === 'number') {
      failure ??= `exec: --mount ${img.typed}: ${strerror(-file)}`;
      return;
    }
    if (failure === null) {
      if (vfs.mkdir(root, img.target, 0o755) < 0 && typeof vfs.lookup(root, img.target, true) === 'number') failure = `exec: --mount ${img.typed}: cannot make ${img.target}`;
      else {
        const err = kernel.mountImage(file, img.target, { type: 'ext4', readOnly: img.readOnly });
        if (err < 0) failure = `exec: --mount ${img.typed}: not an ext2/ext3/ext4 image (${strerror(-err)})`;
      }
    }
    file.decRef();
  });
  return failure;
}

/**
 * `tskern exec`: run a riscv64 program on a fresh kernel with the host's
 * standard streams as its fds 0, 1, 2. Returns the exit status.
 */
export function runExec(args: readonly string[], host: ExecHost): number {
  if (args[0] === '--help' || args[0] === '-h') {
    host.stdout(EXEC_USAGE);
    return 0;
  }
  const options = parseExecArgs(args);
  if (typeof options === 'string') {
    host.stderr(`tskern: ${options}\nTry 'tskern exec --help'.\n`);
    return EXIT_USAGE;
  }
  const typed = host.resolve(options.program);
  const kind = host.kind(typed);
  if (kind === 'missing') {
    host.stderr(`tskern: ${options.program}: ${strerror(Errno.ENOENT)}\n`);
    return EXIT_NOT_FOUND;
  }
  if (kind !== 'file') {
    host.stderr(`tskern: ${options.program}: ${strerror(kind === 'directory' ? Errno.EISDIR : Errno.EACCES)}\n`);
    return EXIT_CANNOT_EXECUTE;
  }
  // The program appears where it really is (a symlink's target), as /proc/self/exe would name it.
  const programPath = host.canonical?.(typed) ?? typed;
  const planned = plannedMounts(options, host, programPath);
  if (typeof planned === 'string') {
    host.stderr(`tskern: ${planned}\n`);
    return EXIT_USAGE;
  }
  const kernel = createKernel({ mounts: planned.mounts, devices: hostStdioDevices(host.streams) });
  const root = kernel.vfs.kernelTask();
  if (kernel.vfs.mkdir(root, '/tmp', 0o1777) === 0) kernel.vfs.chmod(root, '/tmp', 0o1777);
  const imageError = mountImages(kernel, planned.images);
  if (imageError !== null) {
    host.stderr(`tskern: ${imageError}\n`);
    return EXIT_USAGE;
  }
  // The kernel's .config where Debian keeps it (LTP's tst_kconfig reads it);
  // a --mount that already put a /boot there keeps its own (the call fails).
  kernel.installBootConfig();
  const strace = options.strace ? new Strace((line) => host.stderr(line)) : undefined;
  const caps = execCapabilities(options);
  const pid = startProgram(kernel, {
    path: programPath,
    argv: [options.program, ...options.args],
    envp: options.env,
    cwd: options.cwd,
    uid: options.uid,
    gid: options.gid,
    ...(caps !== undefined ? { caps } : {}),
    files: [
      { fd: 0, path: '/dev/host-stdin', flags: O.O_RDONLY },
      { fd: 1, path: '/dev/host-stdout', flags: O.O_WRONLY },
      { fd: 2, path: '/dev/host-stderr', flags: O.O_WRONLY },
    ],
    ...(strace !== undefined ? { tracer: strace } : {}),
  });
  if (pid < 0) {
    host.stderr(`tskern: ${options.program}: ${strerror(-pid)}\n`);
    return pid === -Errno.ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE;
  }
  const driverOptions: ProgramDriverOptions = {
    ...(strace !== undefined ? { tracer: strace } : {}),
    ...(host.cpuTicks !== undefined ? { cpuTicks: host.cpuTicks } : {}),
  };
  const result = new ProgramDriver(kernel, driverOptions).run(pid);
  // Dirty pages of disk images and host files reach the host before the command ends.
  kernel.syncAll();
  if (result.kind !== 'exited') {
    host.stderr(result.kind === 'deadlock' ? `tskern: deadlock: ${result.message}\n` : 'tskern: stopped\n');
    return EXIT_USAGE;
  }
  const dumped = result.coreDumped === true ? ' (core dumped)' : '';
  strace?.finish(pid, result.status, result.signal, dumped);
  if (result.signal !== 0) host.stderr(`tskern: ${options.program}: killed by ${signalName(result.signal)}${dumped}\n`);
  return result.status;
}
