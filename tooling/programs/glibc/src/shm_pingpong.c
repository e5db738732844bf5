/*
 * Two processes bounce a counter through a POSIX shared-memory object
 * (shm_open + ftruncate + mmap MAP_SHARED), each sleeping on a futex in
 * the shared page until it is its turn.
 */
#include <fcntl.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 5

struct board {
	atomic_int turn; /* even: ping's turn, odd: pong's */
};

static void wait_turn(struct board *b, int want) {
	int t;
	while ((t = atomic_load(&b->turn)) != want) syscall(SYS_futex, &b->turn, FUTEX_WAIT, t, NULL, NULL, 0);
}

static void pass(struct board *b) {
	atomic_fetch_add(&b->turn, 1);
	syscall(SYS_futex, &b->turn, FUTEX_WAKE, 1, NULL, NULL, 0);
}

static struct board *open_board(int create) {
	int fd = shm_open("/tskern-glibc-shm_pingpong", O_RDWR | (create ? O_CREAT | O_EXCL : 0), 0600);
	if (fd < 0) { perror("shm_open"); exit(1); }
	if (create && ftruncate(fd, sizeof(struct board)) != 0) { perror("ftruncate"); exit(1); }
	void *p = mmap(NULL, sizeof(struct board), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) { perror("mmap"); exit(1); }
	close(fd);
	return p;
}

int main(void) {
	shm_unlink("/tskern-glibc-shm_pingpong");
	struct board *b = open_board(1);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		struct board *mine = open_board(0); /* its own mapping of the object, found by name */
		for (int i = 0; i < ROUNDS; i++) {
			wait_turn(mine, 2 * i + 1);
			printf("pong %d\n", i);
			fflush(stdout);
			pass(mine);
		}
		return 0;
	}
	for (int i = 0; i < ROUNDS; i++) {
		wait_turn(b, 2 * i);
		printf("ping %d\n", i);
		fflush(stdout);
		pass(b);
	}
	int status;
	waitpid(pid, &status, 0);
	printf("pong exited with %d; final turn %d\n", WEXITSTATUS(status), atomic_load(&b->turn));
	shm_unlink("/tskern-glibc-shm_pingpong");
	return 0;
}
