import type { UserFaultAnswer, UserFaultRegistration, UserFaultWait } from '@tskern/mm-api';
import { releaseUserFaults, type AddressSpace } from '@tskern/mman';
import { WaitQueue } from '@tskern/sched';
import { PAGE_SIZE } from '@tskern/abi';
import { UFFD_FEATURE } from './uffd-abi';

/**
 * One thread's fault waiting on a userfaultfd (struct userfaultfd_wait_queue):
 * its message, and the wake-up the runtime registered for it.
 */
class FaultWaiter implements UserFaultWait {
  readonly name: string;
  private wake: (() => boolean) | null = null;

  constructor(
    private readonly ctx: UserfaultfdContext,
    readonly address: number,
    readonly write: boolean,
  ) {
    this.name = `userfaultfd 0x${address.toString(16)}`;
  }

  /**
   * handle_userfault: queue the fault where read(2) and poll(2) see it, and
   * wake them; unless userfaultfd_must_wait says the fault is over already
   * (the page was filled meanwhile, the userfaultfd released), then the
   * thread does not sleep.
   */
  register(wake: () => boolean): () => void {
    if (!this.ctx.mustWait(this.address)) {
      wake();
      return () => {};
    }
    this.wake = wake;
    this.ctx.enqueue(this);
    return () => {
      this.wake = null;
      this.ctx.dequeue(this);
    };
  }

  /** userfaultfd_wake_function: the fault is resolved; the thread retries it. */
  resolve(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

/**
 * A userfaultfd (struct userfaultfd_ctx, fs/userfaultfd.c): the address
 * space it serves, the features UFFDIO_API enabled, and its faults: pending
 * ones (not read yet: fault_pending_wqh) and read ones (fault_wqh), each a
 * sleeping thread until UFFDIO_COPY, UFFDIO_ZEROPAGE or UFFDIO_WAKE covers
 * its address, or the userfaultfd is released. As the registration on the
 * VMAs of the ranges it was registered for, it answers mman's missing-page
 * faults there.
 */
export class UserfaultfdContext implements UserFaultRegistration {
  /** UFFDIO_API succeeded (userfaultfd_is_initialized); null until then. */
  features: bigint | null = null;
  /** The last reference to the file went (ctx->released). */
  released = false;
  private readonly pending: FaultWaiter[] = [];
  private readonly read: FaultWaiter[] = [];
  /** fd_wqh: read(2) and poll(2) sleep here until a fault comes or the file is released. */
  readonly fdWait = new WaitQueue('userfaultfd');

  constructor(readonly mm: AddressSpace) {}

  /** handle_userfault for a missing page at `address`. */
  missing(address: number, write: boolean): UserFaultAnswer {
    if (this.released) return null; // VM_FAULT_NOPAGE: the retry finds no registration
    if (this.features !== null && (this.features & UFFD_FEATURE.SIGBUS) !== 0n) return 'sigbus';
    return new FaultWaiter(this, address, write);
  }

  /** userfaultfd_must_wait: the page is still missing and the userfaultfd still open. */
  mustWait(address: number): boolean {
    return !this.released && this.mm.pt.flags(Math.floor(address / PAGE_SIZE)) === 0;
  }

  enqueue(w: FaultWaiter): void {
    this.pending.push(w);
    this.fdWait.wakeAll(); // wake_up_poll(&ctx->fd_wqh, EPOLLIN)
  }

  dequeue(w: FaultWaiter): void {
    remove(this.pending, w);
    remove(this.read, w);
  }

  /** Whether a fault waits to be read (poll's EPOLLIN). */
  get hasPending(): boolean {
    return this.pending.length !== 0;
  }

  /** The oldest unread fault, now read (refiled from fault_pending_wqh to fault_wqh), or null. */
  takePending(): { address: number; write: boolean } | null {
    const w = this.pending.shift();
    if (w === undefined) return null;
    this.read.push(w);
    return w;
  }

  /** wake_userfault: every fault, read or not, whose address is in [start, start + len); len 0 wakes all. */
  wakeRange(start: number, len: number): void {
    const hit = (w: FaultWaiter): boolean => len === 0 || (w.address >= start && w.address < start + len);
    for (const w of [...this.pending, ...this.read]) {
      if (!hit(w)) continue;
      this.dequeue(w);
      w.resolve();
    }
  }

  /**
   * userfaultfd_release: no new fault waits here; the ranges registered
   * with it are registered with nothing; every sleeping fault is woken and
   * retries as an ordinary fault; poll and read waiters see the hang-up.
   */
  release(): void {
    this.released = true;
    releaseUserFaults(this.mm, this);
    this.wakeRange(0, 0);
    this.fdWait.wakeAll();
  }
}

function remove<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}
