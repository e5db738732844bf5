import { Errno, O, SHM_DIR, Signal, type FaultResult } from '@tskern/abi';
import { FileMappingRegistry } from '@tskern/file-mapping';
import { load, store, fill, formatMaps, memoryReport, pagemapSource, physicalPageSource, lockedBytes, residentBytes, memoryOptions, type AddressSpace, type MemoryOptions } from '@tskern/mman';
import { ArenaFrameAllocator, type FrameAllocator } from '@tskern/pagealloc';
import { ProcFs, mountProc, formatMounts, formatMountinfo, type ProcessDirectory, type SystemFigures } from '@tskern/procfs';
import { EXT4_KERNEL_FEATURES, extFileSystemTypes } from '@tskern/extfs';
import { RamFs, ramfsType } from '@tskern/ramfs';
import { KsmSettings, mountSys, SysFs, SYSFS_NR_CPUS } from '@tskern/sysfs';
import { createSharedAnonymousFactory, createShmFs, mountShm, SysvShmNamespace, tmpfsType } from '@tskern/shmfs';
import {
  coreDumpSettingsOf, DEFAULT_CPUS, DUMP_FILTER_MASK, provideIpcNamespace, provideSystemConfig, riscv64Personality, signalFutexHooks, SyscallDispatcher, x86_64Personality, type KernelHost, type Personality, type Program,
  type RawArg, type SpawnOptions, type SyscallDef, type SyscallReturn, type SystemConfig,
} from '@tskern/syscall';
import { kernelSysctls } from './kernel-sysctls';
import { cgroup2Type, CgroupFs, ChargedFrameAllocator } from '@tskern/cgroupfs';
import { cgroupHost } from './cgroup-setup';
import { CryptoRandomSource, formatPartitions, type CharDevice, type RandomSource } from '@tskern/devices';
import type { KernelClock } from '@tskern/sched';
import { SignalActions } from '@tskern/signal';
import { TaskTable, type Task } from '@tskern/tasks';
import { Credentials, FileSystemTypes, MNT, Vfs, type FileSystem, type OpenFileDescription } from '@tskern/vfs';
import { kernelConfigOf, type KernelConfig } from './kernel-config';
import { mountTable, mountinfoTable } from './mount-table';
import { kernelClock, mountDevices, wireBlocking, type KernelClockOption } from './blocking-setup';
import { startBlockDevices } from './block-setup';
import type { LoopDriver } from '@tskern/loop';
import { mountDiskImage, type DiskImageOptions } from './disk-image';
import type { TaskRuntime } from './runtime';
import { ElfBinaryFormat } from './exec/elf-binary-format';

/** How to assemble a kernel; every part has a default. */
export interface KernelOptions {
  /** The frame allocator every address space and page cache uses (default: a 1 GiB lazily-touched arena). */
  readonly frames?: FrameAllocator;
  /** The root file system (default: a ramfs). */
  readonly rootFs?: (frames: FrameAllocator) => FileSystem;
  /** vm.max_map_count (default 65530). */
  readonly maxMapCount?: number;
  /** vm.mmap_min_addr (default 4096). */
  readonly mmapMinAddr?: number;
  /** RLIMIT_NOFILE of every process (default 1024). */
  readonly fdLimit?: number;
  /**
   * More file systems to mount at start, in order (directories on the way
   * are made as root): `{ path: '/mnt/host', fs: (frames) => createHostFs(...) }`.
   */
  readonly mounts?: readonly KernelMount[];
  /**
   * The kernel's clock: `'host'` (default), `'virtual'` (starts at boot and
   * moves only when every task sleeps or a test advances it: deterministic
   * runs), or a clock of your own.
   */
  readonly clock?: KernelClockOption;
  /** Where /dev/urandom, /dev/random and getrandom(2) read (default: the host CSPRNG). */
  readonly random?: RandomSource;
  /** The release uname(2) reports (default `DEFAULT_RELEASE` of @tskern/syscall, "6.18.0-tskern"). */
  readonly release?: string;
  /** The host name uname(2) reports until sethostname changes it (default "(none)", as a kernel before init names it). */
  readonly hostname?: string;
  /**
   * How many CPUs the kernel claims (nr_cpu_ids, 1 to 64; default 1):
   * sched_getaffinity's mask, getcpu and sysinfo follow it. Tasks still run
   * one at a time.
   */
  readonly cpus?: number;
  /** More character devices in /dev (the host's terminal streams of `tskern exec`). */
  readonly devices?: readonly CharDevice[];
}

