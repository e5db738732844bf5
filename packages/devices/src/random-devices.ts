import type { FileOperations } from '@tskern/vfs';
import type { CharDevice } from './char-device';
import { MEM_MAJOR } from './mem-devices';
import type { RandomSource } from './random-source';

function randomOps(source: RandomSource): FileOperations {
  return {
    fixedPosition: true,
    read(_pos, dst, dstOffset, length) {
      source.fill(dst, dstOffset, length);
      return length;
    },
    // write_pool: anyone may stir bytes into the pool; they are credited nothing.
    write: (_pos, _src, _off, length) => length,
    // noop_llseek: the position stays where it is.
    llseek: (pos) => pos,
  };
}

/**
 * /dev/random (1:8) and /dev/urandom (1:9), drivers/char/random.c: since
 * Linux 5.6 both read the same CRNG once it is seeded, which it always is
 * here, so neither blocks.
 */
export function randomDevices(source: RandomSource): readonly [CharDevice, CharDevice] {
  return [
    { name: 'random', major: MEM_MAJOR, driver: 'mem', minor: 8, mode: 0o666, open: () => randomOps(source) },
    { name: 'urandom', major: MEM_MAJOR, driver: 'mem', minor: 9, mode: 0o666, open: () => randomOps(source) },
  ];
}
