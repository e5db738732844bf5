import type { Inode, MappingIdentityProvider, OpenFileDescription } from '@tskern/vfs';
import { FileMappingHandle } from './file-mapping-handle';

/**
 * One FileMappingHandle per inode, made on the first mmap of it through any
 * open file description (the VFS's MappingIdentityProvider). Handing the same
 * handle to every mapping of an inode is what lets the memory manager merge
 * neighbouring VMAs of one file and count the file's mappings in one place.
 *
 * The registry holds handles weakly: a handle nobody references holds no
 * inode reference, and disappears with its inode. A handle not in use takes
 * the name of the file it is next mapped through.
 */
export class FileMappingRegistry implements MappingIdentityProvider {
  private readonly handles = new WeakMap<Inode, FileMappingHandle>();

  identityFor(file: OpenFileDescription): FileMappingHandle {
    const inode = file.inode;
    let handle = this.handles.get(inode);
    if (handle === undefined) {
      handle = new FileMappingHandle(inode, file.path);
      this.handles.set(inode, handle);
    } else if (handle.refCount === 0) {
      handle.rename(file.path);
    }
    return handle;
  }

  /** The handle of `inode`, if one was made. */
  handleOf(inode: Inode): FileMappingHandle | undefined {
    return this.handles.get(inode);
  }
}
