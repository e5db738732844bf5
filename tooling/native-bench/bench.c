/*
 * native-bench: the Linux side of `pnpm bench` (apps/bench).
 *
 *   bench CASE ITERS MIN_BATCHES MAX_BATCHES [PARAM [BUDGET_MS [TOLERANCE]]]
 *
 * runs one case the way apps/bench runs it on tskern (same operations, same
 * iterations per batch, same batch rule as apps/bench/src/timing.ts: one
 * warm-up batch, then at least MIN_BATCHES batches, more until the
 * interquartile spread is within TOLERANCE (default 0.03) of the median,
 * MAX_BATCHES ran or the batches took BUDGET_MS (default 1200)) and prints one
 * JSON object on stdout:
 *
 *   {"case":"mmap_munmap","param":0,"iters":4096,"batches":7,"nsPerOp":812.4,"spread":0.013}
 *
 * Memory cases print {"case":...,"bytesPerUnit":...,"min":...,"max":...,"runs":5}
 * instead (the median of the runs and their range). Built by
 * apps/bench with `gcc -O2` into build/ (gitignored).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096L
#define MAX_B 64

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void die(const char *what) {
  fprintf(stderr, "native-bench: %s: %s\n", what, strerror(errno));
  exit(2);
}

/* Keep the compiler from dropping stores and copies whose results nobody reads. */
static inline void clobber(void *p) { __asm__ volatile("" : : "r"(p) : "memory"); }

/* ---- the batch rule (the same as apps/bench/src/timing.ts) ---- */

typedef double (*batch_fn)(long iters, long param); /* returns elapsed ns */

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double quantile(const double *sorted, int n, double q) {
  double pos = q * (n - 1);
  int lo = (int)pos;
  int hi = lo + 1 < n ? lo + 1 : lo;
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

static double budget_ns = 1200e6;
static double tolerance = 0.03;

static void run_timed(const char *name, batch_fn fn, long iters, int min_b, int max_b, long param) {
  double per_op[MAX_B], sorted[MAX_B];
  double med = 0, spread = 0, total = 0;
  int n = 0;
  if (max_b > MAX_B) max_b = MAX_B;
  if (min_b > max_b) min_b = max_b;
  fn(iters, param); /* warm-up */
  while (n < max_b) {
    double t = fn(iters, param);
    total += t;
    per_op[n] = t / (double)iters;
    n++;
    memcpy(sorted, per_op, sizeof(double) * n);
    qsort(sorted, n, sizeof(double), cmp_double);
    med = quantile(sorted, n, 0.5);
    spread = med > 0 ? (quantile(sorted, n, 0.75) - quantile(sorted, n, 0.25)) / med : 0;
    if (n >= min_b && (spread <= tolerance || total >= budget_ns)) break;
  }
  printf("{\"case\":\"%s\",\"param\":%ld,\"iters\":%ld,\"batches\":%d,\"nsPerOp\":%.3f,\"spread\":%.4f}\n", name, param,
         iters, n, med, spread);
}

/* ---- helpers ---- */

/*
 * N mappings that cannot merge: one region of N pages, PROT_READ and
 * PROT_NONE alternating (the 4 KiB read-write mappings the cases make next to
 * it never merge with them either). Returns the region.
 */
static char *make_mappings(long n) {
  if (n <= 0) return NULL;
  char *p = mmap(NULL, n * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) die("mmap region");
  for (long i = 1; i < n; i += 2)
    if (mprotect(p + i * PAGE, PAGE, PROT_NONE) != 0) die("mprotect region");
  return p;
}

static void shm_name(char *buf, size_t size, const char *what) {
  snprintf(buf, size, "/tskern-bench-%s-%ld", what, (long)getpid());
}

/* ---- cases: each returns the elapsed ns of `iters` operations ---- */

static double b_mmap_munmap(long iters, long touch) {
  double t0 = now_ns();
  for (long i = 0; i < iters; i++) {
    char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) die("mmap");
    if (touch) *(volatile char *)p = 1;
    if (munmap(p, PAGE) != 0) die("munmap");
  }
  return now_ns() - t0;
}

