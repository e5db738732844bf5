import { DEFAULT_STACK_LIMIT, FAULT_OK, PAGE_SIZE, Signal, type FaultResult } from '@tskern/abi';
import { isFrame, NO_FRAME } from '@tskern/pagealloc';
import type { ChargeKind, UserFaultWait } from '@tskern/mm-api';
import type { Segment } from '@tskern/rangemap';
import type { AddressSpace } from './address-space';
import { markAnonPage } from './anon-page';
import { VM_GROWSDOWN, type Vma } from './vma';
import { PROT_EXEC_BIT, PROT_READ_MASK, PROT_WRITE_BIT } from './prot';
import { PTE_ANON, PTE_CLEAN, PTE_COW, PTE_KIND, PTE_PRESENT, PTE_WRITE } from './pte';

/** stack_guard_gap: 256 pages kept free below a growing stack (mm/mmap.c). */
const STACK_GUARD_GAP = 256 * PAGE_SIZE;

/**
 * A fault in the gap just below a MAP_GROWSDOWN VMA grows it down to the
 * faulting page (lock_mm_and_find_vma -> expand_stack -> expand_downwards),
 * unless that would come within the stack guard gap of an accessible VMA
 * below, reach below mmap_min_addr, or pass RLIMIT_STACK (its default,
 * DEFAULT_STACK_LIMIT). Returns the grown
 * segment, or undefined (the access gets SIGSEGV).
 */
function expandStack(as: AddressSpace, addr: number): Segment<Vma> | undefined {
  const seg = as.vmas.lowerBound(addr);
  if (seg === undefined || (seg.value.flags & VM_GROWSDOWN) === 0) return undefined;
  if (addr < as.options.tunables.mmapMinAddr || seg.end - addr > DEFAULT_STACK_LIMIT) return undefined;
  const prev = seg.prev();
  if (prev !== undefined) {
    if (prev.end > addr) return undefined;
    const accessible = (prev.value.prot & PROT_READ_MASK) !== 0;
    if ((prev.value.flags & VM_GROWSDOWN) === 0 && accessible && addr - prev.end < STACK_GUARD_GAP) return undefined;
  }
  const vma = seg.value;
  if (vma.backing !== null && vma.offset < seg.start - addr) return undefined; // vm_pgoff would go below 0
  const grown = vma.backing === null ? vma : vma.slice(addr - seg.start);
  as.attach(addr, seg.end, grown);
  as.detach(seg.start, seg.end, vma);
  as.vmas.setRange(seg, addr, seg.end);
  seg.value = grown;
  return seg;
}

/**
 * mem_cgroup_charge for the frame the fault just mapped at `page`. A frame
 * the controller cannot charge (its group is over memory.max with nothing
 * left to reclaim or kill) is unmapped again and the access gets SIGBUS:
 * Linux answers VM_FAULT_OOM and retries the fault until the group's
 * memory frees, which a tskern fault cannot wait for. The frame is charged
 * after it is mapped so that reclaim, which drops only charged frames, never
 * takes it (or a COW source already let go) from under the fault.
 */
function chargeMapped(as: AddressSpace, page: number, frame: number, kind: ChargeKind): FaultResult {
  const charger = as.options.charger;
  if (charger === undefined || charger.charge(as, frame, kind)) return FAULT_OK;
  const f = as.pt.clear(page);
  if (isFrame(f)) as.frames.decRef(f);
  return Signal.SIGBUS;
}

/**
 * Resolve a fault at page `page` for a load (`write` false) or a store, or
 * an instruction fetch (`execute`, with `write` false). As
 * mm/memory.c:handle_mm_fault: no VMA or a protection that forbids the access
 * is SIGSEGV (a fetch needs VM_EXEC: arch/riscv/mm/fault.c:access_error); a
 * page wholly past the end of a file, or no memory for a frame, is SIGBUS;
 * otherwise the page table gets an entry that allows the access. A fetch
 * from a non-present page faults it in as a read does (FAULT_FLAG_INSTRUCTION
 * changes nothing in handle_mm_fault but the permission check).
 */
export function handleFault(as: AddressSpace, page: number, write: boolean, execute = false): FaultResult {
  const r = resolveFault(as, page, write, execute, false);
  // mm_account_fault: a fault that succeeded counts as minor (tskern never waits for I/O, so none is major).
  if (r === FAULT_OK) as.minorFaults++;
  return r as FaultResult; // without waits allowed, resolveFault never answers a wait
}

/**
 * A user-mode access's fault (the CPU's): as `handleFault`, except that a
 * missing page in a range registered with a userfaultfd answers the
 * UserFaultWait the faulting thread must sleep on before it retries the
 * access (handle_userfault under FAULT_FLAG_ALLOW_RETRY). Nothing is
 * allocated then: the handler fills the page.
 *
 * Kernel accesses (`handleFault`, as copy_to_user in a system call) do not
 * wait: tskern's system calls cannot sleep in the middle of a copy, so such a
 * fault resolves as if the range were not registered (Linux would block the
 * call until the handler resolves the fault).
 */
export function handleUserFault(as: AddressSpace, page: number, write: boolean, execute = false): FaultResult | UserFaultWait {
  const r = resolveFault(as, page, write, execute, true);
  if (r === FAULT_OK) as.minorFaults++;
  return r;
}

