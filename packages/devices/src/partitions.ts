import type { BlockDevice } from '@tskern/block-api';

/** MAJOR of a device number as new_encode_dev stores it (bits 8-19). */
export function deviceMajor(deviceNumber: number): number {
  return Math.floor(deviceNumber / 256) % 4096;
}

/** MINOR of a device number as new_encode_dev stores it (bits 0-7 and 20-31). */
export function deviceMinor(deviceNumber: number): number {
  return (deviceNumber % 256) + Math.floor(deviceNumber / 1048576) * 256;
}

/**
 * /proc/partitions (block/genhd.c: show_partition): a header, then each
 * disk with a size (an empty loop device is not listed) as
 * "%4d  %7d %10llu %s": major, minor, size in 1 KiB blocks, name.
 */
export function formatPartitions(devices: readonly BlockDevice[]): string {
  let out = 'major minor  #blocks  name\n\n';
  for (const d of devices) {
    const size = d.size();
    if (size === 0) continue;
    const major = String(deviceMajor(d.deviceNumber)).padStart(4);
    const minor = String(deviceMinor(d.deviceNumber)).padStart(7);
    out += `${major}  ${minor} ${String(Math.floor(size / 1024)).padStart(10)} ${d.name}\n`;
  }
  return out;
}

/**
 * /proc/devices (fs/proc/devices.c): the character majors, then the block
 * majors, each "%3d %s" in major order.
 */
export function formatDeviceMajors(char: readonly [number, string][], block: readonly [number, string][]): string {
  const list = (l: readonly [number, string][]) => [...l].sort((a, b) => a[0] - b[0]).map(([m, n]) => `${String(m).padStart(3)} ${n}\n`).join('');
  return `Character devices:\n${list(char)}\nBlock devices:\n${list(block)}`;
}
