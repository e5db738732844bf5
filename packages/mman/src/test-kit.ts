import type { FaultResult, SignalNumber } from '@tskern/abi';
import { ArenaFrameAllocator } from '@tskern/pagealloc';
import { AddressSpace } from './address-space';
import { load, store } from './user-access';
import { memoryOptions, type MemoryOverrides } from './options';
import { standaloneSharedAnonymous } from './standalone-shared-anonymous';

/** A small world for tests: an allocator and a factory of address spaces sharing it. */
export function testMemory(overrides: MemoryOverrides = {}, frames = 16384) {
  const alloc = new ArenaFrameAllocator({ frames });
  const options = memoryOptions(alloc, standaloneSharedAnonymous(alloc), overrides);
  return {
    alloc,
    options,
    space: () => new AddressSpace(options),
  };
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Store a string; returns the signal (0 for none). */
export function poke(as: AddressSpace, addr: number, text: string): FaultResult {
  const bytes = enc.encode(text);
  return store(as, addr, bytes, 0, bytes.length);
}

/** Load `len` bytes as a string, or the signal number. */
export function peek(as: AddressSpace, addr: number, len: number): string | SignalNumber {
  const buf = new Uint8Array(len);
  const sig = load(as, addr, buf, 0, len);
  return sig !== 0 ? sig : dec.decode(buf);
}
