/* names.h — symbolic flag names per argument family, and errno names. */
#ifndef LR_NAMES_H
#define LR_NAMES_H

#include <stdint.h>

#include "format.h"

/* Each flag-valued argument position accepts names of one family only. */
enum family {
	FAM_PROT,   /* mmap/mprotect PROT */
	FAM_MAP,    /* mmap FLAGS */
	FAM_O,      /* open/shm_open FLAGS */
	FAM_MS,     /* msync FLAGS */
	FAM_MREMAP, /* mremap FLAGS */
	FAM_MADV,   /* madvise ADVICE */
	FAM_SEEK,   /* lseek WHENCE */
	FAM_MODE,   /* open/shm_open MODE (S_I* names) */
};

/* Linux x86-64 values of the flags this file's tables use directly. */
#define LR_MAP_FIXED 0x10u
#define LR_MAP_FIXED_NOREPLACE 0x100000u

/* Parses "A|B|0x10" for the given family into *out. Returns 0, or -1 with a
 * reason in err (unknown name, name of another family, empty item, bad
 * number). */
int parse_flags(const char *text, enum family fam, uint64_t *out, struct buf *err);

/* The canonical Linux name of an errno value ("EINVAL"), or NULL. */
const char *errno_name(int err);

#endif
