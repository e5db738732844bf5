/*
 * The system-call instruction of each architecture the suite builds for.
 * Calls return the kernel's raw result: a negative errno on failure
 * (-4095..-1), as the kernel hands it back; there is no errno variable.
 *
 * riscv64: number in a7, arguments in a0..a5, result in a0 (arch/riscv/kernel/entry.S).
 * x86-64: number in rax, arguments in rdi, rsi, rdx, r10, r8, r9, result in rax;
 * the instruction clobbers rcx and r11 (arch/x86/entry/entry_64.S).
 */
#ifndef PROGRAMS_ARCH_H
#define PROGRAMS_ARCH_H

#if defined(__riscv) && __riscv_xlen == 64
#define ARCH_NAME "riscv64"
static inline long syscall6(long n, long a, long b, long c, long d, long e, long f) {
	register long a7 __asm__("a7") = n;
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	register long a3 __asm__("a3") = d;
	register long a4 __asm__("a4") = e;
	register long a5 __asm__("a5") = f;
	__asm__ volatile("ecall"
			 : "+r"(a0)
			 : "r"(a7), "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5)
			 : "memory");
	return a0;
}
#elif defined(__x86_64__)
#define ARCH_NAME "x86_64"
static inline long syscall6(long n, long a, long b, long c, long d, long e, long f) {
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
#else
#error "the program suite builds for riscv64 and x86-64 only"
#endif

#define SC0(n) syscall6((n), 0, 0, 0, 0, 0, 0)
#define SC1(n, a) syscall6((n), (long)(a), 0, 0, 0, 0, 0)
#define SC2(n, a, b) syscall6((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define SC3(n, a, b, c) syscall6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define SC4(n, a, b, c, d) syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define SC5(n, a, b, c, d, e) syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)
#define SC6(n, a, b, c, d, e, f) \
	syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

#endif
