import { ok } from '@tskern/test-kit';
import { describeMappableContract, type MappableHarness } from '@tskern/test-kit/mappable-contract';
import { standaloneSharedAnonymous } from './index';

/** mman's own shared anonymous object (used when no shmfs is wired in). */
const standalone: MappableHarness = {
  punchHole: 'frees',
  create(frames, size) {
    const src = ok(standaloneSharedAnonymous(frames)(size));
    // The factory's reference is the caller's; dropping it frees the object.
    return { mappable: src.mappable!, identity: src.identity, dispose: () => src.identity!.decRef() };
  },
};

describeMappableContract('mman standalone shared anonymous object', standalone);
