/**
 * A conservative check that a scenario does not depend on the host: the rules
 * the generator follows (tooling/conformance/scenarios/README.md), checked on
 * the text. The minimiser needs it: dropping a line can make a later line
 * host-dependent (drop the anonymous mmap that replaced a file mapping, and a
 * mincore now reads the host's page cache), and a scenario that differs only
 * because of the host is no tskern bug. The generator runs every line it
 * writes through the same rules (`HostRules`), so it never writes one they
 * reject.
 *
 * It tracks which pages of R may hold which file or shm objects
 * (conservatively: mappings add, only a valid anonymous MAP_FIXED mmap
 * clears), which regular files may have a size that is not a page multiple,
 * and, per page, whether a read could fault in the zero page (`AnonPage`).
 */
import { LEGACY_MAP_MASK, MADV, MAP, MREMAP, O, PROT, shmObjectPath } from '@tskern/abi';
import { parseScenario, type Address, type Int64, type Op } from '@tskern/scenario';

const PAGE = 4096;
/** Absolute addresses below this are NULL-ish: never mapped on either kernel. */
const LOW = 64 * 1024;

interface Obj {
  readonly kind: 'file' | 'shm';
  tainted: boolean;
}

interface Fd {
  readonly obj: Obj;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly append: boolean;
  readonly cloexec: boolean;
}

/**
 * What a page of R may be, for the zero-page rule. A read fault on private
 * anonymous memory maps the shared zero page without giving the VMA an
 * anon_vma (mm/memory.c do_anonymous_page) — on most hosts. A host that
 * forbids the zero page (mm_forbids_zeropage: s390 guests; kernels booted with
 * options such as pvm_no_zero_page) allocates a page instead, and so attaches
 * an anon_vma. Whether a VMA has an anon_vma is visible: fork copies the page
 * tables only of VMAs that have one (mm/memory.c vma_needs_copy: a child's
 * mincore), VMAs with different anon_vmas do not merge, and mremap resets the
 * pgoff of a moved VMA without one (mm/vma.c copy_vma: `maps`, and an EFAULT
 * for a resize that now spans two VMAs). So a read that may fault on a private
 * anonymous page whose VMA may still lack an anon_vma is host-dependent.
 */
interface AnonPage {
  /** May be private anonymous memory in a VMA that may have no anon_vma. */
  readonly fresh: boolean;
  /** May be readable. */
  readonly rd: boolean;
  /** Surely private and writable: a store succeeds and gives the VMA an anon_vma. */
  readonly wr: boolean;
  /** May be MADV_WIPEONFORK: the child's VMA starts without an anon_vma (kernel/fork.c dup_mmap). */
  readonly wipe: boolean;
  /**
   * The mapping that surely made this page's VMA, while no call has touched
   * any page of it since (no split): a store to one of its pages gives the
   * whole VMA an anon_vma.
   */
  readonly vma?: number;
}

/** A page of R nobody mapped over: the PROT_NONE private anonymous reservation. */
const RESERVED: AnonPage = { fresh: true, rd: false, wr: false, wipe: false };

interface Proc {
  fds: Map<string, Fd>;
  pages: Map<number, Set<Obj>>;
  anon: Map<number, AnonPage>;
}

const decoder = new TextDecoder();
/** `/dev/shm/`: paths under it name the objects shm_open names. */
const SHM_PREFIX = shmObjectPath('');

/** A kernel argument as a number: beyond 2^53 only approximately, which these conservative checks allow. */
function n(x: Int64): number {
  return Number(x);
}
const READABLE = PROT.PROT_READ | PROT.PROT_EXEC;

/** The union of what a page was and what it may now be (a call that may fail). */
function either(a: AnonPage, b: AnonPage): AnonPage {
  return { fresh: a.fresh || b.fresh, rd: a.rd || b.rd, wr: a.wr && b.wr, wipe: a.wipe || b.wipe };
}

/**
 * The host-independence rules, line by line. `apply` answers why a line is
 * host-dependent (and then changes nothing), or records its effects and
 * answers undefined.
 */
export class HostRules {
  private readonly procs = new Map<string, Proc>([['p1', { fds: new Map(), pages: new Map(), anon: new Map() }]]);
  private readonly files = new Map<string, Obj>();
  private readonly shms = new Map<string, Obj>();
  private rSize: number | undefined;
  private nextVma = 1;

