/*
 * The process entry. The kernel starts a static ELF at e_entry with sp at
 * argc, then argv[], NULL, envp[], NULL, auxv pairs up to AT_NULL
 * (fs/binfmt_elf.c create_elf_tables); no register but sp is meaningful
 * (riscv64: a0 is 0 from start_thread; x86-64: rdx is 0 from ELF_PLAT_INIT).
 */
#include "rt.h"

#ifndef PROG
#error "build with -DPROG=\"name\""
#endif
const char *g_prog = PROG;
int g_argc;
char **g_argv;
char **g_envp;
unsigned long *g_auxv;

#if defined(__riscv)
/* gp first: the linker relaxes accesses to small data against __global_pointer$. */
__asm__(".text\n.global _start\n.type _start,@function\n_start:\n"
	".option push\n.option norelax\n\tlla gp, __global_pointer$\n.option pop\n"
	"\tmv a0, sp\n\tandi sp, sp, -16\n\tcall start_c\n\tunimp\n");
#else
__asm__(".text\n.global _start\n.type _start,@function\n_start:\n"
	"\txor %ebp, %ebp\n\tmov %rsp, %rdi\n\tand $-16, %rsp\n\tcall start_c\n\thlt\n");
#endif

int main(int argc, char **argv, char **envp); /* a program may declare fewer parameters */

__attribute__((noreturn, used)) void start_c(long *sp) {
	g_argc = (int)sp[0];
	g_argv = (char **)(sp + 1);
	g_envp = g_argv + g_argc + 1;
	char **e = g_envp;
	while (*e) e++;
	g_auxv = (unsigned long *)(e + 1);
	sys_exit_group(main(g_argc, g_argv, g_envp));
}

void sys_exit_group(int code) {
	for (;;) SC1(__NR_exit_group, code);
}

void sys_exit_thread(int code) {
	for (;;) SC1(__NR_exit, code);
}

unsigned long getauxval(unsigned long key) {
	for (unsigned long *a = g_auxv; a[0] != AT_NULL; a += 2)
		if (a[0] == key) return a[1];
	return 0;
}

const char *getenv(const char *name) {
	size_t n = strlen(name);
	for (char **e = g_envp; *e; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=') return *e + n + 1;
	return NULL;
}
