/**
 * @tskern/cpu-memory — the CPU's view of an address space: rv64's CpuMemory
 * over an mman AddressSpace, with a software TLB that mman's page table
 * keeps coherent (PageTable.observe). It sits above both packages so the CPU
 * imports nothing and mman knows no CPU.
 */
export { TlbCpuMemory, createCpuMemory, type CpuMemoryOptions, type CodeInvalidation } from './tlb-cpu-memory';
export { faultKind } from './fault-kind';
