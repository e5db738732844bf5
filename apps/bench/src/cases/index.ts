import type { CaseGroup } from '../context';
import { faults } from './faults';
import { files } from './files';
import { io } from './io';
import { memory } from './memory';
import { metadata } from './metadata';
import { programs } from './programs';
import { fork, scaling } from './scaling';
import { shm } from './shm';
import { teardown } from './teardown';

/** Every case group, in the order they run. */
export const GROUPS: readonly CaseGroup[] = [metadata, shm, io, fork, scaling, teardown, faults, files, memory, programs];
