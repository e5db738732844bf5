import { describe, expect, it } from 'vitest';
import type { BlockDevice } from './block-device';
import { BlockDevices } from './block-devices';

function disk(deviceNumber: number): BlockDevice {
  return {
    name: `d${deviceNumber}`,
    deviceNumber,
    logicalBlockSize: 512,
    physicalBlockSize: 512,
    size: () => 0,
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
});
