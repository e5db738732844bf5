// A small world for tests: a frame allocator, a tmpfs-like file system with
// one open file to MAP_SHARED, and address spaces over them.
import { O } from '@tskern/abi';
import { FileMappingRegistry } from '@tskern/file-mapping';
import { AddressSpace, memoryOptions, standaloneSharedAnonymous } from '@tskern/mman';
import type { MmapSource } from '@tskern/mm-api';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { RamFs } from '@tskern/ramfs';
import { Credentials, Vfs, type FsTask, type OpenFileDescription } from '@tskern/vfs';

export interface World {
  readonly frames: ArenaFrameAllocator;
  readonly space: () => AddressSpace;
  readonly file: OpenFileDescription;
  readonly source: MmapSource;
  readonly truncate: (length: number) => number;
}

export function world(frameCount = 1024): World {
  const frames = new ArenaFrameAllocator({ frames: frameCount });
  const options = memoryOptions(frames, standaloneSharedAnonymous(frames));
  const vfs = new Vfs(new RamFs({ frames }), { mappingIdentities: new FileMappingRegistry() });
  const task: FsTask = { fs: vfs.newFsContext(), cred: Credentials.root() };
  const file = vfs.open(task, '/shared', O.O_CREAT | O.O_RDWR, 0o600);
  if (typeof file === 'number') throw new Error(`open: ${file}`);
  const source = file.mmapSource();
  if (typeof source === 'number') throw new Error(`mmapSource: ${source}`);
  return {
    frames,
    space: () => new AddressSpace(options),
    file,
    source,
    truncate: (length) => file.truncate(length, task.cred),
  };
}
