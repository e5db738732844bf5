/* names.c — the symbolic names the scenario format accepts, with their Linux
 * x86-64 values. The values are written out literally because they are part
 * of the contract with the TypeScript side (which has no C headers to ask);
 * the static assertions below check them against this host's headers. */
#define _GNU_SOURCE
#include "names.h"
#include "lexer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct flagname {
	const char *name;
	enum family fam;
	uint64_t value;
};

static const struct flagname flagnames[] = {
	{"PROT_NONE", FAM_PROT, 0x0},
	{"PROT_READ", FAM_PROT, 0x1},
	{"PROT_WRITE", FAM_PROT, 0x2},
	{"PROT_EXEC", FAM_PROT, 0x4},
	{"PROT_SEM", FAM_PROT, 0x8},
	{"PROT_GROWSDOWN", FAM_PROT, 0x01000000},
	{"PROT_GROWSUP", FAM_PROT, 0x02000000},

	{"MAP_FILE", FAM_MAP, 0x0},
	{"MAP_SHARED", FAM_MAP, 0x01},
	{"MAP_PRIVATE", FAM_MAP, 0x02},
	{"MAP_SHARED_VALIDATE", FAM_MAP, 0x03},
	{"MAP_DROPPABLE", FAM_MAP, 0x08},
	{"MAP_FIXED", FAM_MAP, LR_MAP_FIXED},
	{"MAP_ANONYMOUS", FAM_MAP, 0x20},
	{"MAP_ANON", FAM_MAP, 0x20},
	{"MAP_32BIT", FAM_MAP, 0x40},
	{"MAP_GROWSDOWN", FAM_MAP, 0x100},
	{"MAP_DENYWRITE", FAM_MAP, 0x800},
	{"MAP_EXECUTABLE", FAM_MAP, 0x1000},
	{"MAP_LOCKED", FAM_MAP, 0x2000},
	{"MAP_NORESERVE", FAM_MAP, 0x4000},
	{"MAP_POPULATE", FAM_MAP, 0x8000},
	{"MAP_NONBLOCK", FAM_MAP, 0x10000},
	{"MAP_STACK", FAM_MAP, 0x20000},
	{"MAP_HUGETLB", FAM_MAP, 0x40000},
	{"MAP_SYNC", FAM_MAP, 0x80000},
	{"MAP_FIXED_NOREPLACE", FAM_MAP, LR_MAP_FIXED_NOREPLACE},
	{"MAP_UNINITIALIZED", FAM_MAP, 0x4000000},

	/* Octal, as in <asm-generic/fcntl.h>. O_LARGEFILE is the kernel's value
	 * (glibc defines it as 0 on x86-64; the kernel forces it on anyway). */
	{"O_RDONLY", FAM_O, 00},
	{"O_WRONLY", FAM_O, 01},
	{"O_RDWR", FAM_O, 02},
	{"O_CREAT", FAM_O, 0100},
	{"O_EXCL", FAM_O, 0200},
	{"O_NOCTTY", FAM_O, 0400},
	{"O_TRUNC", FAM_O, 01000},
	{"O_APPEND", FAM_O, 02000},
	{"O_NONBLOCK", FAM_O, 04000},
	{"O_NDELAY", FAM_O, 04000},
	{"O_DSYNC", FAM_O, 010000},
	{"O_ASYNC", FAM_O, 020000},
	{"O_DIRECT", FAM_O, 040000},
	{"O_LARGEFILE", FAM_O, 0100000},
	{"O_DIRECTORY", FAM_O, 0200000},
	{"O_NOFOLLOW", FAM_O, 0400000},
	{"O_NOATIME", FAM_O, 01000000},
	{"O_CLOEXEC", FAM_O, 02000000},
	{"O_SYNC", FAM_O, 04010000},
	{"O_RSYNC", FAM_O, 04010000},
	{"O_PATH", FAM_O, 010000000},
	{"O_TMPFILE", FAM_O, 020200000},

	{"MS_ASYNC", FAM_MS, 1},
	{"MS_INVALIDATE", FAM_MS, 2},
	{"MS_SYNC", FAM_MS, 4},

	{"MREMAP_MAYMOVE", FAM_MREMAP, 1},
	{"MREMAP_FIXED", FAM_MREMAP, 2},
	{"MREMAP_DONTUNMAP", FAM_MREMAP, 4},

	{"MADV_NORMAL", FAM_MADV, 0},
	{"MADV_RANDOM", FAM_MADV, 1},
	{"MADV_SEQUENTIAL", FAM_MADV, 2},
	{"MADV_WILLNEED", FAM_MADV, 3},
	{"MADV_DONTNEED", FAM_MADV, 4},
	{"MADV_FREE", FAM_MADV, 8},
	{"MADV_REMOVE", FAM_MADV, 9},
	{"MADV_DONTFORK", FAM_MADV, 10},
	{"MADV_DOFORK", FAM_MADV, 11},
	{"MADV_MERGEABLE", FAM_MADV, 12},
	{"MADV_UNMERGEABLE", FAM_MADV, 13},
	{"MADV_HUGEPAGE", FAM_MADV, 14},
	{"MADV_NOHUGEPAGE", FAM_MADV, 15},
	{"MADV_DONTDUMP", FAM_MADV, 16},
	{"MADV_DODUMP", FAM_MADV, 17},
	{"MADV_WIPEONFORK", FAM_MADV, 18},
	{"MADV_KEEPONFORK", FAM_MADV, 19},
	{"MADV_COLD", FAM_MADV, 20},
	{"MADV_PAGEOUT", FAM_MADV, 21},
	{"MADV_POPULATE_READ", FAM_MADV, 22},
	{"MADV_POPULATE_WRITE", FAM_MADV, 23},
	{"MADV_DONTNEED_LOCKED", FAM_MADV, 24},
	{"MADV_COLLAPSE", FAM_MADV, 25},
	{"MADV_HWPOISON", FAM_MADV, 100},
	{"MADV_SOFT_OFFLINE", FAM_MADV, 101},
	{"MADV_GUARD_INSTALL", FAM_MADV, 102},
	{"MADV_GUARD_REMOVE", FAM_MADV, 103},

	{"SEEK_SET", FAM_SEEK, 0},
	{"SEEK_CUR", FAM_SEEK, 1},
	{"SEEK_END", FAM_SEEK, 2},
	{"SEEK_DATA", FAM_SEEK, 3},
	{"SEEK_HOLE", FAM_SEEK, 4},

	/* The spec accepts every S_I* name in MODE, file-type bits included. */
	{"S_IFMT", FAM_MODE, 0170000},
	{"S_IFSOCK", FAM_MODE, 0140000},
	{"S_IFLNK", FAM_MODE, 0120000},
	{"S_IFREG", FAM_MODE, 0100000},
	{"S_IFBLK", FAM_MODE, 060000},
	{"S_IFDIR", FAM_MODE, 040000},
	{"S_IFCHR", FAM_MODE, 020000},
	{"S_IFIFO", FAM_MODE, 010000},
	{"S_IRWXU", FAM_MODE, 0700},
	{"S_IRUSR", FAM_MODE, 0400},
	{"S_IWUSR", FAM_MODE, 0200},
	{"S_IXUSR", FAM_MODE, 0100},
	{"S_IRWXG", FAM_MODE, 070},
	{"S_IRGRP", FAM_MODE, 040},
	{"S_IWGRP", FAM_MODE, 020},
	{"S_IXGRP", FAM_MODE, 010},
	{"S_IRWXO", FAM_MODE, 07},
	{"S_IROTH", FAM_MODE, 04},
	{"S_IWOTH", FAM_MODE, 02},
	{"S_IXOTH", FAM_MODE, 01},
	{"S_ISUID", FAM_MODE, 04000},
	{"S_ISGID", FAM_MODE, 02000},
	{"S_ISVTX", FAM_MODE, 01000},
	{"S_IREAD", FAM_MODE, 0400},
	{"S_IWRITE", FAM_MODE, 0200},
	{"S_IEXEC", FAM_MODE, 0100},
};

