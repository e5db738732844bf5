import { MAX_SECTORS, type BlockLayer } from '@tskern/devices';
import type { SysAttribute, SysFs } from '@tskern/sysfs';
import { displayPath } from '@tskern/vfs';
import { LO_FLAGS } from './loop-abi';
import type { LoopDevice } from './loop-device';

/** Where a disk's directory is: /sys/devices/virtual/block/<name>, and /sys/block/<name> (a symlink on Linux, a second view here). */
function diskDirs(lo: LoopDevice): string[] {
  return [`block/${lo.name}`, `devices/virtual/block/${lo.name}`];
}

const fixed = (name: string, text: string): SysAttribute => ({ name, show: () => text });

/** A loop disk's attributes (block/genhd.c disk_attrs, blk-sysfs.c queue attributes). */
export function addDiskAttributes(sys: SysFs, lo: LoopDevice, layer: BlockLayer): void {
  const devices = layer.devices;
  const major = 7;
  const minor = lo.number;
  for (const dir of diskDirs(lo)) {
    sys.addAttributes(dir, [
      { name: 'size', show: () => `${Math.floor(lo.size() / 512)}\n` },
      { name: 'ro', show: () => `${devices.readOnly(lo) ? 1 : 0}\n` },
      fixed('dev', `${major}:${minor}\n`),
      { name: 'stat', show: () => lo.stats.format() },
      { name: 'diskseq', show: () => `${lo.diskSequence}\n` },
      { name: 'uevent', show: () => `MAJOR=${major}\nMINOR=${minor}\nDEVNAME=${lo.name}\nDEVTYPE=disk\nDISKSEQ=${lo.diskSequence}\n` },
      fixed('removable', '0\n'),
      fixed('range', '1\n'),
      fixed('ext_range', '256\n'),
      fixed('capability', '0\n'),
      fixed('hidden', '0\n'),
      fixed('alignment_offset', '0\n'),
      fixed('discard_alignment', '0\n'),
      fixed('inflight', '       0        0\n'),
    ]);
    sys.addAttributes(`${dir}/queue`, [
      { name: 'logical_block_size', show: () => `${lo.logicalBlockSize}\n` },
      { name: 'physical_block_size', show: () => `${lo.physicalBlockSize}\n` },
      { name: 'hw_sector_size', show: () => `${lo.logicalBlockSize}\n` },
      { name: 'minimum_io_size', show: () => `${lo.logicalBlockSize}\n` },
      fixed('optimal_io_size', '0\n'),
      fixed('rotational', '0\n'),
      // loop_config_discard over a file with fallocate: 4 KiB granularity, UINT_MAX >> 9 sectors per request.
      fixed('discard_granularity', '4096\n'),
      fixed('discard_max_bytes', '4294966784\n'),
      fixed('write_cache', 'write back\n'),
      fixed('max_sectors_kb', `${MAX_SECTORS / 2}\n`),
      { name: 'read_ahead_kb', show: () => `${layer.readAhead(lo) / 2}\n` },
    ]);
  }
}

/** loop_sysfs_init: the `loop/` group of a bound device (drivers/block/loop.c loop_attrs). */
export function addLoopAttributes(sys: SysFs, lo: LoopDevice): void {
  const flag = (bit: number) => () => `${(lo.flags & bit) !== 0 ? 1 : 0}\n`;
  for (const dir of diskDirs(lo)) {
    sys.addAttributes(`${dir}/loop`, [
      { name: 'backing_file', show: () => (lo.backing === null ? '' : `${displayPath(lo.backing.path)}\n`) },
      { name: 'offset', show: () => `${lo.offset}\n` },
      { name: 'sizelimit', show: () => `${lo.sizeLimit}\n` },
      { name: 'autoclear', show: flag(LO_FLAGS.AUTOCLEAR) },
      { name: 'partscan', show: flag(LO_FLAGS.PARTSCAN) },
      { name: 'dio', show: flag(LO_FLAGS.DIRECT_IO) },
    ]);
  }
}

/** loop_sysfs_exit: the `loop/` group goes when the device is detached. */
export function removeLoopAttributes(sys: SysFs, lo: LoopDevice): void {
  for (const dir of diskDirs(lo)) sys.remove(`${dir}/loop`);
}

/** del_gendisk: the disk's directories go. */
export function removeDiskAttributes(sys: SysFs, lo: LoopDevice): void {
  for (const dir of diskDirs(lo)) sys.remove(dir);
}
