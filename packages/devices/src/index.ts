/**
 * @tskern/devices — the character devices of drivers/char/mem.c and
 * random.c (/dev/null, /dev/zero, /dev/full, /dev/random, /dev/urandom),
 * the random source getrandom(2) reads, and devtmpfs to hold them on /dev.
 */
export * from './random-source';
export * from './getrandom';
export * from './char-device';
export * from './block-driver';
export { BlockDeviceInode, openBlockDevice } from './block-device-inode';
export { BLK } from './block-ioctl';
export * from './partitions';
export * from './mem-devices';
export * from './random-devices';
export * from './dev-fs';