/** A file system to mount when the kernel starts. */
export interface KernelMount {
  readonly path: string;
  /** The file system, or a maker that gets the kernel's frame allocator. */
  readonly fs: FileSystem | ((frames: FrameAllocator) => FileSystem);
  /** What /proc/mounts shows as the source (default: the fs type). */
  readonly source?: string;
  /** MS_NOEXEC: execve of a file on it is EACCES. */
  readonly noexec?: boolean;
}

/**
 * The default tskern kernel: a frame allocator, a VFS with a ramfs root and
 * shmfs on /dev/shm, address spaces whose shared anonymous memory lives on an
 * internal shm mount, processes and the syscall layer, wired together.
 * Implements `KernelHost`, the interface a runtime drives.
 */
export class Kernel implements KernelHost {
  readonly frames: FrameAllocator;
  readonly memory: MemoryOptions;
  readonly vfs: Vfs;
  readonly tasks: TaskTable;
  readonly syscalls: SyscallDispatcher;
  /** How many CPUs the kernel claims (`options.cpus`). */
  readonly cpus: number;
  /** The kernel's clock (`options.clock`). */
  readonly clock: KernelClock;
  /** KSM's tunables (/sys/kernel/mm/ksm): ksmd stopped until someone writes 1 to `run`; tskern never merges. */
  readonly ksm = new KsmSettings();
  /** uname's strings and the CPU count (provideSystemConfig). */
  private readonly system: SystemConfig;
  /** The IPC namespace (tskern has one): System V shared memory segments. */
  private readonly ipc: SysvShmNamespace;
  /** The runtime interface: which task runs next, calls that sleep and complete later, deadlock reports. */
  readonly runtime: TaskRuntime;
  /** The architectures tasks may run as, by name (`x86_64`, the default, and `riscv64`). */
  readonly personalities: ReadonlyMap<string, Personality>;
  /** File systems mounted noexec (MNT_NOEXEC): execve refuses their files. */
  private readonly noexec = new Set<FileSystem>();
  /** The cgroup v2 hierarchy (one per kernel), file-system type cgroup2, mounted on /sys/fs/cgroup. */
  readonly cgroups: CgroupFs;
  /** The loop block driver: /dev/loop0..7, /dev/loop-control (block devices live in `vfs.blockDevices`). */
  readonly loop: LoopDriver;
  /** The text of /proc/devices. */
  private readonly deviceMajors: () => string;

