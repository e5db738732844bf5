import type { SyscallDef } from '../handler';
import { sysPrctl } from './prctl';
import { sysRiscvHwprobe } from './riscv-hwprobe';
import { sysGetrusage } from './rusage';
import {
  sysGetcpu, sysSchedGetaffinity, sysSchedGetparam, sysSchedGetPriorityMax, sysSchedGetPriorityMin, sysSchedGetscheduler, sysSchedSetaffinity,
} from './scheduler';
import { sysSysinfo } from './sysinfo';
import { sysTimes } from './times';
import { sysSetdomainname, sysSethostname, sysUname } from './uname';

/** The start-up and accounting calls (kernel/sys.c, kernel/sched/core.c), with their C argument types. */
export const SYSTEM_SYSCALLS: readonly SyscallDef[] = [
  { name: 'uname', handler: sysUname, args: ['ptr'] },
  { name: 'sethostname', handler: sysSethostname, args: ['ptr', 'int'] },
  { name: 'setdomainname', handler: sysSetdomainname, args: ['ptr', 'int'] },
  { name: 'sysinfo', handler: sysSysinfo, args: ['ptr'] },
  { name: 'getrusage', handler: sysGetrusage, args: ['int', 'ptr'] },
  { name: 'times', handler: sysTimes, args: ['ptr'] },
  { name: 'sched_getaffinity', handler: sysSchedGetaffinity, args: ['int', 'uint', 'ptr'] },
  { name: 'sched_setaffinity', handler: sysSchedSetaffinity, args: ['int', 'uint', 'ptr'] },
  { name: 'sched_getscheduler', handler: sysSchedGetscheduler, args: ['int'] },
  { name: 'sched_getparam', handler: sysSchedGetparam, args: ['int', 'ptr'] },
  { name: 'sched_get_priority_max', handler: sysSchedGetPriorityMax, args: ['int'] },
  { name: 'sched_get_priority_min', handler: sysSchedGetPriorityMin, args: ['int'] },
  { name: 'getcpu', handler: sysGetcpu, args: ['ptr', 'ptr', 'ptr'] },
  { name: 'prctl', handler: sysPrctl, args: ['int', 'ulong', 'ulong', 'ulong', 'ulong'] },
  // riscv64 only: the other tables have no number for it.
  { name: 'riscv_hwprobe', handler: sysRiscvHwprobe, args: ['ptr', 'size', 'size', 'ptr', 'uint'] },
];
