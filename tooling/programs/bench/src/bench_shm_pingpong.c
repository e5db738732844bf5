/*
 * Memory-syscall-bound: an object under /dev/shm (shm_open's open,
 * ftruncate, mmap MAP_SHARED), a parent and a forked child that maps it
 * again by name, and N round trips of a counter: each side waits on a
 * (shared, not private) futex in the page for its turn and wakes the other
 * (shared futexes key on the page: kernel/futex/core.c get_futex_key).
 */
#include "bench.h"

struct shared {
	int turn; /* the futex: odd = the child's turn, even = the parent's */
	int pad;
	u64 sum;
};

static struct shared *open_shared(const char *path, int create) {
	long fd = sys_open(path, O_RDWR | O_CLOEXEC | (create ? O_CREAT | O_EXCL : 0), 0600);
	CHECK(fd >= 0);
	if (create) CHECK(sys_ftruncate(fd, PAGE) == 0);
	long r = sys_mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(!MAP_FAILED_P(r));
	sys_close(fd);
	return (struct shared *)r;
}

/* Rounds of `me` (0 parent, 1 child): wait for turn 2i+me, add to the sum, pass the turn on. */
static void play(struct shared *s, long rounds, int me) {
	for (long i = 0; i < rounds; i++) {
		int want = (int)(2 * i + me);
		int t;
		while ((t = __atomic_load_n(&s->turn, __ATOMIC_ACQUIRE)) != want) futex_wait(&s->turn, t, -1);
		s->sum = s->sum * 3 + (u64)want;
		__atomic_store_n(&s->turn, want + 1, __ATOMIC_RELEASE);
		futex_wake(&s->turn, 1);
	}
}

int main(void) {
	long n = iterations();
	char path[128];
	tmp_path(path, "/dev/shm", "");
	sys_unlink(path);
	struct shared *s = open_shared(path, 1);
	long pid = sys_fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		play(open_shared(path, 0), n, 1);
		sys_exit_group(0);
	}
	play(s, n, 0);
	int status = wait_status(pid);
	CHECK(W_EXITED(status) && W_EXITSTATUS(status) == 0);
	CHECK(s->turn == 2 * n);
	CHECK(sys_unlink(path) == 0);
	say("checksum %lx\n", s->sum);
	return 0;
}