  constructor(options: KernelOptions = {}) {
    // The memory controller charges frames at fault and uncharges them when
    // the allocator frees them, whoever frees them (mem_cgroup_uncharge).
    this.cgroups = new CgroupFs({ host: cgroupHost(() => this.tasks) });
    const frames = new ChargedFrameAllocator(options.frames ?? new ArenaFrameAllocator({ bytes: 1024 * 1024 * 1024 }), this.cgroups.hierarchy);
    this.frames = frames;
    const rootFs = options.rootFs?.(frames) ?? new RamFs({ frames });
    // The types mount(2) can make (register_filesystem), in Linux's order.
    const types = new FileSystemTypes();
    types.register(tmpfsType(frames));
    types.register(cgroup2Type(this.cgroups));
    types.register(ramfsType(frames));
    for (const ext of extFileSystemTypes(frames)) types.register(ext); // ext3, ext2, ext4 (ext4_init_fs's order)
    this.vfs = new Vfs(rootFs, { mappingIdentities: new FileMappingRegistry(), fileSystemTypes: types });
    const devMounted = mountDevices(this.vfs, frames, options.random, options.devices);
    if (typeof devMounted === 'number') throw new Error(`tskern: cannot mount /dev (${devMounted})`);
    this.label('/dev', 'udev', MNT.NOSUID | MNT.RELATIME);
    const shm = createShmFs({ frames });
    const mounted = mountShm(this.vfs, shm);
    if (mounted < 0) throw new Error(`tskern: cannot mount ${SHM_DIR} (${mounted})`);
    this.label(SHM_DIR, 'tmpfs', MNT.NOSUID | MNT.NODEV | MNT.RELATIME);
    const proc = new ProcFs({
      processes: this.processDirectory(), system: this.systemFigures(), sysctls: kernelSysctls({
        coreDump: () => coreDumpSettingsOf(this.tasks), memory: () => this.memory.tunables, system: () => this.system, ipc: () => this.ipc, tasks: () => this.tasks,
      }),
      // /proc/kpageflags and kpagecount: the frames, and every live address space that may map them.
      physicalPages: physicalPageSource(
        frames,
        () => {
          const spaces = new Set<AddressSpace>();
          for (const t of this.tasks.tasks()) if (t.alive) spaces.add(t.mm);
          return spaces;
        },
        (frame) => this.cgroups.hierarchy.chargedGroupIno(frame),
      ),
    });
    const procMounted = mountProc(this.vfs, proc);
    if (procMounted < 0) throw new Error(`tskern: cannot mount /proc (${procMounted})`);
    this.label('/proc', 'proc', MNT.NOSUID | MNT.NODEV | MNT.NOEXEC | MNT.RELATIME);
    // sysfs beside /proc (as distributions mount it): KSM's tunables (tskern
    // accepts MADV_MERGEABLE, CONFIG_KSM), THP's policy and the CPU masks.
    const sys = new SysFs({ cpus: options.cpus ?? DEFAULT_CPUS, ksm: this.ksm, transparentHugepage: true });
    sys.addMountPoint('fs/cgroup');
    // ext4 built in: ext4_init_sysfs's /sys/fs/ext4/features (mke2fs reads lazy_itable_init there).
    sys.addAttributes('fs/ext4/features', EXT4_KERNEL_FEATURES.map((name) => ({ name, show: () => 'supported\n' })));
    const sysMounted = mountSys(this.vfs, sys);
    if (sysMounted < 0) throw new Error(`tskern: cannot mount /sys (${sysMounted})`);
    this.label('/sys', 'sysfs', MNT.NOSUID | MNT.NODEV | MNT.NOEXEC | MNT.RELATIME);
    const block = startBlockDevices(this.vfs, devMounted, sys);
    this.loop = block.loop;
    this.deviceMajors = block.deviceMajors;
    // The unified hierarchy where systemd mounts it (cgroup_init's sysfs_create_mount_point).
    const cgMounted = this.vfs.mountCreating('/sys/fs/cgroup', this.cgroups);
    if (cgMounted < 0) throw new Error(`tskern: cannot mount /sys/fs/cgroup (${cgMounted})`);
    this.label('/sys/fs/cgroup', 'cgroup2', MNT.NOSUID | MNT.NODEV | MNT.NOEXEC | MNT.RELATIME);
    for (const m of options.mounts ?? []) {
      const r = this.mount(m.path, typeof m.fs === 'function' ? m.fs(frames) : m.fs, m.source, m.noexec === true);
      if (r < 0) throw new Error(`tskern: cannot mount ${m.path} (${r})`);
    }
    this.memory = memoryOptions(frames, createSharedAnonymousFactory({ frames }), {
      charger: this.cgroups.hierarchy,
      ...(options.maxMapCount !== undefined ? { maxMapCount: options.maxMapCount } : {}),
      ...(options.mmapMinAddr !== undefined ? { mmapMinAddr: options.mmapMinAddr } : {}),
    });
    this.tasks = new TaskTable({
      memory: this.memory,
      vfs: this.vfs,
      ...(options.fdLimit !== undefined ? { fdLimit: options.fdLimit } : {}),
      newSignalActions: () => new SignalActions(),
      hooks: {
        ...signalFutexHooks,
        // cgroup_post_fork and cgroup_exit: the hierarchy follows processes.
        processForked: (child, parent) => this.cgroups.hierarchy.processStarted(child.tgid, parent.tgid),
        groupExited: (group) => {
          this.cgroups.hierarchy.processExited(group.tgid);
          return signalFutexHooks.groupExited?.(group) ?? false;
        },
      },
      binaryFormat: new ElfBinaryFormat({
        vfs: this.vfs,
        memory: this.memory,
        random: options.random ?? new CryptoRandomSource(),
        noexec: (fs) => this.noexec.has(fs),
      }),
    });
    const personalities = [x86_64Personality(), riscv64Personality()];
    this.personalities = new Map(personalities.map((p) => [p.abi.name, p]));
    this.syscalls = new SyscallDispatcher(this.tasks, personalities);
    this.system = provideSystemConfig(this.tasks, {
      ...(options.release !== undefined ? { release: options.release } : {}),
      ...(options.hostname !== undefined ? { hostname: options.hostname } : {}),
      ...(options.cpus !== undefined ? { cpus: options.cpus } : {}),
    });
    this.cpus = options.cpus ?? 1;
    // pid_max_init: at least PIDS_PER_CPU_DEFAULT (1024) ids per CPU, so 32768 up to 32 CPUs.
    this.tasks.pids.pidMax = Math.max(this.tasks.pids.pidMax, 1024 * this.cpus);
    this.clock = kernelClock(options.clock);
    // One IPC namespace per kernel (init_ipc_ns); its segments' times come from the kernel clock.
    const clock = this.clock;
    this.ipc = provideIpcNamespace(this.tasks, new SysvShmNamespace({ frames, nowSeconds: () => Number(clock.realtimeNs() / 1_000_000_000n) }));
    this.runtime = wireBlocking(this.tasks, this.syscalls, this.clock, options.random);
  }

