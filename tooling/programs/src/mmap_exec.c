/*
 * Code in an anonymous mapping: written while PROT_READ|PROT_WRITE, made
 * PROT_READ|PROT_EXEC by mprotect, then called. Executing a page without
 * PROT_EXEC is SIGSEGV (SEGV_ACCERR), as is storing to a PROT_EXEC page.
 */
#include "rt.h"

/* "return 42" and "return 7" in each architecture's machine code */
#if defined(__riscv)
static const u32 ret42[] = {0x02a00513, 0x00008067}; /* li a0,42; ret */
static const u32 ret7[] = {0x00700513, 0x00008067};  /* li a0,7; ret */
#define SYNC_ICACHE() __asm__ volatile("fence.i" ::: "memory")
#else
static const u8 ret42[] = {0xb8, 42, 0, 0, 0, 0xc3}; /* mov eax,42; ret */
static const u8 ret7[] = {0xb8, 7, 0, 0, 0, 0xc3};
#define SYNC_ICACHE() __asm__ volatile("" ::: "memory")
#endif

typedef int (*fn_t)(void);

int main(void) {
	u8 *code = map_anon(2 * PAGE, PROT_READ | PROT_WRITE);
	memcpy(code, ret42, sizeof ret42);
	CHECK(sys_mprotect((long)code, PAGE, PROT_READ | PROT_EXEC) == 0);
	SYNC_ICACHE();
	say("calling code written to a mapping: returns %d\n", ((fn_t)code)());
	/* rewrite: back to writable, new code, executable again */
	CHECK(sys_mprotect((long)code, PAGE, PROT_READ | PROT_WRITE) == 0);
	memcpy(code, ret7, sizeof ret7);
	CHECK(sys_mprotect((long)code, PAGE, PROT_READ | PROT_EXEC) == 0);
	SYNC_ICACHE();
	say("after rewriting it: returns %d\n", ((fn_t)code)());
	/* a page mapped RWX at once works too */
	long rwx = sys_mmap(0, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(!MAP_FAILED_P(rwx));
	memcpy((void *)rwx, ret42, sizeof ret42);
	SYNC_ICACHE();
	say("an RWX page: returns %d\n", ((fn_t)rwx)());
	/* executing without PROT_EXEC */
	memcpy(code + PAGE, ret42, sizeof ret42);
	long pid = sys_fork();
	if (pid == 0) {
		sys_exit_group(((fn_t)(code + PAGE))());
	}
	report_child("child calling code in a PROT_READ|PROT_WRITE page", wait_status(pid));
	pid = sys_fork();
	if (pid == 0) {
		((volatile u8 *)code)[100] = 1;
		sys_exit_group(0);
	}
	report_child("child storing into the PROT_READ|PROT_EXEC page", wait_status(pid));
	/* code in a shared file mapping, executed by a child that maps the file itself */
	char path[128];
	int fd = open_tmp("/tmp", "", path);
	CHECK(sys_write(fd, ret7, sizeof ret7) == (long)sizeof ret7);
	CHECK(sys_ftruncate(fd, PAGE) == 0);
	long f = sys_mmap(0, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	CHECK(!MAP_FAILED_P(f));
	SYNC_ICACHE();
	say("code from a file mapping: returns %d\n", ((fn_t)f)());
	CHECK(sys_unlink(path) == 0);
	return 0;
}
