/* Resource limits (prlimit64): NOFILE, AS, DATA; limits are inherited across fork (kernel/sys.c). */
#include "rt.h"

int main(void) {
	struct rlimit64 old, nw;
	CHECK(sys_prlimit(0, RLIMIT_NOFILE, 0, &old) == 0);
	say("RLIMIT_NOFILE soft <= hard: %s\n", yes(old.cur <= old.max));
	nw.cur = 8, nw.max = old.max;
	expect("lower RLIMIT_NOFILE to 8", sys_prlimit(0, RLIMIT_NOFILE, &nw, 0), 0);
	long fd, last = -1;
	int opened = 0;
	while ((fd = sys_open("/dev/null", O_RDONLY, 0)) >= 0) last = fd, opened++;
	say("opened %d descriptors, the last was %ld, then %s\n", opened, last, err(fd));
	expect("dup beyond the limit", sys_dup(0), EMFILE);
	expect("dup3 to descriptor 8", sys_dup3(0, 8, 0), EBADF);
	for (long i = 3; i <= last; i++) sys_close(i);
	/* the limit is inherited */
	long pid = sys_fork();
	if (pid == 0) {
		struct rlimit64 c;
		sys_prlimit(0, RLIMIT_NOFILE, 0, &c);
		sys_exit_group(c.cur == 8 ? 0 : 1);
	}
	report_child("child sees soft limit 8", wait_status(pid));
	CHECK(sys_prlimit(0, RLIMIT_NOFILE, &old, 0) == 0);
	/* soft above hard is refused */
	struct rlimit64 cur;
	CHECK(sys_prlimit(0, RLIMIT_DATA, 0, &cur) == 0);
	nw.cur = 1 << 20, nw.max = 1 << 19;
	expect("soft limit above the hard limit", sys_prlimit(0, RLIMIT_DATA, &nw, 0), EINVAL);
	expect("an unknown resource", sys_prlimit(0, 99, 0, &cur), EINVAL);
	/* RLIMIT_AS: mappings beyond the address-space limit fail with ENOMEM */
	pid = sys_fork();
	if (pid == 0) {
		struct rlimit64 as = {64UL << 20, 64UL << 20};
		CHECK(sys_prlimit(0, RLIMIT_AS, &as, 0) == 0);
		say("child: RLIMIT_AS 64 MiB: mmap 128 MiB: %s\n", err(sys_mmap(0, 128UL << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)));
		long m = sys_mmap(0, 16UL << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		say("child: mmap 16 MiB: %s\n", err(m));
		say("child: mremap it to 128 MiB: %s\n", err(sys_mremap(m, 16UL << 20, 128UL << 20, MREMAP_MAYMOVE, 0)));
		long b = sys_brk(0);
		say("child: brk +128 MiB refused (break unchanged): %s\n", yes(sys_brk(b + (128L << 20)) == b));
		sys_exit_group(0);
	}
	report_child("child", wait_status(pid));
	/* RLIMIT_DATA limits private writable mappings and brk */
	pid = sys_fork();
	if (pid == 0) {
		struct rlimit64 d = {32UL << 20, 32UL << 20};
		CHECK(sys_prlimit(0, RLIMIT_DATA, &d, 0) == 0);
		say("child: RLIMIT_DATA 32 MiB: private writable 64 MiB: %s\n", err(sys_mmap(0, 64UL << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)));
		say("child: private read-only 64 MiB: %s\n", err(sys_mmap(0, 64UL << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)));
		say("child: shared writable 64 MiB: %s\n", err(sys_mmap(0, 64UL << 20, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)));
		sys_exit_group(0);
	}
	report_child("child", wait_status(pid));
	/* RLIMIT_MEMLOCK 0 for an unprivileged task refuses mlock; as root (CAP_IPC_LOCK) it does not: not tested */
	return 0;
}
