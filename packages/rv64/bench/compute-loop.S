# The compute loop of compute-loop.mjs as a freestanding riscv64 program, to
# time the same work under qemu-riscv64 and under this CPU (run-elf.mjs):
#   riscv64-linux-gnu-gcc -march=rv64gc -nostdlib -static -o /tmp/loop bench/compute-loop.S
#   time qemu-riscv64 /tmp/loop; node bench/run-elf.mjs /tmp/loop
# 20000 x 1000 passes of 10 instructions: 200M instructions; exit status 96.
  .globl _start
  .text
_start:
  la a1, data
  li s1, 20000
  li a0, 1
outer:
  li t0, 1000
loop:
  ld a2, 0(a1)
  add a0, a0, a2
  mul a3, a0, t0
  srli a4, a3, 7
  xor a0, a0, a4
  sd a0, 8(a1)
  lw a5, 8(a1)
  addw a0, a0, a5
  addi t0, t0, -1
  bnez t0, loop
  addi s1, s1, -1
  bnez s1, outer
  andi a0, a0, 127
  li a7, 93
  ecall
  .data
data:
  .dword 12345, 0, 0, 0
