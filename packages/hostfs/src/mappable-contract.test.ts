import * as nodeFs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { O } from '@tskern/abi';
import { FileMappingRegistry } from '@tskern/file-mapping';
import { RamFs } from '@tskern/ramfs';
import { ok } from '@tskern/test-kit';
import { describeMappableContract, fileSubject, type MappableHarness } from '@tskern/test-kit/mappable-contract';
import { Credentials, Vfs, type FsTask } from '@tskern/vfs';
import { createHostFs, mountHost } from './index';
import { NodeHostBackend } from './node';

/**
 * A hostfs file over a fresh host directory (the Node backend), open
 * read-write: its page cache is the object under the contract. The host has
 * no hole punching, so punchHole is -EOPNOTSUPP.
 */
const hostFile: MappableHarness = {
  punchHole: 'unsupported',
  create(frames, size) {
    const dir = nodeFs.mkdtempSync(nodePath.join(os.tmpdir(), 'hostfs-contract-'));
    const host = ok(createHostFs({ backend: new NodeHostBackend(dir), frames }));
    const vfs = new Vfs(new RamFs({ frames }), { mappingIdentities: new FileMappingRegistry() });
    if (mountHost(vfs, host, '/mnt') !== 0) throw new Error('mount');
    const root: FsTask = { fs: vfs.newFsContext(), cred: Credentials.root(), pid: 1 };
    const f = ok(vfs.open(root, '/mnt/f', O.O_RDWR | O.O_CREAT, 0o600));
    if (f.truncate(size, root.cred) !== 0) throw new Error('ftruncate');
    const src = ok(f.mmapSource());
    return fileSubject(f, { mappable: src.mappable!, identity: src.identity }, (n) => f.truncate(n, root.cred), () => {
      f.decRef();
      nodeFs.rmSync(dir, { recursive: true, force: true });
    });
  },
};

describeMappableContract('hostfs file (Node backend)', hostFile);
