/* MAP_SHARED|MAP_ANONYMOUS memory is one object across fork: stores go both ways; private stays private. */
#include "rt.h"

int main(void) {
	long s = sys_mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(!MAP_FAILED_P(s));
	volatile int *sh = (int *)s;
	int *pv = map_anon(PAGE, PROT_READ | PROT_WRITE);
	sh[0] = 1, pv[0] = 1;
	long pid = sys_fork();
	if (pid == 0) {
		sh[0] = 2, pv[0] = 2;
		sh[1024] = 7; /* the second page, untouched before the fork */
		while (sh[1] != 1) sys_sched_yield();
		sys_exit_group(sh[2] == 33 ? 0 : 1);
	}
	while (sh[0] != 2) sys_sched_yield();
	say("the parent sees the child's store to shared memory: %d, to private memory: %d\n", sh[0], pv[0]);
	say("a page first touched by the child after the fork: %d\n", sh[1024]);
	sh[2] = 33;
	sh[1] = 1;
	report_child("child that saw the parent's store", wait_status(pid));
	char line[256];
	CHECK(maps_find((void *)s, line, sizeof line));
	size_t n = strlen(line);
	/* the name of a shared anonymous mapping's object (mm/shmem.c shmem_zero_setup) */
	say("/proc/self/maps names it /dev/zero (deleted): %s\n", yes(n > 19 && strcmp(line + n - 19, "/dev/zero (deleted)") == 0));
	const char *perm = line;
	while (*perm != ' ') perm++;
	say("its perms are rw-s: %s\n", yes(strncmp(perm + 1, "rw-s", 4) == 0));
	/* munmap in the child leaves the parent's mapping alone */
	pid = sys_fork();
	if (pid == 0) {
		sys_munmap(s, 2 * PAGE);
		sys_exit_group(0);
	}
	report_child("child unmapping it", wait_status(pid));
	say("the parent still reads it: %d\n", sh[0]);
	return 0;
}
