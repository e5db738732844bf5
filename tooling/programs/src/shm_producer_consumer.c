/*
 * A bounded ring buffer in a /dev/shm object shared by a producer and a
 * consumer process, each blocking on a futex when the ring is full or
 * empty. 5000 numbers go through an 8-slot ring; the consumer reports the
 * count and sum, which only an exact hand-over gives.
 */
#include "rt.h"

#define SLOTS 8
#define ITEMS 5000

struct ring {
	int head, tail; /* futex words: head = items produced, tail = items consumed */
	int slot[SLOTS];
	long sum;
	int count, waits;
};

int main(void) {
	char path[128];
	int fd = open_tmp("/dev/shm", "", path);
	CHECK(sys_ftruncate(fd, PAGE) == 0);
	struct ring *r = (struct ring *)sys_mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(!MAP_FAILED_P(r));
	long pid = sys_fork();
	if (pid == 0) { /* consumer */
		for (int i = 0; i < ITEMS; i++) {
			int h;
			while ((h = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE)) == i) futex_wait(&r->head, h, -1);
			r->sum += r->slot[i % SLOTS];
			r->count++;
			__atomic_store_n(&r->tail, i + 1, __ATOMIC_RELEASE);
			futex_wake(&r->tail, 1);
		}
		sys_exit_group(0);
	}
	for (int i = 0; i < ITEMS; i++) { /* producer */
		int t;
		while ((t = __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE)) + SLOTS == i) futex_wait(&r->tail, t, -1);
		r->slot[i % SLOTS] = i + 1;
		__atomic_store_n(&r->head, i + 1, __ATOMIC_RELEASE);
		futex_wake(&r->head, 1);
	}
	report_child("consumer", wait_status(pid));
	say("consumed %d items, sum %ld (expected %ld)\n", r->count, r->sum, (long)ITEMS * (ITEMS + 1) / 2);
	CHECK(r->sum == (long)ITEMS * (ITEMS + 1) / 2);
	/* the producer's file sees it all: the object is the file's page */
	long sum = 0;
	CHECK(sys_pread(fd, &sum, sizeof sum, (long)&((struct ring *)0)->sum) == sizeof sum);
	say("read(2) of the object gives the same sum: %s\n", yes(sum == r->sum));
	CHECK(sys_unlink(path) == 0);
	return 0;
}
