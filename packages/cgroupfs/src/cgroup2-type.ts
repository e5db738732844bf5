import { Errno } from '@tskern/abi';
import type { FileSystem, FileSystemType, FsRequest } from '@tskern/vfs';
import type { CgroupFs } from './cgroup-fs';

/**
 * The `cgroup2` file system type (cgroup2_fs_type): every mount shows the
 * kernel's one hierarchy, `fs`. tskern takes none of cgroup2's mount
 * options (nsdelegate, memory_recursiveprot, ...): each is EINVAL, as an
 * unknown option is on Linux (cgroup2_parse_param), so a program that
 * retries without options (LTP does) gets the plain hierarchy.
 */
export function cgroup2Type(fs: CgroupFs): FileSystemType {
  const parse = (request: FsRequest): number => (request.parameters.length === 0 ? 0 : -Errno.EINVAL);
  return {
    name: 'cgroup2',
    requiresDevice: false,
    mount(request): FileSystem | number {
      const r = parse(request);
      return r < 0 ? r : fs;
    },
    reconfigure(_fs, request): number {
      return parse(request);
    },
    showOptions(): string {
      return '';
    },
  };
}
