/*
 * Threads from a raw clone. The child starts on a new stack, so the call
 * cannot return into C: the stub stores fn and arg on the new stack, and
 * the child pops them, calls fn(arg) and exits the thread with its result.
 *
 * clone's arguments: x86-64 (flags, newsp, parent_tid, child_tid, tls);
 * riscv64 selects CLONE_BACKWARDS (flags, newsp, parent_tid, tls,
 * child_tid), as kernel/fork.c SYSCALL_DEFINE5(clone) spells out.
 */
#include "rt.h"

#if defined(__x86_64__)
__asm__(".text\n.global thread_spawn\n.type thread_spawn,@function\nthread_spawn:\n"
	"\tand $-16, %rdx\n\tsub $16, %rdx\n\tmov %rdi, 0(%rdx)\n\tmov %rsi, 8(%rdx)\n"
	"\tmov %rcx, %rdi\n\tmov %rdx, %rsi\n\tmov %r8, %rdx\n\tmov %r8, %r10\n\txor %r8d, %r8d\n"
	"\tmov $56, %eax\n\tsyscall\n\ttest %rax, %rax\n\tjnz 1f\n"
	"\tpop %rax\n\tpop %rdi\n\txor %ebp, %ebp\n\tcall *%rax\n"
	"\tmov %eax, %edi\n\tmov $60, %eax\n\tsyscall\n\thlt\n"
	"1:\tret\n");
#else
__asm__(".text\n.global thread_spawn\n.type thread_spawn,@function\nthread_spawn:\n"
	"\tandi a2, a2, -16\n\taddi a2, a2, -16\n\tsd a0, 0(a2)\n\tsd a1, 8(a2)\n"
	"\tmv a0, a3\n\tmv a1, a2\n\tmv a2, a4\n\tli a3, 0\n"
	"\tli a7, 220\n\tecall\n\tbnez a0, 1f\n"
	"\tld t0, 0(sp)\n\tld a0, 8(sp)\n\taddi sp, sp, 16\n\tjalr t0\n"
	"\tli a7, 93\n\tecall\n\tunimp\n"
	"1:\tret\n");
#endif

#define THREAD_FLAGS                                                                                   \
	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |            \
	 CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID)

long thread_start(int (*fn)(void *), void *arg, int *tid) {
	size_t len = 64 * 1024;
	long stack = sys_mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (MAP_FAILED_P(stack)) return stack;
	return thread_spawn(fn, arg, (char *)stack + len, THREAD_FLAGS, tid);
}

/* CLONE_CHILD_CLEARTID: the kernel zeroes *tid when the thread exits and wakes one futex waiter there. */
void thread_join(int *tid) {
	for (;;) {
		int v = __atomic_load_n(tid, __ATOMIC_ACQUIRE);
		if (v == 0) return;
		futex_wait(tid, v, -1);
	}
}

long futex_wait(int *uaddr, int val, long timeout_ms) {
	struct timespec ts = {timeout_ms / 1000, (timeout_ms % 1000) * 1000000};
	return sys_futex(uaddr, FUTEX_WAIT, val, timeout_ms < 0 ? 0 : &ts);
}

long futex_wake(int *uaddr, int n) { return sys_futex(uaddr, FUTEX_WAKE, n, 0); }
