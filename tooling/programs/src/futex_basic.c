/* futex: the value check, timeouts, waking counts, private futexes and errors (kernel/futex/waitwake.c). */
#include "rt.h"

static int word;
static int ready;
static int woken;

static int waiter(void *arg) {
	(void)arg;
	__atomic_fetch_add(&ready, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&word, __ATOMIC_SEQ_CST) == 0) futex_wait(&word, 0, -1);
	__atomic_fetch_add(&woken, 1, __ATOMIC_SEQ_CST);
	return 0;
}

int main(void) {
	int v = 5;
	expect("FUTEX_WAIT when the value differs", sys_futex(&v, FUTEX_WAIT, 6, 0), EAGAIN);
	long t0 = now_ms();
	expect("FUTEX_WAIT with a 30 ms timeout", futex_wait(&v, 5, 30), ETIMEDOUT);
	say("waited at least 30 ms: %s\n", yes(now_ms() - t0 >= 29));
	expect("FUTEX_WAKE with no waiters (returns 0)", futex_wake(&v, 1), 0);
	say("  woke %ld\n", futex_wake(&v, 1));
	struct timespec bad = {0, 1000000000};
	expect("a timeout with tv_nsec 1e9", sys_futex(&v, FUTEX_WAIT, 5, &bad), EINVAL);
	expect("an unaligned address", sys_futex((int *)((char *)&v + 1), FUTEX_WAIT, 5, 0), EINVAL);
	expect("an unmapped address", sys_futex((int *)8, FUTEX_WAIT, 5, 0), EFAULT);
	expect("an unknown op", sys_futex(&v, 99, 0, 0), ENOSYS);
	expect("FUTEX_WAIT|FUTEX_PRIVATE_FLAG, value differs", sys_futex(&v, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 1, 0), EAGAIN);
	/* three threads wait; waking 2 then 1 releases all */
	int tid[3];
	for (int i = 0; i < 3; i++) CHECK(thread_start(waiter, 0, &tid[i]) > 0);
	while (__atomic_load_n(&ready, __ATOMIC_SEQ_CST) < 3) sys_sched_yield();
	sleep_ms(50); /* let them reach FUTEX_WAIT */
	__atomic_store_n(&word, 1, __ATOMIC_SEQ_CST);
	long total = 0;
	while (__atomic_load_n(&woken, __ATOMIC_SEQ_CST) < 3) {
		total += futex_wake(&word, 2);
		sys_sched_yield();
	}
	for (int i = 0; i < 3; i++) thread_join(&tid[i]);
	say("three waiters released: %d; FUTEX_WAKE woke at most 3 in all: %s\n", woken, yes(total <= 3));
	/* a shared futex across fork in MAP_SHARED memory */
	int *sh = (int *)sys_mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long pid = sys_fork();
	if (pid == 0) {
		while (__atomic_load_n(sh, __ATOMIC_SEQ_CST) == 0) futex_wait(sh, 0, -1);
		sys_exit_group(*sh);
	}
	sleep_ms(20);
	__atomic_store_n(sh, 9, __ATOMIC_SEQ_CST);
	futex_wake(sh, 1);
	report_child("child woken through a shared futex", wait_status(pid));
	return 0;
}
