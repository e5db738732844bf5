/* sandbox.h — the per-scenario environment on the host: a scratch directory
 * (the processes' cwd), a token that keeps this run's shm objects apart from
 * everyone else's, and the unprivileged user the processes run as. */
#ifndef LR_SANDBOX_H
#define LR_SANDBOX_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "format.h"

#define SANDBOX_UID 65534 /* nobody */
#define SANDBOX_GID 65534 /* nogroup */

struct sandbox {
	char token[32];          /* "tskern-<pid>-", prefixed to shm names */
	char scratch[PATH_MAX];  /* real path of the scratch directory */
	bool drop_privileges;    /* running as root: workers become nobody */
	char **bare;             /* shm names too long to carry the token */
	size_t nbare;
};

/* Creates the scratch directory (and removes stale objects with our token).
 * Returns 0, or -1 with a reason in err. */
int sandbox_create(struct sandbox *sb, struct buf *err);

/* In a freshly forked first process: cwd, umask 022, unprivileged user.
 * Returns 0, or -1 with a reason in err. */
int sandbox_enter(const struct sandbox *sb, struct buf *err);

/* Removes this run's shm objects and the scratch directory. Call after every
 * scenario process is gone. */
void sandbox_destroy(struct sandbox *sb);

/* The name to give shm_open/shm_unlink for a scenario's NAME. */
void sandbox_shm_name(struct sandbox *sb, const char *name, struct buf *out);

/* The path to give open/unlink for a scenario's PATH (relative paths are
 * unchanged; /dev/shm/NAME gets the same treatment as shm names). */
void sandbox_path(struct sandbox *sb, const char *path, struct buf *out);

#endif
