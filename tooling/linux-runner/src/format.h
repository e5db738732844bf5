/* format.h — growable byte buffers and the transcript's value formats. */
#ifndef LR_FORMAT_H
#define LR_FORMAT_H

#include <stddef.h>
#include <stdint.h>

/* A byte buffer that is always NUL-terminated once it holds anything, so
 * text results can be used as C strings while binary data keeps its length. */
struct buf {
	char *p;
	size_t len;
	size_t cap;
};

void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrndup(const char *s, size_t n);

void buf_reserve(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_addc(struct buf *b, char c);
void buf_adds(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_clear(struct buf *b);
void buf_free(struct buf *b);
/* The contents as a C string ("" for an empty, never-allocated buffer). */
const char *buf_str(const struct buf *b);

/* A string literal as RESULTs print it: bytes 0x20..0x7e other than '"' and
 * '\' as themselves, every other byte as \xNN in lower-case hex. */
void fmt_quoted(struct buf *b, const unsigned char *p, size_t n);

/* "-ENAME" for an errno value (canonical Linux name). */
void fmt_errno(struct buf *b, int err);

#endif
