/**
 * @tskern/kernel/node — what only a Node host can use: a host folder over
 * `node:fs`. The main entry stays free of Node modules so that it bundles
 * for a browser.
 */
import { NodeHostBackend } from '@tskern/hostfs/node';
import type { FrameAllocator } from '@tskern/pagealloc';
import type { FileSystem } from '@tskern/vfs';
import { hostFolder, type HostFolderOptions } from './host-folder';

/** `hostFolder` over Node's `fs`: the host directory `path` mounted with hostfs. */
export function nodeHostFolder(path: string, options: HostFolderOptions = {}): (frames: FrameAllocator) => FileSystem {
  return hostFolder(path, new NodeHostBackend(path), options);
}