/* The literal values above must agree with the host's headers wherever
 * glibc defines the name (a typo in the table would poison every golden). */
#define SAME(macro, value) _Static_assert((macro) == (value), #macro)
SAME(PROT_READ, 0x1); SAME(PROT_WRITE, 0x2); SAME(PROT_EXEC, 0x4);
SAME(PROT_GROWSDOWN, 0x01000000); SAME(PROT_GROWSUP, 0x02000000);
SAME(MAP_SHARED, 0x01); SAME(MAP_PRIVATE, 0x02); SAME(MAP_SHARED_VALIDATE, 0x03);
SAME(MAP_FIXED, LR_MAP_FIXED); SAME(MAP_ANONYMOUS, 0x20); SAME(MAP_32BIT, 0x40);
SAME(MAP_GROWSDOWN, 0x100); SAME(MAP_DENYWRITE, 0x800); SAME(MAP_EXECUTABLE, 0x1000);
SAME(MAP_LOCKED, 0x2000); SAME(MAP_NORESERVE, 0x4000); SAME(MAP_POPULATE, 0x8000);
SAME(MAP_NONBLOCK, 0x10000); SAME(MAP_STACK, 0x20000); SAME(MAP_HUGETLB, 0x40000);
SAME(MAP_SYNC, 0x80000); SAME(MAP_FIXED_NOREPLACE, LR_MAP_FIXED_NOREPLACE);
SAME(O_WRONLY, 01); SAME(O_RDWR, 02); SAME(O_CREAT, 0100); SAME(O_EXCL, 0200);
SAME(O_NOCTTY, 0400); SAME(O_TRUNC, 01000); SAME(O_APPEND, 02000);
SAME(O_NONBLOCK, 04000); SAME(O_DSYNC, 010000); SAME(O_ASYNC, 020000);
SAME(O_DIRECT, 040000); SAME(O_DIRECTORY, 0200000); SAME(O_NOFOLLOW, 0400000);
SAME(O_NOATIME, 01000000); SAME(O_CLOEXEC, 02000000); SAME(O_SYNC, 04010000);
SAME(O_PATH, 010000000); SAME(O_TMPFILE, 020200000);
SAME(MS_ASYNC, 1); SAME(MS_INVALIDATE, 2); SAME(MS_SYNC, 4);
SAME(MREMAP_MAYMOVE, 1); SAME(MREMAP_FIXED, 2);
SAME(MADV_DONTNEED, 4); SAME(MADV_FREE, 8); SAME(MADV_REMOVE, 9);
SAME(MADV_DONTFORK, 10); SAME(MADV_DOFORK, 11); SAME(MADV_HWPOISON, 100);
SAME(MADV_WIPEONFORK, 18); SAME(MADV_KEEPONFORK, 19);
SAME(SEEK_DATA, 3); SAME(SEEK_HOLE, 4);
SAME(S_IRWXU, 0700); SAME(S_ISUID, 04000); SAME(S_ISVTX, 01000);
#undef SAME