static double b_mmap_scale(long iters, long n) {
  (void)n; /* the n mappings were made before */
  return b_mmap_munmap(iters, 0);
}

static char *three_pages;
static double b_mprotect(long iters, long param) {
  (void)param;
  char *mid = three_pages + PAGE;
  double t0 = now_ns();
  for (long i = 0; i < iters; i++) {
    if (mprotect(mid, PAGE, PROT_READ) != 0) die("mprotect split");
    if (mprotect(mid, PAGE, PROT_READ | PROT_WRITE) != 0) die("mprotect merge");
  }
  return now_ns() - t0;
}

static double b_shm_cycle(long iters, long param) {
  (void)param;
  char name[64];
  shm_name(name, sizeof name, "cycle");
  double t0 = now_ns();
  for (long i = 0; i < iters; i++) {
    int fd = shm_open(name, O_RDWR | O_CREAT, 0600); /* glibc adds O_NOFOLLOW | O_CLOEXEC */
    if (fd < 0) die("shm_open");
    if (ftruncate(fd, PAGE) != 0) die("ftruncate");
    char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) die("mmap shm");
    *(volatile char *)p = 1;
    if (munmap(p, PAGE) != 0) die("munmap shm");
    if (close(fd) != 0) die("close");
    if (shm_unlink(name) != 0) die("shm_unlink");
  }
  return now_ns() - t0;
}

static int io_fd = -1;
static char *io_buf;
static double b_pwrite(long iters, long size) {
  double t0 = now_ns();
  for (long i = 0; i < iters; i++)
    if (pwrite(io_fd, io_buf, size, 0) != size) die("pwrite");
  return now_ns() - t0;
}
static double b_pread(long iters, long size) {
  double t0 = now_ns();
  for (long i = 0; i < iters; i++)
    if (pread(io_fd, io_buf, size, 0) != size) die("pread");
  return now_ns() - t0;
}
static void io_setup(long size) {
  char name[64];
  shm_name(name, sizeof name, "io");
  io_fd = shm_open(name, O_RDWR | O_CREAT, 0600);
  if (io_fd < 0) die("shm_open io");
  shm_unlink(name);
  if (ftruncate(io_fd, size) != 0) die("ftruncate io");
  io_buf = malloc(size);
  if (io_buf == NULL) die("malloc");
  memset(io_buf, 7, size);
  if (pwrite(io_fd, io_buf, size, 0) != size) die("pwrite io");
}

static char *copy_src, *copy_dst;
static double b_memcpy(long iters, long size) {
  double t0 = now_ns();
  for (long i = 0; i < iters; i++) {
    memcpy(copy_dst, copy_src, size);
    clobber(copy_dst);
  }
  return now_ns() - t0;
}

static double b_fork(long iters, long param) {
  (void)param;
  double t0 = now_ns();
  for (long i = 0; i < iters; i++) {
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) _exit(0);
    int status;
    if (waitpid(pid, &status, 0) != pid) die("waitpid");
  }
  return now_ns() - t0;
}

/*
 * Teardown: per iteration (untimed) fork a child that maps one page of a shm
 * object N times (one-page mappings of offset 0 never merge) and says so on a
 * pipe. Timed: telling it to go, its _exit and the waitpid, as
 * apps/bench/src/cases/teardown.ts times exit_group and wait4.
 */
static int teardown_fd = -1;
static double b_exit_shm(long iters, long n) {
  double t = 0;
  for (long i = 0; i < iters; i++) {
    int ready[2], go[2];
    if (pipe(ready) != 0 || pipe(go) != 0) die("pipe");
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
      char c = 1;
      for (long m = 0; m < n; m++)
        if (mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, teardown_fd, 0) == MAP_FAILED) die("mmap exit_shm");
      if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1) _exit(3);
      _exit(0);
    }
    char c = 0;
    if (read(ready[0], &c, 1) != 1) die("read ready");
    double t0 = now_ns();
    if (write(go[1], &c, 1) != 1) die("write go");
    int status;
    if (waitpid(pid, &status, 0) != pid) die("waitpid exit_shm");
    t += now_ns() - t0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      errno = 0;
      die("child of exit_shm failed");
    }
    close(ready[0]), close(ready[1]), close(go[0]), close(go[1]);
  }
  return t;
}

