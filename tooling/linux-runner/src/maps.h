/* maps.h — the `maps ADDR LEN` description of docs/scenario-language.md ("maps"),
 * computed from the text of a process's /proc/self/maps. */
#ifndef LR_MAPS_H
#define LR_MAPS_H

#include <stddef.h>
#include <stdint.h>

#include "format.h"

struct maps_ctx {
	uint64_t page;       /* page size */
	const char *scratch; /* real path of the scratch directory (file: kind) */
	const char *token;   /* shm name token to strip (shm: kind) */
};

/* Appends the runs of [addr, addr+len) to out ("" when len is 0). The caller
 * has checked that addr+len does not wrap. */
void maps_describe(struct buf *out, const char *text, size_t n, uint64_t addr, uint64_t len,
		   const struct maps_ctx *ctx);

#endif
