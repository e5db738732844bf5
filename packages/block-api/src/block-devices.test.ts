import { describe, expect, it } from 'vitest';
import type { BlockDevice } from './block-device';
import { BlockDevices } from './block-devices';

function disk(deviceNumber: number, bytes = 0): BlockDevice {
  return {
    name: `d${deviceNumber}`,
    deviceNumber,
    logicalBlockSize: 512,
    physicalBlockSize: 512,
    size: () => bytes,
    readOnly: () => false,
    read: () => 0,
    write: () => 0,
    flush: () => 0,
  };
}

describe('BlockDevices', () => {
  it('finds a device by number until it is removed', () => {
    const devices = new BlockDevices();
    const a = disk(0x700);
    expect(devices.add(a)).toBe(true);
    expect(devices.add(disk(0x700))).toBe(false);
    expect(devices.get(0x700)).toBe(a);
    devices.remove(a);
    expect(devices.get(0x700)).toBeUndefined();
  });

  it('lets one holder claim a device at a time, and the same holder again', () => {
    const devices = new BlockDevices();
    const a = disk(0x701);
    devices.add(a);
    const mount = {};
    const opener = {};
    expect(devices.claim(a, mount)).toBe(true);
    expect(devices.claim(a, mount)).toBe(true);
    expect(devices.claim(a, opener)).toBe(false);
    devices.release(a, opener);
    expect(devices.holder(a)).toBe(mount);
    devices.release(a, mount);
    expect(devices.claim(a, opener)).toBe(true);
  });

  it('counts openers, tells the driver of each open and release, and refuses when the driver does', () => {
    const devices = new BlockDevices();
    const log: string[] = [];
    let refuse = false;
    const d: BlockDevice = {
      ...disk(0x702),
      open: (writable) => {
        log.push(`open ${writable}`);
        return refuse ? -6 : 0;
      },
      release: () => log.push('release'),
    };
    devices.add(d);
    expect(devices.open(d, true)).toBe(0);
    expect(devices.open(d, false)).toBe(0);
    expect(devices.openers(d)).toBe(2);
    refuse = true;
    expect(devices.open(d, false)).toBe(-6);
    expect(devices.openers(d)).toBe(2);
    devices.close(d);
    devices.close(d);
    expect(devices.openers(d)).toBe(0);
    expect(log).toEqual(['open true', 'open false', 'open false', 'release', 'release']);
  });

  it('starts the soft block size at the largest power of two up to 4096 dividing the size (set_init_blocksize)', () => {
    const devices = new BlockDevices();
    const big = disk(0x703, 10 << 20);
    const odd = disk(0x704, 10485248);
    devices.add(big);
    devices.add(odd);
    devices.open(big, false);
    devices.open(odd, false);
    expect(devices.blockSize(big)).toBe(4096);
    expect(devices.blockSize(odd)).toBe(512);
    expect(devices.setBlockSize(big, 1024)).toBe(true);
    expect(devices.blockSize(big)).toBe(1024);
    for (const bad of [256, 1000, 131072]) expect(devices.setBlockSize(big, bad)).toBe(false);
    expect(devices.setBlockSize(big, 65536)).toBe(true);
    expect(devices.setBlockSize(big, 1024)).toBe(true);
    devices.close(big);
    devices.open(big, false);
    expect(devices.blockSize(big)).toBe(4096);
  });

  it('adds BLKROSET policy to the driver read-only state', () => {
    const devices = new BlockDevices();
    const d = disk(0x705);
    devices.add(d);
    expect(devices.readOnly(d)).toBe(false);
    devices.setReadOnly(d, true);
    expect(devices.readOnly(d)).toBe(true);
    devices.setReadOnly(d, false);
    expect(devices.readOnly(d)).toBe(false);
    expect(devices.readOnly({ ...disk(0x706), readOnly: () => true })).toBe(true);
  });
});
