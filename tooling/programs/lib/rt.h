/*
 * The programs' whole runtime: system calls, constants, output and checks.
 * No libc: every wrapper is one system call and returns the kernel's raw
 * result (a negative errno on failure). Constants are the Linux UAPI values,
 * which riscv64 (asm-generic) and x86-64 share for everything used here;
 * where they differ (struct sigaction, clone's argument order) the wrapper
 * says so. System-call numbers come from the kernel headers (<asm/unistd.h>).
 */
#ifndef PROGRAMS_RT_H
#define PROGRAMS_RT_H

#include <asm/unistd.h>
#include <stdarg.h>
#include "arch.h"

typedef unsigned long size_t;
typedef long ssize_t;
typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long u64;
#define NULL ((void *)0)
#define PAGE 4096L

/* errno (include/uapi/asm-generic/errno-base.h, errno.h). */
#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define EINTR 4
#define EBADF 9
#define ECHILD 10
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define ENOTDIR 20
#define EISDIR 21
#define EINVAL 22
#define EMFILE 24
#define EFBIG 27
#define ESPIPE 29
#define EPIPE 32
#define ERANGE 34
#define EDEADLK 35
#define ENOSYS 38
#define ETIMEDOUT 110
#define EOPNOTSUPP 95
#define ENOEXEC 8
#define E2BIG 7
#define EOVERFLOW 75

/* open (include/uapi/asm-generic/fcntl.h). */
#define AT_FDCWD (-100)
#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_CREAT 0100
#define O_EXCL 0200
#define O_TRUNC 01000
#define O_APPEND 02000
#define O_NONBLOCK 04000
#define O_DIRECTORY 0200000
#define O_CLOEXEC 02000000
#define AT_REMOVEDIR 0x200
#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_GETLK 5
#define F_SETLK 6
#define F_SETLKW 7
#define F_DUPFD_CLOEXEC 1030
#define F_OFD_GETLK 36
#define F_OFD_SETLK 37
#define FD_CLOEXEC 1
#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
struct flock {
	short l_type, l_whence;
	long l_start, l_len;
	int l_pid;
};

/* mmap family (include/uapi/asm-generic/mman-common.h, linux/mman.h). */
#define PROT_NONE 0
#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4
#define MAP_SHARED 1
#define MAP_PRIVATE 2
#define MAP_SHARED_VALIDATE 3
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_NORESERVE 0x4000
#define MAP_POPULATE 0x8000
#define MAP_FIXED_NOREPLACE 0x100000
#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2
#define MREMAP_DONTUNMAP 4
#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4
#define MADV_NORMAL 0
#define MADV_WILLNEED 3
#define MADV_DONTNEED 4
#define MADV_REMOVE 9
#define MADV_DONTFORK 10
#define MADV_DOFORK 11
#define MADV_WIPEONFORK 18
#define MADV_KEEPONFORK 19
#define MCL_CURRENT 1
#define MCL_FUTURE 2
#define MAP_FAILED_P(r) ((unsigned long)(r) > -4096UL)

/* Processes, threads and futexes (linux/sched.h, linux/futex.h, linux/wait.h). */
#define CLONE_VM 0x100
#define CLONE_FS 0x200
#define CLONE_FILES 0x400
#define CLONE_SIGHAND 0x800
#define CLONE_THREAD 0x10000
#define CLONE_SYSVSEM 0x40000
#define CLONE_PARENT_SETTID 0x100000
#define CLONE_CHILD_CLEARTID 0x200000
#define CLONE_CHILD_SETTID 0x1000000
#define WNOHANG 1
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_PRIVATE_FLAG 128
#define W_EXITED(s) (((s) & 0x7f) == 0)
#define W_EXITSTATUS(s) (((s) >> 8) & 0xff)
#define W_SIGNALED(s) (((s) & 0x7f) != 0 && ((s) & 0x7f) != 0x7f)
#define W_TERMSIG(s) ((s) & 0x7f)

/* Signals (include/uapi/asm-generic/signal.h; x86-64 numbers the same). */
#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGRTMIN 32
#define SIG_DFL ((void *)0)
#define SIG_IGN ((void *)1)
#define SA_SIGINFO 4
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRERR 2
#define SI_USER 0
#define SI_TKILL (-6)
#define SIGBIT(s) (1UL << ((s) - 1))
#define ITIMER_REAL 0
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1