/*
 * First touch: per round a fresh mapping of `pages` pages, one store per page
 * (only the stores are timed), then munmap; `iters` pages in all.
 */
static double b_touch(long iters, long pages) {
  double t = 0;
  for (long round = 0; round < iters / pages; round++) {
    char *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) die("mmap touch");
    madvise(p, pages * PAGE, MADV_NOHUGEPAGE); /* 4 KiB page faults, as tskern */
    double t0 = now_ns();
    for (long i = 0; i < pages; i++) *(volatile char *)(p + i * PAGE) = 1;
    t += now_ns() - t0;
    munmap(p, pages * PAGE);
  }
  return t;
}

/*
 * COW: per round `pages` resident pages, fork (the child waits on a pipe),
 * then the parent writes one byte per page (each a copy-on-write fault,
 * timed); the child exits and is reaped. `iters` pages in all.
 */
static double b_cow(long iters, long pages) {
  double t = 0;
  for (long round = 0; round < iters / pages; round++) {
    char *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) die("mmap cow");
    madvise(p, pages * PAGE, MADV_NOHUGEPAGE);
    for (long i = 0; i < pages; i++) p[i * PAGE] = 1;
    int fds[2];
    if (pipe(fds) != 0) die("pipe");
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
      char c;
      close(fds[1]);
      while (read(fds[0], &c, 1) > 0) {
      }
      _exit(0);
    }
    close(fds[0]);
    double t0 = now_ns();
    for (long i = 0; i < pages; i++) *(volatile char *)(p + i * PAGE) = 2;
    t += now_ns() - t0;
    close(fds[1]);
    int status;
    if (waitpid(pid, &status, 0) != pid) die("waitpid cow");
    munmap(p, pages * PAGE);
  }
  return t;
}

/* ---- memory: kernel bytes per mapping (slab objects) and per resident page (page tables) ---- */

/* Bytes of active objects of the slab caches holding VMAs and the maple tree, from /proc/slabinfo (-1 if unreadable). */
static double vma_slab_bytes(void) {
  FILE *f = fopen("/proc/slabinfo", "r");
  if (f == NULL) return -1;
  char line[512];
  double total = 0;
  int found = 0;
  while (fgets(line, sizeof line, f) != NULL) {
    char name[64];
    long active, num, objsize;
    if (sscanf(line, "%63s %ld %ld %ld", name, &active, &num, &objsize) != 4) continue;
    if (strcmp(name, "vm_area_struct") == 0 || strcmp(name, "maple_node") == 0) {
      total += (double)active * (double)objsize;
      found++;
    }
  }
  fclose(f);
  return found == 2 ? total : -1;
}

/* This process's page-table bytes (VmPTE in /proc/self/status, exact: mm->pgtables_bytes). */
static double vm_pte_bytes(void) {
  FILE *f = fopen("/proc/self/status", "r");
  if (f == NULL) die("/proc/self/status");
  char line[256];
  double kb = -1;
  while (fgets(line, sizeof line, f) != NULL)
    if (strncmp(line, "VmPTE:", 6) == 0) kb = strtod(line + 6, NULL);
  fclose(f);
  return kb * 1024.0;
}

#define MEM_RUNS 5

/* Print a memory case: the median of the runs and their range (negative runs, slab noise, included as measured). */
static void print_mem(const char *name, long param, double *r) {
  qsort(r, MEM_RUNS, sizeof(double), cmp_double);
  printf("{\"case\":\"%s\",\"param\":%ld,\"bytesPerUnit\":%.1f,\"min\":%.1f,\"max\":%.1f,\"runs\":%d}\n", name, param,
         r[MEM_RUNS / 2], r[0], r[MEM_RUNS - 1], MEM_RUNS);
}

/*
 * Growth of the vm_area_struct and maple_node slabs (active objects times
 * object size) per mapping, over `n` mappings; median of 5. System-wide, so
 * other processes add noise.
 */