  /**
   * Mount `fs` at `path`, making the directories on the way as root (mode
   * 0755); `noexec` refuses execve of its files. Returns 0 or -errno.
   */
  mount(path: string, fs: FileSystem, source: string = fs.type, noexec = false): number {
    const r = this.vfs.mountCreating(path, fs);
    if (r !== 0) return r;
    this.label(path, source, noexec ? MNT.NOEXEC : 0);
    if (noexec) this.noexec.add(fs);
    return 0;
  }

  /** Name the mount at `path` and set its flags (what /proc/mounts shows of a mount made at boot). */
  private label(path: string, source: string, flags: number): void {
    const p = this.vfs.lookup(this.vfs.kernelTask(), path, true);
    if (typeof p === 'number') return;
    p.mount.source = source;
    p.mount.flags = flags;
  }

  /**
   * The build configuration of this kernel as `arch` (default riscv64, what
   * `tskern exec` runs), derived from what is wired now: the syscalls of
   * that architecture's table included (kernel-config.ts).
   */
  config(arch = 'riscv64'): KernelConfig {
    const abi = this.personalities.get(arch)?.abi;
    const table = abi === undefined ? undefined : this.syscalls.table(abi);
    if (table === undefined) throw new RangeError(`tskern: no architecture ${arch}`);
    return kernelConfigOf({
      machine: arch,
      release: this.system.release,
      syscalls: new Set(table.numbers().map((nr) => table.name(nr))),
      nrCpus: SYSFS_NR_CPUS,
      defaultHostname: '(none)',
    });
  }

  /**
   * What a system does before it powers off: sync(2) every file system,
   * twice, so that a stacked one (an image on a loop device over a file of
   * another file system) reaches its backing file in the first pass and the
   * backing file system's store in the second. `tskern exec` calls it when
   * the program has ended; without it an image's dirty pages would be lost.
   * Returns 0, or the first -errno a file system's sync gave.
   */
  syncAll(): number {
    const first = this.vfs.syncAll();
    const second = this.vfs.syncAll();
    return first < 0 ? first : second;
  }

