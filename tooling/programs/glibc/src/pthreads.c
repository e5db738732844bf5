/* glibc threads: four pthreads sum a shared array under a mutex, a condition variable hands out work, join collects. */
#include <pthread.h>
#include <stdio.h>

#define THREADS 4
#define N 100000

static long total;
static int next_chunk;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t started = PTHREAD_COND_INITIALIZER;
static int running;

static void *work(void *arg) {
	long id = (long)arg;
	pthread_mutex_lock(&lock);
	running++;
	pthread_cond_broadcast(&started);
	while (running < THREADS) pthread_cond_wait(&started, &lock);
	pthread_mutex_unlock(&lock);
	long mine = 0;
	for (;;) {
		pthread_mutex_lock(&lock);
		int c = next_chunk++;
		pthread_mutex_unlock(&lock);
		if (c >= 100) break;
		for (long i = c * (N / 100) + 1; i <= (c + 1) * (N / 100); i++) mine += i;
	}
	pthread_mutex_lock(&lock);
	total += mine;
	pthread_mutex_unlock(&lock);
	return (void *)(id * 10);
}

int main(void) {
	pthread_t t[THREADS];
	for (long i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, work, (void *)i);
	long sum_of_results = 0;
	for (int i = 0; i < THREADS; i++) {
		void *r;
		pthread_join(t[i], &r);
		sum_of_results += (long)r;
	}
	printf("all %d threads started before any worked\n", THREADS);
	printf("sum 1..%d = %ld (expected %ld)\n", N, total, (long)N * (N + 1) / 2);
	printf("thread results add up to %ld\n", sum_of_results);
	return total == (long)N * (N + 1) / 2 ? 0 : 1;
}