function resolveFault(as: AddressSpace, page: number, write: boolean, execute: boolean, mayWait: boolean): FaultResult | UserFaultWait {
  if (as.released) return Signal.SIGSEGV;
  const addr = page * PAGE_SIZE;
  const seg = as.vmas.find(addr) ?? expandStack(as, addr);
  if (seg === undefined) return Signal.SIGSEGV;
  const vma = seg.value;
  const allowed = write ? PROT_WRITE_BIT : execute ? PROT_EXEC_BIT : PROT_READ_MASK;
  if ((vma.prot & allowed) === 0) return Signal.SIGSEGV;

  const pt = as.pt;
  const frames = as.frames;
  const flags = pt.flags(page);
  if (flags !== 0) {
    // Present but not writable under a writable VMA: copy-on-write (mm/memory.c:do_wp_page).
    if (!write || (flags & PTE_WRITE) !== 0) {
      pt.setFlags(page, (flags & PTE_KIND) | as.accessBits(vma, flags));
      return FAULT_OK;
    }
    if ((flags & PTE_CLEAN) !== 0 && vma.backing !== null) {
      // wp_page_shared: the first store to a clean page of a write-notify object tells it
      // (page_mkwrite; it marks the page dirty), then the entry becomes writable.
      const frame = vma.backing.mappable.translate(vma.objectOffset(seg.start, addr), true);
      if (!isFrame(frame)) return Signal.SIGBUS;
      if (frame !== pt.frame(page)) {
        frames.incRef(frame);
        frames.decRef(pt.frame(page));
        pt.set(page, frame, PTE_PRESENT | as.accessBits(vma, 0));
        return chargeMapped(as, page, frame, 'file');
      }
      pt.setFlags(page, PTE_PRESENT | as.accessBits(vma, 0));
      return FAULT_OK;
    }
    as.ensureAnon(seg);
    const frame = pt.frame(page);
    if ((flags & PTE_ANON) !== 0 && frames.isUnique(frame)) {
      // The last owner of a private page writes it in place (wp_page_reuse).
      pt.setFlags(page, PTE_PRESENT | PTE_ANON | as.accessBits(vma, PTE_ANON));
      return FAULT_OK;
    }
    // The copy overwrites the whole frame, so it need not be zeroed first.
    const copy = frames.allocateUninitialized();
    if (copy === NO_FRAME) return Signal.SIGBUS;
    frames.copy(frame, copy);
    markAnonPage(frames, copy);
    frames.decRef(frame);
    pt.set(page, copy, PTE_PRESENT | PTE_ANON | as.accessBits(vma, PTE_ANON));
    return chargeMapped(as, page, copy, 'anon'); // wp_page_copy charges the copy
  }

  // A guard marker (MADV_GUARD_INSTALL): handle_pte_marker answers SIGSEGV.
  if (as.guards.size !== 0 && as.guards.has(page)) return Signal.SIGSEGV;

  const backing = vma.backing;
  if (backing === null) {
    // do_anonymous_page: a registered range hands the missing page to user space first.
    if (vma.uffd !== null && mayWait) {
      const answer = vma.uffd.missing(addr, write);
      if (answer === 'sigbus') return Signal.SIGBUS;
      if (answer !== null) return answer;
    }
    // Private anonymous: a zeroed frame (do_anonymous_page). A load maps it
    // read-only, as Linux maps the shared zero page: the first store then
    // faults, which is when the VMA gets its anonymous memory identity.
    const frame = frames.allocate();
    if (frame === NO_FRAME) return Signal.SIGBUS;
    markAnonPage(frames, frame);
    if (write) as.ensureAnon(seg);
    const pteFlags = write ? PTE_PRESENT | PTE_ANON : PTE_PRESENT | PTE_ANON | PTE_COW;
    pt.set(page, frame, pteFlags | as.accessBits(vma, pteFlags));
    return chargeMapped(as, page, frame, 'anon'); // do_anonymous_page charges its folio
  }

  const offset = vma.objectOffset(seg.start, addr);
  // shmem_get_folio_gfp: a registered shared mapping hands a page missing from the object to user space.
  if (vma.uffd !== null && mayWait && vma.shared && !backing.mappable.isResident(offset)) {
    const answer = vma.uffd.missing(addr, write);
    if (answer === 'sigbus') return Signal.SIGBUS;
    if (answer !== null) return answer;
  }
  if (vma.shared) {
    // Shared: the object's own frame, so every sharer and read/write see the same bytes.
    const frame = backing.mappable.translate(offset, write);
    if (!isFrame(frame)) return Signal.SIGBUS; // past EOF or no memory: both SIGBUS
    frames.incRef(frame);
    // A load of a write-notify object's page maps it clean: read-only until a store faults.
    const clean = !write && backing.mappable.writeNotify === true ? PTE_CLEAN : 0;
    pt.set(page, frame, PTE_PRESENT | clean | as.accessBits(vma, clean));
    // A cache page is charged to the group that brought it in (filemap_add_folio); the charger skips charged ones.
    return chargeMapped(as, page, frame, 'file');
  }

  // Private file mapping: read the page-cache frame until the first store (do_read_fault / do_cow_fault).
  const frame = backing.mappable.translate(offset, false);
  if (!isFrame(frame)) return Signal.SIGBUS;
  if (!write) {
    frames.incRef(frame);
    pt.set(page, frame, PTE_PRESENT | PTE_COW | as.accessBits(vma, PTE_COW));
    return chargeMapped(as, page, frame, 'file');
  }
  as.ensureAnon(seg);
  const copy = frames.allocateUninitialized();
  if (copy === NO_FRAME) return Signal.SIGBUS;
  frames.copy(frame, copy);
  markAnonPage(frames, copy);
  pt.set(page, copy, PTE_PRESENT | PTE_ANON | as.accessBits(vma, PTE_ANON));
  return chargeMapped(as, page, copy, 'anon');
}