/* The 64-bit siginfo's first fields and the address of a fault (include/uapi/asm-generic/siginfo.h). */
typedef struct {
	int si_signo, si_errno, si_code, _pad;
	union {
		void *addr; /* SIGSEGV, SIGBUS */
		struct {
			int pid;
			unsigned uid;
		} kill; /* kill, tgkill */
	} f;
	char _rest[128 - 24];
} siginfo_t;
typedef void (*sighandler_t)(int, siginfo_t *, void *);

struct timespec {
	long tv_sec, tv_nsec;
};
struct itimerval {
	struct timespec_us {
		long tv_sec, tv_usec;
	} it_interval, it_value;
};
struct rlimit64 {
	u64 cur, max;
};
#define RLIM_INFINITY (~0UL)
#define RLIMIT_DATA 2
#define RLIMIT_STACK 3
#define RLIMIT_CORE 4
#define RLIMIT_NOFILE 7
#define RLIMIT_MEMLOCK 8
#define RLIMIT_AS 9

/* Auxiliary vector keys (include/uapi/linux/auxvec.h). */
#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_ENTRY 9
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_EXECFN 31

/* The process's start: set by _start before main (start.c). */
extern int g_argc;
extern char **g_argv;
extern char **g_envp;
extern unsigned long *g_auxv;
unsigned long getauxval(unsigned long key);
const char *getenv(const char *name);

/* One system call each; a negative result is -errno. */
#define sys_read(fd, b, n) SC3(__NR_read, fd, b, n)
#define sys_write(fd, b, n) SC3(__NR_write, fd, b, n)
#define sys_pread(fd, b, n, o) SC4(__NR_pread64, fd, b, n, o)
#define sys_pwrite(fd, b, n, o) SC4(__NR_pwrite64, fd, b, n, o)
#define sys_open(p, f, m) SC4(__NR_openat, AT_FDCWD, p, f, m)
#define sys_close(fd) SC1(__NR_close, fd)
#define sys_lseek(fd, o, w) SC3(__NR_lseek, fd, o, w)
#define sys_ftruncate(fd, n) SC2(__NR_ftruncate, fd, n)
#define sys_unlink(p) SC3(__NR_unlinkat, AT_FDCWD, p, 0)
#define sys_mkdir(p, m) SC3(__NR_mkdirat, AT_FDCWD, p, m)
#define sys_rmdir(p) SC3(__NR_unlinkat, AT_FDCWD, p, AT_REMOVEDIR)
#define sys_fchmod(fd, m) SC2(__NR_fchmod, fd, m)
#define sys_dup(fd) SC1(__NR_dup, fd)
#define sys_dup3(a, b, f) SC3(__NR_dup3, a, b, f)
#define sys_fcntl(fd, c, a) SC3(__NR_fcntl, fd, c, a)
#define sys_pipe2(p, f) SC2(__NR_pipe2, p, f)
#define sys_mmap(a, l, p, f, fd, o) SC6(__NR_mmap, a, l, p, f, fd, o)
#define sys_munmap(a, l) SC2(__NR_munmap, a, l)
#define sys_mprotect(a, l, p) SC3(__NR_mprotect, a, l, p)
#define sys_mremap(a, ol, nl, f, na) SC5(__NR_mremap, a, ol, nl, f, na)
#define sys_msync(a, l, f) SC3(__NR_msync, a, l, f)
#define sys_mincore(a, l, v) SC3(__NR_mincore, a, l, v)
#define sys_madvise(a, l, adv) SC3(__NR_madvise, a, l, adv)
#define sys_mlock(a, l) SC2(__NR_mlock, a, l)
#define sys_munlock(a, l) SC2(__NR_munlock, a, l)
#define sys_mlockall(f) SC1(__NR_mlockall, f)
#define sys_munlockall() SC0(__NR_munlockall)
#define sys_brk(a) SC1(__NR_brk, a)
#define sys_getpid() SC0(__NR_getpid)
#define sys_getppid() SC0(__NR_getppid)
#define sys_gettid() SC0(__NR_gettid)
#define sys_getuid() SC0(__NR_getuid)
#define sys_geteuid() SC0(__NR_geteuid)
#define sys_getgid() SC0(__NR_getgid)
#define sys_getegid() SC0(__NR_getegid)
#define sys_kill(p, s) SC2(__NR_kill, p, s)
#define sys_tgkill(g, t, s) SC3(__NR_tgkill, g, t, s)
#define sys_wait4(p, st, o) SC4(__NR_wait4, p, st, o, 0)
#define sys_execve(p, a, e) SC3(__NR_execve, p, a, e)
#define sys_sigprocmask(how, set, old) SC4(__NR_rt_sigprocmask, how, set, old, 8)
#define sys_sigpending(set) SC2(__NR_rt_sigpending, set, 8)
#define sys_sigsuspend(set) SC2(__NR_rt_sigsuspend, set, 8)
#define sys_setitimer(w, n, o) SC3(__NR_setitimer, w, n, o)
#define sys_nanosleep(r, rem) SC2(__NR_nanosleep, r, rem)
#define sys_clock_gettime(c, t) SC2(__NR_clock_gettime, c, t)
#define sys_getrandom(b, n, f) SC3(__NR_getrandom, b, n, f)
#define sys_futex(u, op, v, t) SC6(__NR_futex, u, op, v, t, 0, 0)
#define sys_prlimit(pid, r, n, o) SC4(__NR_prlimit64, pid, r, n, o)
#define sys_set_tid_address(p) SC1(__NR_set_tid_address, p)
#define sys_sched_yield() SC0(__NR_sched_yield)
#define sys_sigaltstack(n, o) SC2(__NR_sigaltstack, n, o)
#define sys_readlink(p, b, n) SC4(__NR_readlinkat, AT_FDCWD, p, b, n)

