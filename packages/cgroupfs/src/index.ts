/**
 * @tskern/cgroupfs — the cgroup v2 file system (`cgroup2`) and its memory
 * controller: the kernel's one hierarchy of control groups, the processes
 * in each, and the memory each is charged for (memory.current, memory.max,
 * reclaim of MAP_DROPPABLE memory, the OOM killer). The composition root
 * registers the type and wires the hierarchy to the fault path (as a
 * MemoryCharger) and to the frame allocator (ChargedFrameAllocator).
 * kernel/cgroup/cgroup.c and mm/memcontrol.c are the reference.
 */
export { CgroupFs, type CgroupFsOptions } from './cgroup-fs';
export { CgroupHierarchy } from './cgroup-hierarchy';
export { Cgroup, CONTROLLERS, type ControllerName } from './cgroup';
export type { CgroupHost, OomFigures } from './cgroup-host';
export { MemoryCounter, NO_LIMIT, type MemoryEvents } from './memory-counter';
export { cgroup2Type } from './cgroup2-type';
export { ChargedFrameAllocator, type FrameCharges } from './charged-frames';
export { parseMemoryLimit, formatMemoryLimit } from './memparse';
