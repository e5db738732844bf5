/**
 * @tskern/loop — the loop block driver (drivers/block/loop.c): /dev/loopN
 * block devices whose sectors are a file, /dev/loop-control, the LOOP_*
 * ioctls and /sys/block/loopN, as LTP's device tests and mkfs use them.
 */
export { LoopDriver, type LoopDriverOptions } from './loop-driver';
export { LoopDevice, type LoopState } from './loop-device';
export { LOOP, LO_FLAGS, LOOP_MAJOR } from './loop-abi';
