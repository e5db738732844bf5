import { O } from '@tskern/abi';
import { FileMappingRegistry } from '@tskern/file-mapping';
import { RamFs } from '@tskern/ramfs';
import { ok } from '@tskern/test-kit';
import { describeMappableContract, fileSubject, type MappableHarness } from '@tskern/test-kit/mappable-contract';
import { Credentials, Vfs, type FsTask } from '@tskern/vfs';
import { createSharedAnonymousFactory, createShmFs, mountShm } from './index';

/** A POSIX shm segment: shm_open(O_CREAT|O_RDWR) + ftruncate under /dev/shm. */
const segment: MappableHarness = {
  punchHole: 'frees',
  create(frames, size) {
    const vfs = new Vfs(new RamFs({ frames }), { mappingIdentities: new FileMappingRegistry() });
    if (mountShm(vfs, createShmFs({ frames })) !== 0) throw new Error('mount');
    const task: FsTask = { fs: vfs.newFsContext(), cred: new Credentials(1000, 1000) };
    const f = ok(vfs.open(task, '/dev/shm/seg', O.O_RDWR | O.O_CREAT | O.O_NOFOLLOW | O.O_CLOEXEC, 0o600));
    if (f.truncate(size, task.cred) !== 0) throw new Error('ftruncate');
    const src = ok(f.mmapSource());
    return fileSubject(f, { mappable: src.mappable!, identity: src.identity }, (n) => f.truncate(n, task.cred), () => {
      f.decRef();
      if (vfs.unlink(task, '/dev/shm/seg') !== 0) throw new Error('shm_unlink');
    });
  },
};

/** Shared anonymous memory as the default kernel makes it: an unlinked shmfs file. */
const sharedAnonymous: MappableHarness = {
  punchHole: 'frees',
  create(frames, size) {
    const src = ok(createSharedAnonymousFactory({ frames })(size));
    // The factory's reference is the caller's; dropping it frees the object.
    return { mappable: src.mappable!, identity: src.identity, dispose: () => src.identity!.decRef() };
  },
};

describeMappableContract('shmfs segment', segment);
describeMappableContract('shmfs shared anonymous object', sharedAnonymous);
