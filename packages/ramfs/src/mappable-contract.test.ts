import { O } from '@tskern/abi';
import { describeMappableContract, fileSubject, type MappableHarness } from '@tskern/test-kit/mappable-contract';
import { ok } from '@tskern/test-kit';
import { Credentials, Vfs, type FsTask } from '@tskern/vfs';
import { RamFs, type RamFile } from './index';

/** A regular file with ramfs's or tmpfs's file operations, opened read-write, as the object under the contract. */
const ramFile = (type: 'ramfs' | 'tmpfs'): MappableHarness => ({
  // ramfs has no fallocate, so no hole punching (MADV_REMOVE is EOPNOTSUPP).
  punchHole: type === 'tmpfs' ? 'frees' : 'unsupported',
  create(frames, size) {
    const vfs = new Vfs(new RamFs({ frames, ramfsFileOperations: type === 'ramfs' }));
    const root: FsTask = { fs: vfs.newFsContext(), cred: Credentials.root() };
    const f = ok(vfs.open(root, '/f', O.O_RDWR | O.O_CREAT, 0o600));
    if (f.truncate(size, root.cred) !== 0) throw new Error('truncate');
    return fileSubject(f, { mappable: f.inode as RamFile }, (n) => f.truncate(n, root.cred), () => {
      f.decRef();
      if (vfs.unlink(root, '/f') !== 0) throw new Error('unlink');
    });
  },
});

describeMappableContract('ramfs RamFile', ramFile('ramfs'));
describeMappableContract('tmpfs RamFile', ramFile('tmpfs'));