/* fork: clone(SIGCHLD) with no new stack, so the child returns here on a copy of it. */
static inline long sys_fork(void) { return SC5(__NR_clone, SIGCHLD, 0, 0, 0, 0); }
__attribute__((noreturn)) void sys_exit_group(int code);
__attribute__((noreturn)) void sys_exit_thread(int code);

/* Signals (sig.c): struct sigaction differs per architecture, these hide it. */
long sig_action(int sig, sighandler_t handler, unsigned long flags, unsigned long mask);
long sig_action_plain(int sig, sighandler_t handler, unsigned long flags);
long sig_set_ignored(int sig);
long sig_set_default(int sig);
long sig_get_handler(int sig, void **handler, unsigned long *flags);
long sig_block(unsigned long set);
long sig_unblock(unsigned long set);
unsigned long sig_mask(void);
long set_timer_ms(long ms);

/* Threads (thread.c): a raw clone on a new stack that calls fn(arg), then exits the thread with its result. */
long thread_spawn(int (*fn)(void *), void *arg, void *stack_top, unsigned long flags, int *tid);
long thread_start(int (*fn)(void *), void *arg, int *tid); /* CLONE_THREAD set, 64 KiB mmap'd stack */
void thread_join(int *tid);
long futex_wait(int *uaddr, int val, long timeout_ms);
long futex_wake(int *uaddr, int n);

/* Output (out.c): one write(2) per call, so lines of cooperating processes never mix. */
void say(const char *fmt, ...);
void vsay_to(int fd, const char *fmt, va_list ap);
void fail_at(const char *file, int line, const char *what);
const char *err(long r); /* "ok" for r >= 0, else the errno's name, e.g. "EINVAL" */
const char *yes(long b); /* "yes" / "no" */
#define CHECK(c)                                           \
	do {                                               \
		if (!(c)) fail_at(__FILE__, __LINE__, #c); \
	} while (0)
/* Prints "what: NAME" and checks it is the expected result (0 means success). */
void expect(const char *what, long r, int want_errno);

/* Strings and memory (str.c); gcc may call memcpy/memset itself. */
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strcpy2(char *d, const char *a, const char *b); /* d = a + b */

/* Helpers (util.c). */
void *map_anon(size_t len, int prot); /* private anonymous; fails the program if the kernel refuses */
int wait_status(long pid);           /* wait4 for that child; the raw status */
void report_child(const char *what, int status); /* "what: exit N" or "what: signal NAME" */
const char *signame(int sig);
long read_all(const char *path, char *buf, size_t cap); /* the file's bytes, NUL-terminated */
int maps_count(void);                                    /* lines of /proc/self/maps */
int maps_find(void *addr, char *line, size_t cap);        /* the /proc/self/maps line holding addr */
int resident(void *addr, size_t pages);                   /* mincore: how many of the pages are resident */
void tmp_path(char *out, const char *dir, const char *suffix); /* dir/tskern-PROGRAM[-suffix] */
int open_tmp(const char *dir, const char *suffix, char *path_out); /* create+truncate, O_RDWR */
void sleep_ms(long ms);
long now_ms(void);
extern const char *g_prog; /* the program's name (its source file's) */

#endif
