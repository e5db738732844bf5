import { CAP, Errno, O, PAGE_SIZE } from '@tskern/abi';
import { fillUserFaultPages, registerUserFaults, unregisterUserFaults, validateUserFaultRange } from '@tskern/mman';
import { waitOn } from '@tskern/sched';
import type { Task } from '@tskern/tasks';
import { capable, type OpenFileDescription } from '@tskern/vfs';
import type { SyscallReturn } from '../block';
import {
  encodePagefaultMsg, UFFD_API, UFFD_API_IOCTLS, UFFD_FEATURE, UFFD_MSG_SIZE, UFFD_OFFERED_FEATURES,
  UFFD_RANGE_IOCTLS, UFFD_USER_MODE_ONLY, UFFDIO, UFFDIO_COPY_MODE, UFFDIO_REGISTER_MODE,
} from './uffd-abi';
import { UserfaultfdContext } from './userfaultfd-context';
import { openUserfaultfd } from './userfaultfd-file';

/**
 * What the ioctls use of their caller: its memory and credentials, which a
 * task and a file ioctl's `IoctlContext` both give.
 */
interface UffdCaller {
  readonly mem: Pick<Task['mem'], 'copyIn' | 'copyOut'>;
  readonly cred: Task['cred'];
}

/** vm.unprivileged_userfaultfd: 0, Linux's default since 5.11 (only CAP_SYS_PTRACE or UFFD_USER_MODE_ONLY). */
const UNPRIVILEGED_USERFAULTFD = false;

/**
 * userfaultfd(2) (fs/userfaultfd.c): EPERM unless the caller may handle
 * kernel-mode faults (CAP_SYS_PTRACE) or asks for user-mode
 * faults only, or vm.unprivileged_userfaultfd allows it; flags beyond
 * O_CLOEXEC, O_NONBLOCK and UFFD_USER_MODE_ONLY are EINVAL. A new context
 * on the caller's address space, awaiting UFFDIO_API, on a new descriptor.
 */
export function sysUserfaultfd(task: Task, flags: number): number {
  const f = flags | 0;
  if ((f & UFFD_USER_MODE_ONLY) === 0 && !capable(task.cred, CAP.CAP_SYS_PTRACE) && !UNPRIVILEGED_USERFAULTFD) return -Errno.EPERM;
  if ((f & ~(O.O_CLOEXEC | O.O_NONBLOCK | UFFD_USER_MODE_ONLY)) !== 0) return -Errno.EINVAL;
  const ctx = new UserfaultfdContext(task.mm);
  // userfaultfd_ioctl is the file's own ioctl, reached through ioctl(2)'s vfs_ioctl.
  const file = openUserfaultfd(ctx, f, (request, arg, io) => ioctlUserfaultfd({ mem: io, cred: io.cred }, ctx, request, arg));
  const fd = task.files.install(file, (f & O.O_CLOEXEC) !== 0);
  if (fd < 0) file.decRef();
  return fd;
}

/**
 * read(2) of a userfaultfd (userfaultfd_read): EINVAL before UFFDIO_API or
 * for fewer than 32 bytes; then as many whole `struct uffd_msg` as fit, each
 * fault read once (it moves from pending to read, its thread still asleep).
 * Nothing pending: EAGAIN under O_NONBLOCK, else sleep until a fault comes
 * (-ERESTARTSYS on a signal). A copy that fails is EFAULT (or the count
 * before it).
 */
export function readUserfaultfd(task: Task, file: OpenFileDescription, ctx: UserfaultfdContext, buf: number, count: number): SyscallReturn {
  if (ctx.features === null) return -Errno.EINVAL;
  const attempt = (): SyscallReturn => {
    let done = 0;
    while (count - done >= UFFD_MSG_SIZE) {
      const fault = ctx.takePending();
      if (fault === null) break;
      if (task.mem.copyOut(buf + done, encodePagefaultMsg(fault.address, fault.write), 0, UFFD_MSG_SIZE) < 0) return done > 0 ? done : -Errno.EFAULT;
      done += UFFD_MSG_SIZE;
    }
    if (done > 0) return done;
    if (count < UFFD_MSG_SIZE) return -Errno.EINVAL;
    if ((file.getFlags() & O.O_NONBLOCK) !== 0) return -Errno.EAGAIN;
    return { reason: 'read userfaultfd', on: [waitOn(ctx.fdWait)], restart: 'sys', retry: attempt, cancel: () => {} };
  };
  return attempt();
}

