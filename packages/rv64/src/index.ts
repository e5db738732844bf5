export { Rv64Cpu, type Rv64CpuOptions } from './cpu.js';
export type { CpuExit, CpuEcallExit, CpuEbreakExit, CpuIllegalExit, CpuFaultExit, CpuBudgetExit } from './exit.js';
export { CpuMemoryFault, type CpuMemory, type CpuTlb, type CpuTlbWay, type MemoryAccess, type MemoryFaultKind } from './memory.js';
export { FloatRegisters, FFLAG_NX, FFLAG_UF, FFLAG_OF, FFLAG_DZ, FFLAG_NV } from './float-registers.js';
export { FlatCpuMemory } from './flat-memory.js';
export { encodeB, encodeI, encodeJ, encodeR, encodeR4, encodeS, encodeU } from './encode.js';
export { expandCompressed } from './compressed.js';
