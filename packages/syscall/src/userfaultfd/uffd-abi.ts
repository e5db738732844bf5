/**
 * The userfaultfd ABI (include/uapi/linux/userfaultfd.h): the API version,
 * features, ioctl requests and the 32-byte `struct uffd_msg`.
 */

/** UFFD_API: the only API version. */
export const UFFD_API = 0xaa;

/** userfaultfd(2) flags besides O_CLOEXEC and O_NONBLOCK: only user-mode faults are handled. */
export const UFFD_USER_MODE_ONLY = 1;

/** UFFD_FEATURE_* bits. */
export const UFFD_FEATURE = {
  EVENT_FORK: 1n << 1n,
  SIGBUS: 1n << 7n,
} as const;

/**
 * The features tskern offers (UFFD_API_FEATURES as this kernel has it):
 * missing-page faults on private anonymous memory are the base protocol;
 * UFFD_FEATURE_SIGBUS turns them into SIGBUS. Events (fork, remap, remove,
 * unmap), write-protect, minor faults, thread ids and exact addresses are
 * not offered, so a request for them is EINVAL.
 */
export const UFFD_OFFERED_FEATURES = UFFD_FEATURE.SIGBUS;

/** _UFFDIO_* numbers: each ioctl's bit in the `ioctls` masks. */
const NR = { REGISTER: 0x00, UNREGISTER: 0x01, WAKE: 0x02, COPY: 0x03, ZEROPAGE: 0x04, API: 0x3f } as const;

/** _IOC(dir, 0xAA, nr, size) as asm-generic/ioctl.h encodes it (dir: 1 write, 2 read, 3 both). */
function ioc(dir: number, nr: number, size: number): number {
  return ((dir << 30) | (size << 16) | (UFFD_API << 8) | nr) >>> 0;
}

/** The ioctl requests of a userfaultfd. */
export const UFFDIO = {
  API: ioc(3, NR.API, 24),
  REGISTER: ioc(3, NR.REGISTER, 32),
  UNREGISTER: ioc(2, NR.UNREGISTER, 16),
  WAKE: ioc(2, NR.WAKE, 16),
  COPY: ioc(3, NR.COPY, 40),
  ZEROPAGE: ioc(3, NR.ZEROPAGE, 32),
} as const;

/** UFFD_API_IOCTLS: what UFFDIO_API reports (register, unregister, API). */
export const UFFD_API_IOCTLS = (1n << BigInt(NR.REGISTER)) | (1n << BigInt(NR.UNREGISTER)) | (1n << BigInt(NR.API));

/**
 * What UFFDIO_REGISTER reports for a missing-mode range: the range ioctls
 * that will work there (wake, copy, zeropage; tskern has no UFFDIO_MOVE,
 * UFFDIO_POISON, UFFDIO_WRITEPROTECT or UFFDIO_CONTINUE).
 */
export const UFFD_RANGE_IOCTLS = (1n << BigInt(NR.WAKE)) | (1n << BigInt(NR.COPY)) | (1n << BigInt(NR.ZEROPAGE));

/** UFFDIO_REGISTER_MODE_*. */
export const UFFDIO_REGISTER_MODE = { MISSING: 1, WP: 2, MINOR: 4 } as const;

/** UFFDIO_COPY_MODE_* (UFFDIO_ZEROPAGE_MODE_DONTWAKE is the same bit). */
export const UFFDIO_COPY_MODE = { DONTWAKE: 1, WP: 2 } as const;

/** sizeof(struct uffd_msg). */
export const UFFD_MSG_SIZE = 32;

/** UFFD_EVENT_PAGEFAULT. */
export const UFFD_EVENT_PAGEFAULT = 0x12;

/** UFFD_PAGEFAULT_FLAG_WRITE: the fault was a store. */
export const UFFD_PAGEFAULT_FLAG_WRITE = 1;

/**
 * A page-fault `struct uffd_msg` (msg_init zeroes it, userfault_msg fills
 * it): event at 0, arg.pagefault.flags at 8, arg.pagefault.address at 16,
 * the thread id at 24 (zero: UFFD_FEATURE_THREAD_ID is not offered).
 */
export function encodePagefaultMsg(address: number, write: boolean): Uint8Array {
  const out = new Uint8Array(UFFD_MSG_SIZE);
  const v = new DataView(out.buffer);
  v.setUint8(0, UFFD_EVENT_PAGEFAULT);
  v.setBigUint64(8, write ? BigInt(UFFD_PAGEFAULT_FLAG_WRITE) : 0n, true);
  v.setBigUint64(16, BigInt(address), true);
  return out;
}