/** poll's mask bits. */
const POLLIN = 0x1;
const POLLERR = 0x8;

/**
 * userfaultfd_poll: POLLERR before UFFDIO_API, and on a descriptor without
 * O_NONBLOCK (poll cannot promise read will not block: a fault may be woken
 * before it is read); POLLIN while a fault waits to be read.
 */
export function pollUserfaultfd(file: OpenFileDescription, ctx: UserfaultfdContext): number {
  if (ctx.features === null || (file.getFlags() & O.O_NONBLOCK) === 0) return POLLERR;
  return ctx.hasPending ? POLLIN : 0;
}

/** The little-endian u64 at byte `at` of `b`, as a number (addresses and lengths stay below 2^53 or fail validation). */
function u64(b: DataView, at: number): number {
  return Number(b.getBigUint64(at, true));
}

function readStruct(task: UffdCaller, arg: number, size: number): DataView | null {
  const bytes = new Uint8Array(size);
  if (task.mem.copyIn(arg, bytes, 0, size) < 0) return null;
  return new DataView(bytes.buffer);
}

function writeU64(task: UffdCaller, addr: number, value: bigint): boolean {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
  return task.mem.copyOut(addr, out, 0, 8) >= 0;
}

/**
 * UFFDIO_API (userfaultfd_api): the API must be UFFD_API and the requested
 * features among those offered (EINVAL: the struct is zeroed);
 * UFFD_FEATURE_EVENT_FORK needs CAP_SYS_PTRACE (EPERM). The offered
 * features and the API ioctls are written back; then the requested
 * features are enabled, once: a second UFFDIO_API is EINVAL.
 */
function uffdApi(task: UffdCaller, ctx: UserfaultfdContext, arg: number): number {
  const s = readStruct(task, arg, 24);
  if (s === null) return -Errno.EFAULT;
  const fail = (e: number): number => (task.mem.copyOut(arg, new Uint8Array(24), 0, 24) < 0 ? -Errno.EFAULT : e);
  if (s.getBigUint64(0, true) !== BigInt(UFFD_API)) return fail(-Errno.EINVAL);
  const features = s.getBigUint64(8, true);
  // UFFD_FEATURE_EVENT_FORK would hand the handler a child's memory: CAP_SYS_PTRACE, as userfaultfd_api.
  if ((features & UFFD_FEATURE.EVENT_FORK) !== 0n && !capable(task.cred, CAP.CAP_SYS_PTRACE)) return fail(-Errno.EPERM);
  if ((features & ~UFFD_OFFERED_FEATURES) !== 0n) return fail(-Errno.EINVAL);
  const out = new Uint8Array(24);
  const v = new DataView(out.buffer);
  v.setBigUint64(0, BigInt(UFFD_API), true);
  v.setBigUint64(8, UFFD_OFFERED_FEATURES, true);
  v.setBigUint64(16, UFFD_API_IOCTLS, true);
  if (task.mem.copyOut(arg, out, 0, 24) < 0) return -Errno.EFAULT;
  if (ctx.features !== null) return fail(-Errno.EINVAL);
  ctx.features = features;
  return 0;
}

/**
 * UFFDIO_REGISTER (userfaultfd_register): a mode of MISSING (EINVAL for
 * none, unknown bits, or WP and MINOR, which this kernel lacks as one without
 * CONFIG_HAVE_ARCH_USERFAULTFD_WP/MINOR), then mman's range checks and
 * change; the range ioctls are written to `ioctls`.
 */
function uffdRegister(task: UffdCaller, ctx: UserfaultfdContext, arg: number): number {
  const s = readStruct(task, arg, 24);
  if (s === null) return -Errno.EFAULT;
  const mode = s.getBigUint64(16, true);
  if (mode !== BigInt(UFFDIO_REGISTER_MODE.MISSING)) return -Errno.EINVAL;
  const r = registerUserFaults(ctx.mm, u64(s, 0), u64(s, 8), ctx);
  if (r !== 0) return r;
  return writeU64(task, arg + 24, UFFD_RANGE_IOCTLS) ? 0 : -Errno.EFAULT;
}

