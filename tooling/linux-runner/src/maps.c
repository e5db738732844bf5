/* maps.c — describe pages as /proc/self/maps shows them.
 *
 * The description is per page, so how Linux splits or merges VMAs does not
 * show: consecutive pages join one run when permissions, kind, path and
 * deleted-ness agree and (for kinds with an offset) file offsets continue.
 * The work is done per maps line, not per page, so a huge range costs no
 * more than the lines it covers. */
#define _GNU_SOURCE
#include "maps.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum kind { K_UNMAPPED, K_ANON, K_ANON_SHARED, K_SHM, K_FILE, K_OTHER };

/* A clipped piece of one maps line, or a hole. */
struct seg {
	uint64_t start, end;
	enum kind kind;
	char perms[5];
	const char *name; /* shm: name without token; file: relative path; other: raw */
	size_t namelen;
	bool deleted;
	uint64_t off;      /* file offset of the page holding `start` */
	uint64_t next_off; /* file offset of the page after the last one */
};

static bool has_offset(enum kind k) { return k == K_ANON_SHARED || k == K_SHM || k == K_FILE; }

static const char deleted_suffix[] = " (deleted)";

/* Fills kind/name/deleted from the path column. */
static void classify(struct seg *s, const char *path, size_t n, const struct maps_ctx *ctx)
{
	static const char devzero[] = "/dev/zero (deleted)";
	static const char devshm[] = "/dev/shm/";
	size_t dl = sizeof deleted_suffix - 1;

	s->deleted = false;
	s->name = path;
	s->namelen = n;
	if (n == 0) {
		s->kind = K_ANON;
		return;
	}
	if (n == sizeof devzero - 1 && memcmp(path, devzero, n) == 0) {
		/* Shared anonymous memory; "(deleted)" is how it is recognised. */
		s->kind = K_ANON_SHARED;
		s->namelen = 0;
		return;
	}
	size_t base = n;
	if (n >= dl && memcmp(path + n - dl, deleted_suffix, dl) == 0) {
		s->deleted = true;
		base = n - dl;
	}
	size_t sl = strlen(ctx->scratch), tl = strlen(ctx->token);
	if (base > sizeof devshm - 1 && memcmp(path, devshm, sizeof devshm - 1) == 0) {
		s->kind = K_SHM;
		s->name = path + sizeof devshm - 1;
		s->namelen = base - (sizeof devshm - 1);
		if (s->namelen > tl && memcmp(s->name, ctx->token, tl) == 0) {
			s->name += tl;
			s->namelen -= tl;
		}
	} else if (base > sl + 1 && memcmp(path, ctx->scratch, sl) == 0 && path[sl] == '/') {
		s->kind = K_FILE;
		s->name = path + sl + 1;
		s->namelen = base - sl - 1;
	} else {
		s->kind = K_OTHER; /* split on the raw path, suffix included */
	}
}

static bool joins(const struct seg *run, const struct seg *s)
{
	if (run->kind != s->kind)
		return false;
	if (run->kind == K_UNMAPPED)
		return true;
	return strcmp(run->perms, s->perms) == 0 && run->deleted == s->deleted &&
	       run->namelen == s->namelen && memcmp(run->name, s->name, s->namelen) == 0 &&
	       (!has_offset(s->kind) || run->next_off == s->off);
}

static void emit(struct buf *out, const struct seg *r, uint64_t addr)
{
	if (out->len)
		buf_adds(out, "; ");
	buf_printf(out, "+0x%llx..+0x%llx ", (unsigned long long)(r->start - addr),
		   (unsigned long long)(r->end - addr));
	switch (r->kind) {
	case K_UNMAPPED: buf_adds(out, "unmapped"); return;
	case K_ANON: buf_printf(out, "%s anon", r->perms); break;
	case K_ANON_SHARED: buf_printf(out, "%s anon-shared", r->perms); break;
	case K_SHM: buf_printf(out, "%s shm:/%.*s", r->perms, (int)r->namelen, r->name); break;
	case K_FILE: buf_printf(out, "%s file:%.*s", r->perms, (int)r->namelen, r->name); break;
	case K_OTHER: buf_printf(out, "%s other", r->perms); break;
	}
	if (has_offset(r->kind))
		buf_printf(out, " @0x%llx", (unsigned long long)r->off);
	if (r->deleted)
		buf_adds(out, deleted_suffix);
}

/* Adds segment s to the current run, or closes the run and starts anew. */
static void add(struct buf *out, struct seg *run, bool *have, const struct seg *s, uint64_t addr)
{
	if (*have && joins(run, s)) {
		run->end = s->end;
		run->next_off = s->next_off;
		return;
	}
	if (*have)
		emit(out, run, addr);
	*run = *s;
	*have = true;
}

/* Parses "start-end perms offset dev inode [path]". Returns false for a
 * line of another shape. */
static bool parse_line(const char *l, size_t n, uint64_t *start, uint64_t *end, char perms[5],
		       uint64_t *off, const char **path, size_t *pathlen)
{
	char *line = xstrndup(l, n), *p = line, *q;
	bool ok = false;
	*start = strtoull(p, &q, 16);
	if (q == p || *q != '-')
		goto out;
	p = q + 1;
	*end = strtoull(p, &q, 16);
	if (q == p || *q != ' ' || strlen(q + 1) < 5 || q[5] != ' ')
		goto out;
	memcpy(perms, q + 1, 4);
	perms[4] = '\0';
	p = q + 6;
	*off = strtoull(p, &q, 16);
	if (q == p || *q != ' ')
		goto out;
	p = q + 1 + strcspn(q + 1, " "); /* skip dev */
	if (*p != ' ')
		goto out;
	p++;
	p += strcspn(p, " "); /* skip inode */
	while (*p == ' ')
		p++;
	*path = l + (p - line);
	*pathlen = n - (size_t)(p - line);
	ok = true;
out:
	free(line);
	return ok;
}

void maps_describe(struct buf *out, const char *text, size_t n, uint64_t addr, uint64_t len,
		   const struct maps_ctx *ctx)
{
	uint64_t lim = addr + len, cur = addr;
	struct seg run;
	bool have = false;
	const char *p = text, *endp = text + n;

	memset(&run, 0, sizeof run);
	if (len == 0)
		return;
	while (p < endp && cur < lim) {
		const char *nl = memchr(p, '\n', (size_t)(endp - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(endp - p);
		uint64_t vs, ve, voff;
		char perms[5];
		const char *path;
		size_t pathlen;
		bool ok = parse_line(p, ll, &vs, &ve, perms, &voff, &path, &pathlen);
		p += ll + (nl != NULL);
		if (!ok || ve <= cur)
			continue;
		if (vs >= lim)
			break;
		if (vs > cur) {
			struct seg hole = {.start = cur, .end = vs, .kind = K_UNMAPPED};
			add(out, &run, &have, &hole, addr);
			cur = vs;
		}
		struct seg s;
		memset(&s, 0, sizeof s);
		s.start = cur;
		s.end = ve < lim ? ve : lim;
		memcpy(s.perms, perms, 5);
		classify(&s, path, pathlen, ctx);
		uint64_t first_page = s.start & ~(ctx->page - 1);
		s.off = voff + (first_page - vs);
		s.next_off = voff + (ve - vs); /* only read when s ends at ve */
		add(out, &run, &have, &s, addr);
		cur = s.end;
	}
	if (cur < lim) {
		struct seg hole = {.start = cur, .end = lim, .kind = K_UNMAPPED};
		add(out, &run, &have, &hole, addr);
	}
	if (have)
		emit(out, &run, addr);
}
