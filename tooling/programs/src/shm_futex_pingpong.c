/*
 * POSIX shared memory the way shm_open does it (open under /dev/shm,
 * ftruncate, mmap MAP_SHARED): two processes that opened the object by
 * name bounce a counter 200 times, each waiting on a futex in the shared
 * page for its turn (shared futexes key on the page: kernel/futex/core.c).
 */
#include "rt.h"

#define ROUNDS 200

struct shared {
	int turn; /* the futex: odd = child's turn, even = parent's */
	int parent_seen, child_seen;
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

static void play(struct shared *s, int me) {
	for (int i = 0; i < ROUNDS; i++) {
		int want = 2 * i + me;
		int t;
		while ((t = __atomic_load_n(&s->turn, __ATOMIC_ACQUIRE)) != want) futex_wait(&s->turn, t, -1);
		if (me) s->child_seen++;
		else s->parent_seen++;
		__atomic_store_n(&s->turn, want + 1, __ATOMIC_RELEASE);
		futex_wake(&s->turn, 1);
	}
}

int main(void) {
	char path[128];
	tmp_path(path, "/dev/shm", "");
	sys_unlink(path);
	struct shared *s = open_shared(path, 1);
	long pid = sys_fork();
	if (pid == 0) {
		/* a second, independent mapping of the object, as another process's shm_open would give */
		struct shared *c = open_shared(path, 0);
		play(c, 1);
		sys_exit_group(0);
	}
	play(s, 0);
	report_child("child", wait_status(pid));
	say("rounds: parent %d, child %d, final turn %d\n", s->parent_seen, s->child_seen, s->turn);
	expect("shm_unlink", sys_unlink(path), 0);
	expect("opening it again by name", sys_open(path, O_RDWR, 0), ENOENT);
	say("the mapping outlives the name: %d\n", s->turn);
	return 0;
}