  /** Why `op` is host-dependent, or undefined (its effects then recorded). */
  apply(op: Op): string | undefined {
    const p = this.procs.get(op.proc);
    if (p === undefined) return undefined; // a scenario error
    const rSize = this.rSize;

    /**
     * [first page, end page) of an address range relative to R, or a reason it
     * is not inside R. A memory call (`pageCall`) at an unaligned address
     * fails with EINVAL before it looks at the range: no range then ([-1, -1]).
     */
    const range = (a: Address, len: number, pageCall = false): [number, number] | string => {
      if (pageCall && a.offset % PAGE !== 0) return [-1, -1];
      if (a.base === undefined) return a.offset + Math.max(len, 0) <= LOW ? [-1, -1] : `address ${a.offset} outside R`;
      if (a.base !== 'R') return `address relative to ${a.base}, not R`;
      if (rSize === undefined) return 'no reservation R';
      if (a.offset < 0 || a.offset + Math.max(len, 1) > rSize) return `range ${a.base}+${a.offset}..+${len} crosses R's end`;
      return [Math.floor(a.offset / PAGE), Math.ceil((a.offset + Math.max(len, 1)) / PAGE)];
    };
    const objs = (r: [number, number]): Set<Obj> => {
      const s = new Set<Obj>();
      for (let i = r[0]; i < r[1]; i++) for (const o of p.pages.get(i) ?? []) s.add(o);
      return s;
    };
    const has = (r: [number, number], pred: (o: Obj) => boolean): boolean => [...objs(r)].some(pred);
    const add = (r: [number, number], os: Iterable<Obj>): void => {
      const list = [...os];
      if (list.length === 0) return;
      for (let i = r[0]; i < r[1]; i++) {
        const s = p.pages.get(i) ?? new Set<Obj>();
        for (const o of list) s.add(o);
        p.pages.set(i, s);
      }
    };
    const page = (i: number): AnonPage => p.anon.get(i) ?? RESERVED;
    const setPages = (r: [number, number], f: (old: AnonPage) => AnonPage): void => {
      for (let i = r[0]; i < r[1]; i++) p.anon.set(i, f(page(i)));
    };
    /** A read of these pages may fault in the zero page of a VMA that may have no anon_vma. */
    const zeroRead = (r: [number, number]): boolean => {
      for (let i = r[0]; i < r[1]; i++) if (page(i).fresh && page(i).rd) return true;
      return false;
    };
    /** The mappings with a page in r are no longer known to be one VMA each. */
    const forget = (r: [number, number]): void => {
      const gone = new Set<number>();
      for (let i = r[0]; i < r[1]; i++) {
        const v = page(i).vma;
        if (v !== undefined) gone.add(v);
      }
      if (gone.size === 0) return;
      for (const [k, v] of p.anon) if (v.vma !== undefined && gone.has(v.vma)) p.anon.set(k, { ...v, vma: undefined });
    };
    const ZERO_READ = 'a read fault on private anonymous memory whose VMA may have no anon_vma (the zero page: hosts without one attach an anon_vma, which fork and VMA merging show)';
    const shmObj = (name: string): Obj => {
      const key = name.replace(/^\/+/, '');
      let o = this.shms.get(key);
      if (o === undefined) {
        o = { kind: 'shm', tainted: false };
        this.shms.set(key, o);
      }
      return o;
    };

    const o: Op = op;
    switch (o.op) {
      case 'fork': {
        const anon = new Map<number, AnonPage>();
        for (const [k, v] of p.anon) anon.set(k, v.wipe ? { ...v, fresh: true } : v);
        this.procs.set(o.child, { fds: new Map(p.fds), pages: new Map([...p.pages].map(([k, v]) => [k, new Set(v)])), anon });
        break;
      }
      case 'exit':
        this.procs.delete(o.proc);
        break;
      case 'exec':
        p.pages = new Map();
        p.anon = new Map();
        for (const [k, f] of [...p.fds]) if (f.cloexec) p.fds.delete(k);
        break;
      case 'open': {
        const path = decoder.decode(o.path);
        let obj: Obj;
        if (path.startsWith(SHM_PREFIX)) obj = shmObj(path.slice(SHM_PREFIX.length));
        else {
          obj = this.files.get(path) ?? { kind: 'file', tainted: false };
          this.files.set(path, obj);
        }
        const acc = o.flags & 3;
        p.fds.set(o.fd, { obj, readable: acc !== O.O_WRONLY, writable: acc !== O.O_RDONLY, append: (o.flags & O.O_APPEND) !== 0, cloexec: (o.flags & O.O_CLOEXEC) !== 0 });
        break;
      }
      case 'shm_open': {
        const acc = o.flags & 3;
        p.fds.set(o.fd, { obj: shmObj(decoder.decode(o.name)), readable: acc !== O.O_WRONLY, writable: acc !== O.O_RDONLY, append: false, cloexec: true });
        break;
      }
      case 'unlink': {
        const path = decoder.decode(o.path);
        if (path.startsWith(SHM_PREFIX)) this.shms.delete(path.slice(SHM_PREFIX.length).replace(/^\/+/, ''));
        else this.files.delete(path);
        break;
      }
      case 'shm_unlink':
        this.shms.delete(decoder.decode(o.name).replace(/^\/+/, ''));
        break;
      case 'close':
        p.fds.delete(o.fd);
        break;
      case 'dup': {
        const f = p.fds.get(o.fd);
        if (f) p.fds.set(o.newFd, { ...f, cloexec: false });
        break;
      }
      case 'ftruncate': {
        const f = p.fds.get(o.fd);
        if (f?.writable) f.obj.tainted = n(o.length) % PAGE !== 0;
        break;
      }
      case 'write':
      case 'pwrite': {
        const f = p.fds.get(o.fd);
        if (f?.writable) f.obj.tainted = true;
        break;
      }
      case 'mmap': {
        if (rSize === undefined) {
          if (o.addr.base !== undefined || o.addr.offset !== 0 || o.fd.kind !== 'number') return 'the first mmap must reserve R with a NULL hint';
          this.rSize = Math.ceil(n(o.length) / PAGE) * PAGE;
          break;
        }
        if ((o.flags & (MAP.MAP_FIXED | MAP.MAP_FIXED_NOREPLACE)) === 0) return 'mmap without MAP_FIXED: placement is the kernel\'s choice';
        if ((o.flags & (MAP.MAP_LOCKED | MAP.MAP_HUGETLB)) !== 0) return 'MAP_LOCKED/MAP_HUGETLB depend on host limits';
        const r = range(o.addr, n(o.length), true);
        if (typeof r === 'string') return r;
        if (r[0] < 0) break;
        const f = o.fd.kind === 'var' ? p.fds.get(o.fd.name) : undefined;
        const anonymous = f === undefined && (o.flags & MAP.MAP_ANONYMOUS) !== 0;
        const type = o.flags & 3;
        const priv = type === MAP.MAP_PRIVATE;
        const rd = (o.prot & READABLE) !== 0;
        const wr = (o.prot & PROT.PROT_WRITE) !== 0;
        // MAP_POPULATE read-faults a mapping it cannot write (mm/gup.c populate_vma_page_range).
        if (anonymous && priv && rd && !wr && (o.flags & MAP.MAP_POPULATE) !== 0) return ZERO_READ;
        if (f !== undefined && (o.prot & PROT.PROT_EXEC) !== 0) return 'PROT_EXEC on a file or shm mapping (noexec mounts)';
        // Whether the call surely succeeds (so the new page states replace the old).
        const shapeOk = (o.flags & MAP.MAP_FIXED) !== 0 && (o.flags & MAP.MAP_FIXED_NOREPLACE) === 0 && n(o.length) > 0 &&
          n(o.offset) % PAGE === 0 && n(o.offset) < 2 ** 40 && (o.prot & ~(PROT.PROT_READ | PROT.PROT_WRITE | PROT.PROT_EXEC)) === 0 &&
          (type === MAP.MAP_SHARED || type === MAP.MAP_PRIVATE || (type === MAP.MAP_SHARED_VALIDATE && (o.flags & ~LEGACY_MAP_MASK) === 0));
        let sure: boolean;
        let now: AnonPage;
        if (f !== undefined) {
          add(r, [f.obj]);
          sure = shapeOk && f.readable && (priv || !wr || (f.writable && !f.append));
          now = { fresh: false, rd, wr: false, wipe: false };
        } else if (anonymous) {
          // Anonymous memory knows MAP_SHARED and MAP_PRIVATE only: MAP_SHARED_VALIDATE
          // without a file is EINVAL (mm/mmap.c do_mmap), so the old pages stay.
          sure = shapeOk && type !== MAP.MAP_SHARED_VALIDATE && !(type !== MAP.MAP_PRIVATE && (o.flags & MAP.MAP_GROWSDOWN) !== 0);
          const populated = priv && wr && (o.flags & MAP.MAP_POPULATE) !== 0;
          now = { fresh: priv && !populated, rd, wr: priv && wr, wipe: false };
          if (sure) for (let i = r[0]; i < r[1]; i++) p.pages.delete(i);
        } else {
          break; // no fd and not anonymous: EBADF
        }
        forget(r);
        const vma = sure && anonymous && priv ? this.nextVma++ : undefined;
        setPages(r, (old) => (sure ? { ...now, vma } : either(old, now)));
        break;
      }
      case 'mremap': {
        const src = range(o.addr, Math.max(n(o.oldLength), 1), true);
        if (typeof src === 'string') return src;
        if (src[0] < 0) break;
        const fixed = (o.flags & MREMAP.MREMAP_FIXED) !== 0;
        const maymove = (o.flags & MREMAP.MREMAP_MAYMOVE) !== 0;
        const dontunmap = (o.flags & MREMAP.MREMAP_DONTUNMAP) !== 0;
        // Flags mremap rejects before doing anything (EINVAL): no effect.
        if ((o.flags & ~7) !== 0 || ((fixed || dontunmap) && !maymove)) break;
        // Shrinking in place only drops pages.
        if (!fixed && Math.ceil(n(o.newLength) / PAGE) <= Math.ceil(n(o.oldLength) / PAGE)) {
          forget(src);
          setPages(src, (old) => ({ ...old, wr: false }));
          break;
        }
        if (!fixed && maymove && Math.ceil(n(o.newLength) / PAGE) > Math.ceil(n(o.oldLength) / PAGE)) {
          return 'mremap may move without MREMAP_FIXED: placement is the kernel\'s choice';
        }
        const dstAddr = fixed && o.newAddr !== undefined ? o.newAddr : o.addr;
        const dst = range(dstAddr, n(o.newLength), true);
        if (typeof dst === 'string') return dst;
        if (dst[0] < 0) break;
        add(dst, objs(src));
        forget(src);
        forget(dst);
        let moved: AnonPage = { fresh: false, rd: false, wr: false, wipe: false };
        for (let i = src[0]; i < src[1]; i++) moved = { ...either(moved, page(i)), wr: false };
        // The source of MREMAP_DONTUNMAP loses its anon_vma (mm/mremap.c): fresh again.
        setPages(src, (old) => ({ ...old, fresh: old.fresh || dontunmap, wr: false }));
        setPages(dst, (old) => ({ ...either(old, moved), wr: false }));
        break;
      }
      case 'mprotect': {
        const r = range(o.addr, n(o.length), true);
        if (typeof r === 'string') return r;
        if ((o.prot & PROT.PROT_EXEC) !== 0 && r[0] >= 0 && has(r, () => true)) return 'PROT_EXEC over file or shm pages (noexec mounts)';
        if (r[0] >= 0) forget(r);
        if (r[0] >= 0) setPages(r, (old) => ({ ...old, rd: old.rd || (o.prot & READABLE) !== 0, wr: old.wr && (o.prot & PROT.PROT_WRITE) !== 0 }));
        break;
      }
      case 'mincore': {
        const r = range(o.addr, n(o.length), true);
        if (typeof r === 'string') return r;
        if (r[0] >= 0 && has(r, (x) => x.kind === 'file')) return 'mincore over regular-file pages (the host\'s page cache)';
        break;
      }
      case 'poke':
      case 'fill': {
        const len = o.op === 'poke' ? o.data.length : n(o.length);
        const r = range(o.addr, len);
        if (typeof r === 'string') return r;
        if (r[0] >= 0 && has(r, (x) => x.kind === 'file' && x.tainted)) return 'store into a page of a regular file whose size may not be a page multiple';
        // The store goes page by page: each page surely written gives its VMA an anon_vma.
        for (let i = r[0]; i >= 0 && i < r[1] && page(i).wr; i++) {
          const v = page(i).vma;
          p.anon.set(i, { ...page(i), fresh: false });
          if (v !== undefined) for (const [k, x] of p.anon) if (x.vma === v) p.anon.set(k, { ...x, fresh: false });
        }
        break;
      }
      case 'peek':
      case 'sum': {
        const r = range(o.addr, n(o.length));
        if (typeof r === 'string') return r;
        if (r[0] >= 0 && zeroRead(r)) return ZERO_READ;
        break;
      }
      case 'madvise': {
        const r = range(o.addr, n(o.length), true);
        if (typeof r === 'string') return r;
        if (r[0] < 0) break;
        if (o.advice === MADV.MADV_POPULATE_READ && zeroRead(r)) return ZERO_READ;
        forget(r);
        if (o.advice === MADV.MADV_WIPEONFORK) setPages(r, (old) => ({ ...old, wipe: true }));
        break;
      }
      case 'munmap': {
        const r = range(o.addr, n(o.length), true);
        if (typeof r === 'string') return r;
        if (r[0] >= 0) forget(r);
        if (r[0] >= 0) setPages(r, (old) => ({ ...old, wr: false }));
        break;
      }
      case 'msync':
      case 'maps': {
        const r = range(o.addr, n(o.length), o.op === 'msync');
        if (typeof r === 'string') return r;
        break;
      }
      case 'eq':
      case 'read':
      case 'pread':
      case 'lseek':
      case 'fstat':
        break;
    }
    return undefined;
  }
}

/** Why the scenario may depend on the host, or undefined when it follows the rules. */
export function hostDependence(text: string): string | undefined {
  let lines;
  try {
    lines = parseScenario(text);
  } catch {
    return undefined; // a syntax error is the runners' business (a scenario error)
  }
  const rules = new HostRules();
  for (const { line, op } of lines) {
    const why = rules.apply(op);
    if (why !== undefined) return `line ${line}: ${why}`;
  }
  return undefined;
}
