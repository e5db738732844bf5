import { O } from '@tskern/abi';
import { describeMappableContract, fileSubject, type MappableHarness } from '@tskern/test-kit/mappable-contract';
import { ok } from '@tskern/test-kit';
import { Credentials, Vfs, type FsTask } from '@tskern/vfs';
import { RamFs, type RamFile } from './index';

/** A ramfs regular file, opened read-write, as the object under the contract. */
const ramFile: MappableHarness = {
  punchHole: 'frees',
  create(frames, size) {
    const vfs = new Vfs(new RamFs({ frames }));
    const root: FsTask = { fs: vfs.newFsContext(), cred: Credentials.root() };
    const f = ok(vfs.open(root, '/f', O.O_RDWR | O.O_CREAT, 0o600));
    if (f.truncate(size, root.cred) !== 0) throw new Error('truncate');
    return fileSubject(f, { mappable: f.inode as RamFile }, (n) => f.truncate(n, root.cred), () => {
      f.decRef();
      if (vfs.unlink(root, '/f') !== 0) throw new Error('unlink');
    });
  },
};

describeMappableContract('ramfs RamFile', ramFile);
