import type { MountEntry, MountinfoEntry } from '@tskern/procfs';
import { mountinfoOptions, mountsOptions, pathName, type Dentry, type Mount, type Vfs } from '@tskern/vfs';

/** Where `m` is mounted ("/" for the root of the tree). */
function target(m: Mount): string {
  return m.parent === null || m.mountpoint === null ? '/' : pathName({ mount: m.parent, dentry: m.mountpoint }).path;
}

/** The mount's root within its file system (a bind mount of a subdirectory shows it). */
function rootWithin(root: Dentry): string {
  const names: string[] = [];
  for (let d: Dentry | null = root; d !== null && d.parent !== null; d = d.parent) names.push(d.name);
  return '/' + names.reverse().join('/');
}

/** /proc/mounts's lines: every mount in the tree, in mount order. */
export function mountTable(vfs: Vfs): MountEntry[] {
  return vfs.mounts().map((m) => ({ source: m.source, target: target(m), type: m.fs.type, options: mountsOptions(m, vfs.fileSystemTypes) }));
}

/** /proc/[pid]/mountinfo's lines. */
export function mountinfoTable(vfs: Vfs): MountinfoEntry[] {
  return vfs.mounts().map((m) => {
    const o = mountinfoOptions(m, vfs.fileSystemTypes);
    return {
      id: m.id,
      parentId: m.parent?.id ?? m.id,
      deviceId: m.fs.deviceId,
      root: rootWithin(m.root),
      target: target(m),
      mountOptions: o.mount,
      type: m.fs.type,
      source: m.source,
      superOptions: o.superblock,
    };
  });
}