static const char *const family_names[] = {
	[FAM_PROT] = "PROT_*", [FAM_MAP] = "MAP_*",       [FAM_O] = "O_*",
	[FAM_MS] = "MS_*",     [FAM_MREMAP] = "MREMAP_*", [FAM_MADV] = "MADV_*",
	[FAM_SEEK] = "SEEK_*", [FAM_MODE] = "S_I*",
};

static const struct flagname *find_name(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof flagnames / sizeof flagnames[0]; i++)
		if (strlen(flagnames[i].name) == n && memcmp(flagnames[i].name, s, n) == 0)
			return &flagnames[i];
	return NULL;
}

int parse_flags(const char *text, enum family fam, uint64_t *out, struct buf *err)
{
	uint64_t v = 0;
	const char *p = text;
	for (;;) {
		size_t n = strcspn(p, "|");
		if (n == 0) {
			buf_printf(err, "empty item in flags '%s'", text);
			return -1;
		}
		char *item = xstrndup(p, n);
		int rc = 0;
		if (item[0] == '-' || (item[0] >= '0' && item[0] <= '9')) {
			uint64_t num;
			rc = lex_number(item, &num, err);
			if (rc == 0)
				v |= num;
		} else {
			const struct flagname *f = find_name(item, n);
			if (!f) {
				buf_printf(err, "unknown name '%s' (expected %s)", item,
					   family_names[fam]);
				rc = -1;
			} else if (f->fam != fam) {
				buf_printf(err, "'%s' is not a %s name but a %s one", item,
					   family_names[fam], family_names[f->fam]);
				rc = -1;
			} else {
				v |= f->value;
			}
		}
		free(item);
		if (rc < 0)
			return -1;
		if (p[n] == '\0')
			break;
		p += n + 1;
	}
	*out = v;
	return 0;
}

