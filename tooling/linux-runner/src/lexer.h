/* lexer.h — the lexical layer of the scenario format: splitting a line into
 * operation tokens and an inline expectation, numbers, names. */
#ifndef LR_LEXER_H
#define LR_LEXER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format.h"

enum tok_type { TOK_WORD, TOK_STRING };

struct token {
	enum tok_type type;
	/* Words: the text. Strings: the decoded bytes (may hold NULs). Always
	 * followed by a NUL terminator that len does not count. */
	char *text;
	size_t len;
};

struct lexed_line {
	struct token *toks;
	size_t ntoks;
	bool has_expect;
	char *expect; /* trimmed text after the first "=>", comment removed */
};

/* Lexes one line (without its newline). Returns 0, or -1 with a reason in
 * err. On success the caller frees the result with lexed_line_free. */
int lex_line(const char *s, size_t n, struct lexed_line *out, struct buf *err);
void lexed_line_free(struct lexed_line *l);

/* A number: decimal, 0x hex, leading-0 octal, optional K/M/G suffix, optional
 * leading '-' (stored as two's complement). Returns 0 or -1 (reason in err). */
int lex_number(const char *s, uint64_t *out, struct buf *err);

/* [A-Za-z_][A-Za-z0-9_]* */
bool lex_is_name(const char *s);
bool lex_is_name_start(char c);

#endif