  /**
   * `mount -o loop`: a disk image (an open file, here typically on a hostfs
   * mount) on a free loop device, mounted at `path`; see `mountDiskImage`.
   * Returns the loop index or -errno.
   */
  mountImage(image: OpenFileDescription, path: string, options: DiskImageOptions): number {
    return mountDiskImage(this.vfs, this.loop, image, path, options);
  }

  /**
   * Put the configuration of `arch` where Debian installs it,
   * /boot/config-RELEASE (root's, mode 0444), for programs that look for it
   * there (LTP's tst_kconfig; there is no /proc/config.gz, CONFIG_IKCONFIG
   * being off). Returns 0 or -errno (EEXIST when it is there already).
   */
  installBootConfig(arch = 'riscv64'): number {
    const text = new TextEncoder().encode(this.config(arch).text());
    const root = this.vfs.kernelTask();
    const made = this.vfs.mkdir(root, '/boot', 0o755);
    if (made < 0 && made !== -Errno.EEXIST) return made;
    const f = this.vfs.open(root, `/boot/config-${this.system.release}`, O.O_WRONLY | O.O_CREAT | O.O_EXCL, 0o444);
    if (typeof f === 'number') return f;
    const n = f.write(text, 0, text.length);
    f.decRef();
    return n < 0 ? n : 0;
  }

  /**
   * What /proc/meminfo and /proc/uptime show: the frame allocator's total
   * and free frames, the locked bytes of every address space (Mlocked), and
   * the kernel clock. Shmem is left 0: shm and shared anonymous pages are
   * not told apart from other allocated frames.
   */
  private systemFigures(): SystemFigures {
    return {
      memory: () => {
        const stats = this.frames.stats();
        const page = this.frames.pageSize;
        const spaces = new Set<AddressSpace>();
        for (const t of this.tasks.tasks()) if (t.alive) spaces.add(t.mm);
        let mlocked = 0;
        for (const mm of spaces) mlocked += lockedBytes(mm);
        return { totalBytes: stats.totalFrames * page, freeBytes: stats.freeFrames * page, mlockedBytes: mlocked };
      },
      uptimeNs: () => this.clock.monotonicNs(),
      sysvShm: () =>
        this.ipc.segments().map((s) => ({
          key: s.key, shmid: s.id, perms: s.mode, size: s.size, cpid: s.cpid, lpid: s.lpid, nattch: s.nattch,
          uid: s.uid, gid: s.gid, cuid: s.cuid, cgid: s.cgid, atime: s.atime, dtime: s.dtime, ctime: s.ctime,
          rssBytes: s.residentPages() * this.frames.pageSize,
        })),
      filesystems: () => this.vfs.fileSystemTypes.format(),
      partitions: () => formatPartitions(this.vfs.blockDevices.list()),
      devices: () => this.deviceMajors(),
      // /proc/stat: the CPUs the kernel claims, btime = now - uptime; every
      // live task counts as runnable (none waits in uninterruptible sleep).
      stat: () => {
        let running = 0;
        for (const t of this.tasks.tasks()) if (t.alive) running++;
        const bootNs = Number(this.clock.realtimeNs()) - this.clock.monotonicNs();
        return { cpus: this.cpus, idleNs: 0, bootTimeSec: bootNs / 1e9, forks: this.tasks.created, running, blocked: 0 };
      },
    };
  }