/* Canonical names from asm-generic/errno-base.h and errno.h; aliases
 * (EWOULDBLOCK, EDEADLOCK, ENOTSUP) share a value and are left out, so they
 * print under the canonical name. The designated initialisers use the host's
 * macros, so the values are right by construction (and -Woverride-init
 * rejects a duplicated value). */
#define E(x) [x] = #x
static const char *const errnames[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG),
	E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES),
	E(EFAULT), E(ENOTBLK), E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV),
	E(ENOTDIR), E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY),
	E(ETXTBSY), E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK),
	E(EPIPE), E(EDOM), E(ERANGE), E(EDEADLK), E(ENAMETOOLONG), E(ENOLCK),
	E(ENOSYS), E(ENOTEMPTY), E(ELOOP), E(ENOMSG), E(EIDRM), E(ECHRNG),
	E(EL2NSYNC), E(EL3HLT), E(EL3RST), E(ELNRNG), E(EUNATCH), E(ENOCSI),
	E(EL2HLT), E(EBADE), E(EBADR), E(EXFULL), E(ENOANO), E(EBADRQC),
	E(EBADSLT), E(EBFONT), E(ENOSTR), E(ENODATA), E(ETIME), E(ENOSR),
	E(ENONET), E(ENOPKG), E(EREMOTE), E(ENOLINK), E(EADV), E(ESRMNT),
	E(ECOMM), E(EPROTO), E(EMULTIHOP), E(EDOTDOT), E(EBADMSG), E(EOVERFLOW),
	E(ENOTUNIQ), E(EBADFD), E(EREMCHG), E(ELIBACC), E(ELIBBAD), E(ELIBSCN),
	E(ELIBMAX), E(ELIBEXEC), E(EILSEQ), E(ERESTART), E(ESTRPIPE), E(EUSERS),
	E(ENOTSOCK), E(EDESTADDRREQ), E(EMSGSIZE), E(EPROTOTYPE), E(ENOPROTOOPT),
	E(EPROTONOSUPPORT), E(ESOCKTNOSUPPORT), E(EOPNOTSUPP), E(EPFNOSUPPORT),
	E(EAFNOSUPPORT), E(EADDRINUSE), E(EADDRNOTAVAIL), E(ENETDOWN),
	E(ENETUNREACH), E(ENETRESET), E(ECONNABORTED), E(ECONNRESET), E(ENOBUFS),
	E(EISCONN), E(ENOTCONN), E(ESHUTDOWN), E(ETOOMANYREFS), E(ETIMEDOUT),
	E(ECONNREFUSED), E(EHOSTDOWN), E(EHOSTUNREACH), E(EALREADY),
	E(EINPROGRESS), E(ESTALE), E(EUCLEAN), E(ENOTNAM), E(ENAVAIL), E(EISNAM),
	E(EREMOTEIO), E(EDQUOT), E(ENOMEDIUM), E(EMEDIUMTYPE), E(ECANCELED),
	E(ENOKEY), E(EKEYEXPIRED), E(EKEYREVOKED), E(EKEYREJECTED),
	E(EOWNERDEAD), E(ENOTRECOVERABLE), E(ERFKILL), E(EHWPOISON),
};
#undef E

const char *errno_name(int err)
{
	if (err <= 0 || (size_t)err >= sizeof errnames / sizeof errnames[0])
		return NULL;
	return errnames[err];
}
