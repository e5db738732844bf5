/**
 * Conformance kernel profile `hostfs`: the default kernel with a hostfs
 * mounted on /host over a fresh host directory, for `--scratch hostfs`: the
 * scenarios' files are then real files on the host, reached through the same
 * page cache, and the transcripts must not change.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHostFs } from '@tskern/hostfs';
import { NodeHostBackend } from '@tskern/hostfs/node';
import { createKernel as createDefaultKernel, type Kernel } from '@tskern/kernel';
import { HOSTFS_SCRATCH_PARENT } from '@tskern/scenario';

/** One host directory per process, a subdirectory per kernel; removed at exit. */
let hostRoot: string | undefined;

function hostDir(): string {
  if (hostRoot === undefined) {
    const root = mkdtempSync(join(tmpdir(), 'tskern-hostfs-'));
    hostRoot = root;
    process.on('exit', () => rmSync(root, { recursive: true, force: true }));
  }
  return mkdtempSync(join(hostRoot, 'k-'));
}

export function createKernel(): Kernel {
  const dir = hostDir();
  return createDefaultKernel({
    mounts: [
      {
        path: HOSTFS_SCRATCH_PARENT,
        source: dir,
        fs: (frames) => {
          const fs = createHostFs({ backend: new NodeHostBackend(dir), frames });
          if (typeof fs === 'number') throw new Error(`hostfs on ${dir}: errno ${-fs}`);
          return fs;
        },
      },
    ],
  });
}
