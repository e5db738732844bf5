/**
 * A missing-page fault that user space resolves (Linux's userfaultfd,
 * fs/userfaultfd.c handle_userfault): the faulting thread sleeps until a
 * handler fills the page (UFFDIO_COPY, UFFDIO_ZEROPAGE) or wakes it
 * (UFFDIO_WAKE), then retries the access.
 *
 * It has the shape of `@tskern/sched`'s WaitSource, so a runtime parks the
 * faulting task on it directly: `register` is when the fault becomes
 * visible to the handler (its message is queued and readers are woken), and
 * `wake` is called once the fault is resolved; the function `register`
 * returns takes the fault off the queues (the task woke or gave up).
 * When the fault is already resolved at `register` (the page became present,
 * the userfaultfd was closed), `wake` is called at once, as
 * userfaultfd_must_wait lets the thread go without sleeping.
 */
export interface UserFaultWait {
  /** What the task waits on, for deadlock reports (`userfaultfd 0x7f00`). */
  readonly name: string;
  register(wake: () => boolean): () => void;
}

/**
 * What a registration answers for a missing page: a wait (the fault goes
 * to user space), `'sigbus'` (UFFD_FEATURE_SIGBUS: the access gets SIGBUS
 * instead), or null (the registration no longer applies — its userfaultfd
 * is being released — and the fault resolves as if unregistered, as
 * handle_userfault's VM_FAULT_NOPAGE retry then meets no registration).
 */
export type UserFaultAnswer = UserFaultWait | 'sigbus' | null;

/**
 * A userfaultfd registration on a range of memory (Linux's
 * vma->vm_userfaultfd_ctx with VM_UFFD_MISSING): the memory manager keeps
 * it on the VMAs of the range and consults it on every missing-page fault
 * there (mm/memory.c do_anonymous_page: userfaultfd_missing). Two VMAs
 * with different registrations never merge (is_mergeable_vm_userfaultfd_ctx).
 */
export interface UserFaultRegistration {
  /** The fault at page-aligned `address` (a store when `write`) found no page. */
  missing(address: number, write: boolean): UserFaultAnswer;
}
