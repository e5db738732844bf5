import { Errno, PAGE_SIZE } from '@tskern/abi';
import type { Cgroup } from './cgroup';
import type { CgroupHierarchy } from './cgroup-hierarchy';
import type { MemoryEvents } from './memory-counter';
import { formatMemoryLimit, parseMemoryLimit, parsePid } from './memparse';

/**
 * One interface file of a group (a struct cftype): its text and, when it
 * can be written, what a write does. `store` gets the whole write and
 * answers 0 or -errno.
 */
export interface InterfaceFile {
  readonly name: string;
  show(group: Cgroup, hierarchy: CgroupHierarchy): string;
  store?(group: Cgroup, hierarchy: CgroupHierarchy, text: string, writerPid: number | undefined): number;
  /** CFTYPE_NOT_ON_ROOT: absent from the root group. */
  readonly notOnRoot?: boolean;
  /** The controller the file belongs to: present only where that controller is enabled (never on the root). */
  readonly controller?: 'memory';
}

const list = (names: Iterable<string>): string => `${[...names].join(' ')}\n`;
const events = (e: MemoryEvents): string =>
  `low ${e.low}\nhigh ${e.high}\nmax ${e.max}\noom ${e.oom}\noom_kill ${e.oom_kill}\noom_group_kill ${e.oom_group_kill}\n`;

/** A limit file's store: page_counter_memparse, then `apply`. */
function limitStore(apply: (group: Cgroup, hierarchy: CgroupHierarchy, pages: number) => void) {
  return (group: Cgroup, hierarchy: CgroupHierarchy, text: string): number => {
    const pages = parseMemoryLimit(text);
    if (pages < 0) return pages;
    apply(group, hierarchy, pages);
    return 0;
  };
}

/** The core files (kernel/cgroup/cgroup.c's cgroup_base_files) tskern has. */
const CORE: readonly InterfaceFile[] = [
  {
    name: 'cgroup.controllers',
    show: (g) => list(g.controllers()),
  },
  {
    name: 'cgroup.events',
    notOnRoot: true,
    // The freezer is not there: a group is never frozen.
    show: (g) => `populated ${g.populated() ? 1 : 0}\nfrozen 0\n`,
  },
  {
    name: 'cgroup.procs',
    show: (g, h) => h.procs(g).map((pid) => `${pid}\n`).join(''),
    store: (g, h, text, writer) => {
      const pid = parsePid(text);
      return pid < 0 ? pid : h.moveProcess(g, pid, writer);
    },
  },
  {
    name: 'cgroup.subtree_control',
    show: (g) => list(g.subtreeControl),
    store: (g, h, text) => h.writeSubtreeControl(g, text),
  },
  {
    name: 'cgroup.type',
    notOnRoot: true,
    // Every group is a domain group: threaded subtrees are not there.
    show: () => 'domain\n',
  },
];

/** The memory controller's files (mm/memcontrol.c's memory_files) tskern has. */
const MEMORY: readonly InterfaceFile[] = [
  { name: 'memory.current', controller: 'memory', show: (g) => `${g.memory.usage * PAGE_SIZE}\n` },
  { name: 'memory.events', controller: 'memory', show: (g) => events(g.memory.events) },
  { name: 'memory.events.local', controller: 'memory', show: (g) => events(g.memory.localEvents) },
  {
    name: 'memory.high',
    controller: 'memory',
    show: (g) => formatMemoryLimit(g.memory.high),
    store: limitStore((g, h, pages) => h.setHigh(g, pages)),
  },
  {
    name: 'memory.max',
    controller: 'memory',
    show: (g) => formatMemoryLimit(g.memory.max),
    store: limitStore((g, h, pages) => h.setMax(g, pages)),
  },
  {
    name: 'memory.stat',
    controller: 'memory',
    // memory_stat_format's first lines: the bytes of anonymous and of file (and shmem) memory charged.
    show: (g) => `anon ${g.memory.anon * PAGE_SIZE}\nfile ${g.memory.file * PAGE_SIZE}\n`,
  },
  // There is no swap: nothing is swapped out, so the usage is 0 and any limit holds.
  { name: 'memory.swap.current', controller: 'memory', show: () => '0\n' },
  {
    name: 'memory.swap.max',
    controller: 'memory',
    show: (g) => formatMemoryLimit(g.memory.swapMax),
    store: limitStore((g, _h, pages) => {
      g.memory.swapMax = pages;
    }),
  },
];

/** Every interface file, in name order (kernfs lists them sorted for `ls`). */
const ALL = [...CORE, ...MEMORY].sort((a, b) => (a.name < b.name ? -1 : 1));

/** The interface files `group` has now: the root has no CFTYPE_NOT_ON_ROOT files and no controller files. */
export function interfaceFiles(group: Cgroup): InterfaceFile[] {
  const controllers = group.controllers();
  return ALL.filter((f) => {
    if (group.isRoot) return f.notOnRoot !== true && f.controller === undefined;
    return f.controller === undefined || controllers.includes(f.controller);
  });
}

/** The file `name` of `group`, or -ENOENT. */
export function interfaceFile(group: Cgroup, name: string): InterfaceFile | number {
  return interfaceFiles(group).find((f) => f.name === name) ?? -Errno.ENOENT;
}