/** UFFDIO_UNREGISTER: mman's checks and change; faults waiting in the range are woken (so they do not hang). */
function uffdUnregister(task: UffdCaller, ctx: UserfaultfdContext, arg: number): number {
  const s = readStruct(task, arg, 16);
  if (s === null) return -Errno.EFAULT;
  const start = u64(s, 0);
  const len = u64(s, 8);
  const r = unregisterUserFaults(ctx.mm, start, len, ctx);
  if (r === 0) ctx.wakeRange(start, len);
  return r;
}

/** UFFDIO_WAKE: wake the faults in a valid range (for fills made with DONTWAKE). */
function uffdWake(task: UffdCaller, ctx: UserfaultfdContext, arg: number): number {
  const s = readStruct(task, arg, 16);
  if (s === null) return -Errno.EFAULT;
  const start = u64(s, 0);
  const len = u64(s, 8);
  const bad = validateUserFaultRange(ctx.mm, start, len);
  if (bad !== 0) return bad;
  ctx.wakeRange(start, len);
  return 0;
}

/**
 * UFFDIO_COPY (userfaultfd_copy) and UFFDIO_ZEROPAGE (userfaultfd_zeropage):
 * the destination range valid and the source not wrapping (EINVAL), the mode known (EINVAL; UFFDIO_COPY_MODE_WP
 * needs a write-protect registration, which none is), then the fill. Its
 * result (bytes filled, or -errno) goes to the struct's last field; the
 * filled range's faults are woken unless DONTWAKE; a partial fill is EAGAIN.
 */
function uffdFill(task: UffdCaller, ctx: UserfaultfdContext, arg: number, copy: boolean): number {
  const size = copy ? 32 : 24;
  const s = readStruct(task, arg, size);
  if (s === null) return -Errno.EFAULT;
  const dst = u64(s, 0);
  const src = copy ? u64(s, 8) : 0;
  const len = u64(s, copy ? 16 : 8);
  const mode = s.getBigUint64(copy ? 24 : 16, true);
  const bad = validateUserFaultRange(ctx.mm, dst, len);
  if (bad !== 0) return bad;
  // The source is only checked for wrapping around; an unmapped one is EFAULT when the copy reads it.
  if (copy && s.getBigUint64(8, true) + BigInt(len) >= 1n << 64n) return -Errno.EINVAL;
  const known = copy ? UFFDIO_COPY_MODE.DONTWAKE | UFFDIO_COPY_MODE.WP : UFFDIO_COPY_MODE.DONTWAKE;
  if ((mode & ~BigInt(known)) !== 0n) return -Errno.EINVAL;
  const filled = (mode & BigInt(UFFDIO_COPY_MODE.WP)) !== 0n
    ? -Errno.EINVAL
    : fillUserFaultPages(ctx.mm, dst, len, copy ? (offset, page) => task.mem.copyIn(src + offset, page, 0, PAGE_SIZE) >= 0 : null);
  if (!writeU64(task, arg + size, BigInt(filled))) return -Errno.EFAULT;
  if (filled < 0) return filled;
  if ((mode & BigInt(UFFDIO_COPY_MODE.DONTWAKE)) === 0n) ctx.wakeRange(dst, filled);
  return filled === len ? 0 : -Errno.EAGAIN;
}

/**
 * userfaultfd_ioctl: every request but UFFDIO_API is EINVAL before
 * UFFDIO_API; unknown requests are EINVAL.
 */
export function ioctlUserfaultfd(task: UffdCaller, ctx: UserfaultfdContext, cmd: number, arg: number): number {
  const c = cmd >>> 0;
  if (c !== UFFDIO.API && ctx.features === null) return -Errno.EINVAL;
  switch (c) {
    case UFFDIO.API:
      return uffdApi(task, ctx, arg);
    case UFFDIO.REGISTER:
      return uffdRegister(task, ctx, arg);
    case UFFDIO.UNREGISTER:
      return uffdUnregister(task, ctx, arg);
    case UFFDIO.WAKE:
      return uffdWake(task, ctx, arg);
    case UFFDIO.COPY:
      return uffdFill(task, ctx, arg, true);
    case UFFDIO.ZEROPAGE:
      return uffdFill(task, ctx, arg, false);
    default:
      return -Errno.EINVAL;
  }
}
