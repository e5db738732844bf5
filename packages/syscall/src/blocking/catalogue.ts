import type { SyscallDef } from '../handler';
import { sysClockGetres, sysClockGettime, sysGettimeofday, sysSchedYield, sysTime } from '../time/clock';
import { sysClockNanosleep, sysNanosleep } from '../time/nanosleep';
import { sysGetrandom } from './getrandom';
import { sysPipe, sysPipe2 } from './pipe';
import { sysSendfile } from './sendfile';
import { sysWaitid } from './waitid';

/** The calls of time, sleeping, pipes (and sendfile, which may fill one), waitid and getrandom, with their C argument types. */
export const BLOCKING_SYSCALLS: readonly SyscallDef[] = [
  { name: 'pipe', handler: sysPipe, args: ['ptr'] },
  { name: 'pipe2', handler: sysPipe2, args: ['ptr', 'int'] },
  { name: 'sendfile', handler: sysSendfile, args: ['int', 'int', 'ptr', 'size'] },
  { name: 'nanosleep', handler: sysNanosleep, args: ['ptr', 'ptr'] },
  { name: 'clock_nanosleep', handler: sysClockNanosleep, args: ['int', 'int', 'ptr', 'ptr'] },
  { name: 'clock_gettime', handler: sysClockGettime, args: ['int', 'ptr'] },
  { name: 'clock_getres', handler: sysClockGetres, args: ['int', 'ptr'] },
  { name: 'gettimeofday', handler: sysGettimeofday, args: ['ptr', 'ptr'] },
  { name: 'time', handler: sysTime, args: ['ptr'] },
  { name: 'sched_yield', handler: sysSchedYield, args: [] },
  { name: 'getrandom', handler: sysGetrandom, args: ['ptr', 'size', 'uint'] },
  { name: 'waitid', handler: sysWaitid, args: ['int', 'int', 'ptr', 'int', 'ptr'] },
];