static void mem_per_mapping(long n) {
  double r[MEM_RUNS];
  for (int k = 0; k < MEM_RUNS; k++) {
    double before = vma_slab_bytes();
    char *p = make_mappings(n);
    double after = vma_slab_bytes();
    r[k] = before < 0 || after < 0 ? -1 : (after - before) / (double)n;
    munmap(p, n * PAGE);
  }
  print_mem("mem_per_mapping", n, r);
}

/* Page-table growth per resident page over `pages` touched pages, plus 64 bytes of struct page; median of 5. */
static void mem_per_page(long pages) {
  double r[MEM_RUNS];
  for (int k = 0; k < MEM_RUNS; k++) {
    char *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) die("mmap mem");
    madvise(p, pages * PAGE, MADV_NOHUGEPAGE);
    double before = vm_pte_bytes();
    for (long i = 0; i < pages; i++) p[i * PAGE] = 1;
    double after = vm_pte_bytes();
    r[k] = (after - before) / (double)pages + 64.0;
    munmap(p, pages * PAGE);
  }
  print_mem("mem_per_page", pages, r);
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: bench CASE ITERS MIN_BATCHES MAX_BATCHES [PARAM [BUDGET_MS [TOLERANCE]]]\n");
    return 2;
  }
  const char *c = argv[1];
  long iters = atol(argv[2]);
  int min_b = atoi(argv[3]), max_b = atoi(argv[4]);
  long param = argc > 5 ? atol(argv[5]) : 0;
  if (argc > 6) budget_ns = atof(argv[6]) * 1e6;
  if (argc > 7) tolerance = atof(argv[7]);
  if (iters <= 0) iters = 1;

  if (strcmp(c, "mmap_munmap") == 0) {
    run_timed(c, b_mmap_munmap, iters, min_b, max_b, 0);
  } else if (strcmp(c, "mmap_touch_munmap") == 0) {
    run_timed(c, b_mmap_munmap, iters, min_b, max_b, 1);
  } else if (strcmp(c, "mprotect_split_merge") == 0) {
    three_pages = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (three_pages == MAP_FAILED) die("mmap 3 pages");
    run_timed(c, b_mprotect, iters, min_b, max_b, 0);
  } else if (strcmp(c, "shm_cycle") == 0) {
    run_timed(c, b_shm_cycle, iters, min_b, max_b, 0);
  } else if (strcmp(c, "pwrite") == 0 || strcmp(c, "pread") == 0) {
    io_setup(param);
    run_timed(c, c[1] == 'w' ? b_pwrite : b_pread, iters, min_b, max_b, param);
  } else if (strcmp(c, "memcpy") == 0) {
    copy_src = malloc(param);
    copy_dst = malloc(param);
    if (copy_src == NULL || copy_dst == NULL) die("malloc");
    memset(copy_src, 7, param);
    memset(copy_dst, 0, param);
    run_timed(c, b_memcpy, iters, min_b, max_b, param);
  } else if (strcmp(c, "fork") == 0) {
    make_mappings(param);
    run_timed(c, b_fork, iters, min_b, max_b, param);
  } else if (strcmp(c, "mmap_scale") == 0) {
    make_mappings(param);
    run_timed(c, b_mmap_scale, iters, min_b, max_b, param);
  } else if (strcmp(c, "exit_shm") == 0) {
    char name[64];
    shm_name(name, sizeof name, "teardown");
    teardown_fd = shm_open(name, O_RDWR | O_CREAT, 0600);
    if (teardown_fd < 0) die("shm_open teardown");
    shm_unlink(name);
    if (ftruncate(teardown_fd, PAGE) != 0) die("ftruncate teardown");
    run_timed(c, b_exit_shm, iters, min_b, max_b, param);
  } else if (strcmp(c, "touch") == 0) {
    if (param <= 0) param = iters;
    run_timed(c, b_touch, iters, min_b, max_b, param);
  } else if (strcmp(c, "cow") == 0) {
    if (param <= 0) param = iters;
    run_timed(c, b_cow, iters, min_b, max_b, param);
  } else if (strcmp(c, "mem_per_mapping") == 0) {
    mem_per_mapping(param);
  } else if (strcmp(c, "mem_per_page") == 0) {
    mem_per_page(param);
  } else {
    fprintf(stderr, "native-bench: unknown case %s\n", c);
    return 2;
  }
  return 0;
}