  /** What procfs knows of processes: the task table, seen through this interface. */
  private processDirectory(): ProcessDirectory {
    const live = (pid: number) => this.liveThread(pid);
    return {
      pids: () => [...this.tasks.groups()].filter((g) => g.alive).map((g) => g.tgid).sort((a, b) => a - b),
      maps: (pid) => {
        const t = live(pid);
        return t === undefined ? undefined : formatMaps(t.mm);
      },
      smaps: (pid) => {
        const t = live(pid);
        return t === undefined ? undefined : memoryReport(t.mm);
      },
      pagemap: (pid) => {
        const t = live(pid);
        return t === undefined ? undefined : pagemapSource(t.mm);
      },
      oom: (pid) => {
        const t = live(pid);
        if (t === undefined) return undefined;
        const g = t.group;
        // totalram_pages + total_swap_pages: every frame, no swap; pid 1 is init (is_global_init).
        return {
          scoreAdj: g.oomScoreAdj, scoreAdjMin: g.oomScoreAdjMin, residentPages: residentBytes(t.mm) / this.frames.pageSize,
          totalPages: this.frames.stats().totalFrames, unkillable: g.tgid === 1,
        };
      },
      setOomScoreAdj: (pid, scoreAdj, scoreAdjMin) => {
        const t = live(pid);
        if (t === undefined) return -Errno.ESRCH;
        t.group.oomScoreAdj = scoreAdj;
        t.group.oomScoreAdjMin = scoreAdjMin;
        return 0;
      },
      owner: (pid) => {
        const t = live(pid);
        return t === undefined ? undefined : { uid: t.cred.euid, gid: t.cred.egid };
      },
      status: (pid) => {
        const t = live(pid);
        if (t === undefined) return undefined;
        return {
          name: t.comm, tgid: t.group.tgid, ppid: t.group.ppid, state: 'running', umask: t.fs.umask, ...t.cred.ids(),
          lockedBytes: lockedBytes(t.mm), caps: t.cred.caps,
        };
      },
      threads: (pid) => {
        const g = this.tasks.group(pid);
        if (g === undefined || !g.alive) return undefined;
        return [...g.tasks].filter((t) => t.alive).map((t) => t.tid).sort((a, b) => a - b);
      },
      mounts: (pid) => (live(pid) === undefined ? undefined : formatMounts(mountTable(this.vfs))),
      mountinfo: (pid) => (live(pid) === undefined ? undefined : formatMountinfo(mountinfoTable(this.vfs))),
      setComm: (pid, callerPid, name) => {
        const t = live(pid);
        if (t === undefined) return -Errno.ESRCH;
        // comm_write: only a thread of the same process may rename it.
        if (callerPid === undefined || this.tasks.get(callerPid)?.group !== t.group) return -Errno.EINVAL;
        t.comm = name;
        return 0;
      },
      cmdline: (pid) => live(pid)?.group.argv,
      exe: (pid) => {
        const g = live(pid)?.group;
        return g === undefined ? undefined : (g.exePath ?? g.program);
      },
      incarnation: (pid) => live(pid)?.group,
      coredumpFilter: (pid) => live(pid)?.group.coredumpFilter,
      setCoredumpFilter: (pid, value) => {
        const g = live(pid)?.group;
        if (g === undefined) return -Errno.ESRCH;
        g.coredumpFilter = value & DUMP_FILTER_MASK; // MMF_DUMP_FILTER_BITS
        return 0;
      },
      cgroup: (pid) => {
        const g = live(pid)?.group;
        return g === undefined ? undefined : this.cgroups.hierarchy.groupOf(g.tgid).path();
      },
    };
  }

  /**
   * A live thread of process `pid` (its leader while that runs), for what
   * /proc/<pid> shows; a thread's own tid names that thread
   * (/proc/<pid>/task/<tid>, and /proc/<tid> looked up by name, as on Linux).
   */
  private liveThread(pid: number): Task | undefined {
    const thread = this.tasks.get(pid);
    if (thread !== undefined && thread.alive && !thread.isLeader) return thread;
    const group = this.tasks.group(pid);
    if (group === undefined || !group.alive) return undefined;
    return group.leader.alive ? group.leader : group.tasks.values().next().value;
  }

