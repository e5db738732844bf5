/**
 * A conservative check that a scenario does not depend on the host: the rules
 * the generator follows (tooling/conformance/scenarios/README.md), checked on
 * the text. The minimiser needs it: dropping a line can make a later line
 * host-dependent (drop the anonymous mmap that replaced a file mapping, and a
 * mincore now reads the host's page cache), and a scenario that differs only
 * because of the host is no tskern bug.
 *
 * Like the generator, it tracks which pages of R may hold which file or shm
 * objects (conservatively: mappings add, only a valid anonymous MAP_FIXED mmap
 * clears) and which regular files may have a size that is not a page multiple.
 */
import { MAP, MREMAP, O, PROT } from '@tskern/abi';
import { parseScenario, type Address, type Op } from '@tskern/scenario';

const PAGE = 4096;
/** Absolute addresses below this are NULL-ish: never mapped on either kernel. */
const LOW = 64 * 1024;

interface Obj {
  readonly kind: 'file' | 'shm';
  tainted: boolean;
}

interface Fd {
  readonly obj: Obj;
  readonly writable: boolean;
  readonly cloexec: boolean;
}

interface Proc {
  fds: Map<string, Fd>;
  pages: Map<number, Set<Obj>>;
}

const decoder = new TextDecoder();

/** Why the scenario may depend on the host, or undefined when it follows the rules. */
export function hostDependence(text: string): string | undefined {
  let lines;
  try {
    lines = parseScenario(text);
  } catch {
    return undefined; // a syntax error is the runners' business (a scenario error)
  }
  const procs = new Map<string, Proc>([['p1', { fds: new Map(), pages: new Map() }]]);
  const files = new Map<string, Obj>();
  const shms = new Map<string, Obj>();
  let rSize: number | undefined;

  for (const { line, op } of lines) {
    const why = (w: string): string => `line ${line}: ${w}`;
    const p = procs.get(op.proc);
    if (p === undefined) return undefined; // a scenario error

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
    const shmObj = (name: string): Obj => {
      const key = name.replace(/^\/+/, '');
      let o = shms.get(key);
      if (o === undefined) {
        o = { kind: 'shm', tainted: false };
        shms.set(key, o);
      }
      return o;
    };

    const o: Op = op;
    switch (o.op) {
      case 'fork':
        procs.set(o.child, { fds: new Map(p.fds), pages: new Map([...p.pages].map(([k, v]) => [k, new Set(v)])) });
        break;
      case 'exit':
        procs.delete(o.proc);
        break;
      case 'exec':
        p.pages = new Map();
        for (const [k, f] of [...p.fds]) if (f.cloexec) p.fds.delete(k);
        break;
      case 'open': {
        const path = decoder.decode(o.path);
        let obj: Obj;
        if (path.startsWith('/dev/shm/')) obj = shmObj(path.slice('/dev/shm/'.length));
        else {
          obj = files.get(path) ?? { kind: 'file', tainted: false };
          files.set(path, obj);
        }
        p.fds.set(o.fd, { obj, writable: (o.flags & 3) !== 0, cloexec: (o.flags & O.O_CLOEXEC) !== 0 });
        break;
      }
      case 'shm_open':
        p.fds.set(o.fd, { obj: shmObj(decoder.decode(o.name)), writable: (o.flags & 3) !== 0, cloexec: true });
        break;
      case 'unlink': {
        const path = decoder.decode(o.path);
        if (path.startsWith('/dev/shm/')) shms.delete(path.slice('/dev/shm/'.length).replace(/^\/+/, ''));
        else files.delete(path);
        break;
      }
      case 'shm_unlink':
        shms.delete(decoder.decode(o.name).replace(/^\/+/, ''));
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
        if (f?.writable) f.obj.tainted = o.length % PAGE !== 0;
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
          if (o.addr.base !== undefined || o.addr.offset !== 0 || o.fd.kind !== 'number') return why('the first mmap must reserve R with a NULL hint');
          rSize = Math.ceil(o.length / PAGE) * PAGE;
          break;
        }
        if ((o.flags & (MAP.MAP_FIXED | MAP.MAP_FIXED_NOREPLACE)) === 0) return why('mmap without MAP_FIXED: placement is the kernel\'s choice');
        if ((o.flags & (MAP.MAP_LOCKED | MAP.MAP_HUGETLB)) !== 0) return why('MAP_LOCKED/MAP_HUGETLB depend on host limits');
        const r = range(o.addr, o.length, true);
        if (typeof r === 'string') return why(r);
        if (r[0] < 0) break;
        const f = o.fd.kind === 'var' ? p.fds.get(o.fd.name) : undefined;
        if (f !== undefined) {
          if ((o.prot & PROT.PROT_EXEC) !== 0) return why('PROT_EXEC on a file or shm mapping (noexec mounts)');
          add(r, [f.obj]);
        } else if ((o.flags & MAP.MAP_ANONYMOUS) !== 0 && (o.flags & MAP.MAP_FIXED) !== 0 && o.length > 0 && o.addr.offset % PAGE === 0 && o.offset % PAGE === 0) {
          for (let i = r[0]; i < r[1]; i++) p.pages.delete(i);
        }
        break;
      }
      case 'mremap': {
        const src = range(o.addr, Math.max(o.oldLength, 1), true);
        if (typeof src === 'string') return why(src);
        if (src[0] < 0) break;
        const fixed = (o.flags & MREMAP.MREMAP_FIXED) !== 0;
        const maymove = (o.flags & MREMAP.MREMAP_MAYMOVE) !== 0;
        // Flags mremap rejects before doing anything (EINVAL): no effect.
        if ((o.flags & ~7) !== 0 || ((fixed || (o.flags & MREMAP.MREMAP_DONTUNMAP) !== 0) && !maymove)) break;
        // Shrinking in place only drops pages.
        if (!fixed && Math.ceil(o.newLength / PAGE) <= Math.ceil(o.oldLength / PAGE)) break;
        if (!fixed && (o.flags & MREMAP.MREMAP_MAYMOVE) !== 0 && Math.ceil(o.newLength / PAGE) > Math.ceil(o.oldLength / PAGE)) {
          return why('mremap may move without MREMAP_FIXED: placement is the kernel\'s choice');
        }
        const dstAddr = fixed && o.newAddr !== undefined ? o.newAddr : o.addr;
        const dst = range(dstAddr, o.newLength, true);
        if (typeof dst === 'string') return why(dst);
        if (dst[0] < 0) break;
        add(dst, objs(src));
        break;
      }
      case 'mprotect': {
        const r = range(o.addr, o.length, true);
        if (typeof r === 'string') return why(r);
        if ((o.prot & PROT.PROT_EXEC) !== 0 && r[0] >= 0 && has(r, () => true)) return why('PROT_EXEC over file or shm pages (noexec mounts)');
        break;
      }
      case 'mincore': {
        const r = range(o.addr, o.length, true);
        if (typeof r === 'string') return why(r);
        if (r[0] >= 0 && has(r, (x) => x.kind === 'file')) return why('mincore over regular-file pages (the host\'s page cache)');
        break;
      }
      case 'poke':
      case 'fill': {
        const len = o.op === 'poke' ? o.data.length : o.length;
        const r = range(o.addr, len);
        if (typeof r === 'string') return why(r);
        if (r[0] >= 0 && has(r, (x) => x.kind === 'file' && x.tainted)) return why('store into a page of a regular file whose size may not be a page multiple');
        break;
      }
      case 'munmap':
      case 'msync':
      case 'madvise':
      case 'peek':
      case 'sum':
      case 'maps': {
        const r = range(o.addr, o.length, o.op === 'munmap' || o.op === 'msync' || o.op === 'madvise');
        if (typeof r === 'string') return why(r);
        break;
      }
      case 'eq':
      case 'read':
      case 'pread':
      case 'lseek':
      case 'fstat':
        break;
    }
  }
  return undefined;
}
