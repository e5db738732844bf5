/* sandbox.c — see sandbox.h. */
#define _GNU_SOURCE
#include "sandbox.h"
#include "ledger.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* shm_unlink every /dev/shm entry that carries our token. */
static void purge_token_objects(const struct sandbox *sb)
{
	DIR *d = opendir("/dev/shm");
	if (!d)
		return;
	size_t tl = strlen(sb->token);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, sb->token, tl) != 0)
			continue;
		char name[NAME_MAX + 2];
		snprintf(name, sizeof name, "/%s", e->d_name);
		shm_unlink(name);
	}
	closedir(d);
}

int sandbox_create(struct sandbox *sb, struct buf *err)
{
	memset(sb, 0, sizeof *sb);
	snprintf(sb->token, sizeof sb->token, "tskern-%ld-", (long)getpid());
	sb->drop_privileges = geteuid() == 0;
	purge_token_objects(sb); /* left by a crashed run that had our pid */

	char tmpl[] = "/tmp/tskern-scratch-XXXXXX";
	if (!mkdtemp(tmpl)) {
		buf_printf(err, "cannot create a scratch directory: %s", strerror(errno));
		return -1;
	}
	/* Real path: it is what /proc/self/maps shows for files in it. */
	if (!realpath(tmpl, sb->scratch)) {
		buf_printf(err, "realpath %s: %s", tmpl, strerror(errno));
		rmdir(tmpl);
		return -1;
	}
	ledger_note("dir %s", sb->scratch);
	ledger_note("shm-token %s", sb->token);
	if (sb->drop_privileges && chown(sb->scratch, SANDBOX_UID, SANDBOX_GID) < 0) {
		buf_printf(err, "chown %s: %s", sb->scratch, strerror(errno));
		rmdir(sb->scratch);
		return -1;
	}
	return 0;
}

int sandbox_enter(const struct sandbox *sb, struct buf *err)
{
	if (chdir(sb->scratch) < 0) {
		buf_printf(err, "chdir %s: %s", sb->scratch, strerror(errno));
		return -1;
	}
	umask(022);
	if (!sb->drop_privileges)
		return 0;
	/* Supplementary groups first (needs root), then gid, then uid. */
	if (setgroups(0, NULL) < 0 || setgid(SANDBOX_GID) < 0 || setuid(SANDBOX_UID) < 0) {
		buf_printf(err, "cannot drop privileges: %s", strerror(errno));
		return -1;
	}
	if (geteuid() == 0 || getuid() == 0 || getegid() == 0) {
		buf_adds(err, "still privileged after setuid");
		return -1;
	}
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void sandbox_destroy(struct sandbox *sb)
{
	purge_token_objects(sb);
	for (size_t i = 0; i < sb->nbare; i++) {
		char name[NAME_MAX + 2];
		snprintf(name, sizeof name, "/%s", sb->bare[i]);
		shm_unlink(name);
		free(sb->bare[i]);
	}
	free(sb->bare);
	sb->bare = NULL;
	sb->nbare = 0;
	/* Depth first, never following symbolic links out of the directory. */
	if (sb->scratch[0])
		nftw(sb->scratch, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	sb->scratch[0] = '\0';
}

/* Appends the host's name for the /dev/shm entry whose name starts at s (up
 * to the next '/'), followed by the rest of s. The token goes in front when
 * the result still fits NAME_MAX; a longer name goes to the kernel bare, so
 * the kernel and glibc judge its length exactly as they would without a
 * runner (it is remembered and removed at the end). One function serves
 * shm_open, shm_unlink and /dev/shm paths, so they name the same object. */
static void put_entry(struct sandbox *sb, const char *s, struct buf *out)
{
	size_t n = strcspn(s, "/");
	if (strlen(sb->token) + n <= NAME_MAX) {
		buf_adds(out, sb->token);
	} else if (n <= NAME_MAX) {
		for (size_t i = 0; i < sb->nbare; i++)
			if (strlen(sb->bare[i]) == n && memcmp(sb->bare[i], s, n) == 0)
				goto known;
		sb->bare = xrealloc(sb->bare, (sb->nbare + 1) * sizeof *sb->bare);
		sb->bare[sb->nbare++] = xstrndup(s, n);
		ledger_note("shm %.*s", (int)n, s);
	}
known:
	buf_adds(out, s);
}

void sandbox_shm_name(struct sandbox *sb, const char *name, struct buf *out)
{
	const char *p = name;
	while (*p == '/')
		p++;
	if (*p == '\0') {
		/* Empty once its slashes are gone: as it is, for glibc's error. */
		buf_adds(out, name);
		return;
	}
	buf_addc(out, '/');
	put_entry(sb, p, out);
}

void sandbox_path(struct sandbox *sb, const char *path, struct buf *out)
{
	if (path[0] != '/') {
		buf_adds(out, path); /* relative: the scratch directory is the cwd */
		return;
	}
	/* The parser allowed only /dev/shm/... here. */
	const char *p = path + strlen("/dev/shm/");
	while (*p == '/')
		p++;
	if (*p == '\0') {
		buf_adds(out, path);
		return;
	}
	buf_adds(out, "/dev/shm/");
	put_entry(sb, p, out);
}