  spawn(program: string, options: SpawnOptions = {}): number {
    const personality = this.personalities.get(options.arch ?? 'x86_64');
    if (personality === undefined) return -Errno.EINVAL;
    const task = this.tasks.spawn(program, {
      cred: new Credentials(options.uid ?? 0, options.gid ?? 0, options.groups ?? []).withCaps(options.caps ?? {}),
      abi: personality.abi,
      cwd: options.cwd ?? '/',
      umask: options.umask ?? 0o022,
      ...(options.argv !== undefined ? { argv: options.argv } : {}),
    });
    return typeof task === 'number' ? task : task.tid;
  }

  /**
   * The syscall as KernelHost promises it: a call that would block answers
   * -EAGAIN (its wait is cancelled; the runtime retries later), as tskern
   * always answered before calls could block. `callOrBlock` gives the Block.
   */
  syscall(pid: number, nr: number, a0: RawArg = 0, a1: RawArg = 0, a2: RawArg = 0, a3: RawArg = 0, a4: RawArg = 0, a5: RawArg = 0): number {
    const r = this.syscallExact(pid, nr, a0, a1, a2, a3, a4, a5);
    return typeof r === 'number' ? r : Number(r);
  }

  /** As `syscall`, with an lseek(2) result past 2^53 exact (a bigint). */
  syscallExact(pid: number, nr: number, a0: RawArg = 0, a1: RawArg = 0, a2: RawArg = 0, a3: RawArg = 0, a4: RawArg = 0, a5: RawArg = 0): number | bigint {
    const r = this.syscalls.call(pid, nr, a0, a1, a2, a3, a4, a5);
    if (typeof r !== 'object') return r;
    // A call already due (sched_yield, a zero sleep) completes now.
    if (r.deadline !== undefined && r.deadline <= this.clock.monotonicNs()) {
      const again = r.retry();
      if (typeof again !== 'object') return again;
      again.cancel();
      return -Errno.EAGAIN;
    }
    r.cancel();
    return -Errno.EAGAIN;
  }

  /** The syscall with its full answer: the result, or the Block of a call that must wait (for a scheduler). */
  callOrBlock(tid: number, nr: number, a0: RawArg = 0, a1: RawArg = 0, a2: RawArg = 0, a3: RawArg = 0, a4: RawArg = 0, a5: RawArg = 0): SyscallReturn {
    return this.syscalls.call(tid, nr, a0, a1, a2, a3, a4, a5);
  }

  /** Add or replace a syscall of one architecture (default x86-64). */
  registerSyscall(nr: number, def: SyscallDef, arch = 'x86_64'): void {
    const p = this.personalities.get(arch);
    if (p !== undefined) this.syscalls.register(p.abi, nr, def);
  }

  load(pid: number, addr: number, dst: Uint8Array): FaultResult {
    const proc = this.live(pid);
    return proc === undefined ? Signal.SIGSEGV : load(proc.mm, addr, dst, 0, dst.length);
  }

  store(pid: number, addr: number, src: Uint8Array): FaultResult {
    const proc = this.live(pid);
    return proc === undefined ? Signal.SIGSEGV : store(proc.mm, addr, src, 0, src.length);
  }

  fill(pid: number, addr: number, length: number, byte: number): FaultResult {
    const proc = this.live(pid);
    return proc === undefined ? Signal.SIGSEGV : fill(proc.mm, addr, length, byte & 0xff);
  }

  stack(pid: number): { start: number; end: number } {
    const proc = this.live(pid);
    return proc === undefined ? { start: 0, end: 0 } : { ...proc.stack };
  }

  registerProgram(path: string, program: Program): void {
    this.tasks.registerProgram(path, program);
  }

  isAlive(pid: number): boolean {
    return this.live(pid) !== undefined;
  }

  /** Frames in use (a test checks it returns to zero once every process has exited). */
  framesInUse(): number {
    return this.frames.stats().usedFrames;
  }

  private live(tid: number): Task | undefined {
    const task = this.tasks.get(tid);
    return task !== undefined && task.alive ? task : undefined;
  }
}

/** Assemble the default kernel. */
export function createKernel(options: KernelOptions = {}): Kernel {
  return new Kernel(options);
}

