/* lexer.c — lexical rules of docs/scenario-language.md ("Lines and tokens", "Values").
 *
 * A line is scanned once, quote-aware, to find where the operation ends: at
 * the first "=>" or "#" outside a string literal. The expectation text after
 * "=>" is scanned the same way, so a "#" inside a quoted expected value (a
 * peek result, say) is not taken for a comment. */
#define _GNU_SOURCE
#include "lexer.h"

#include <stdlib.h>
#include <string.h>

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool lex_is_name_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool lex_is_name(const char *s)
{
	if (!lex_is_name_start(s[0]))
		return false;
	for (s++; *s; s++)
		if (!lex_is_name_start(*s) && !(*s >= '0' && *s <= '9'))
			return false;
	return true;
}

int lex_number(const char *s, uint64_t *out, struct buf *err)
{
	const char *p = s;
	bool neg = false;
	unsigned base;
	uint64_t v = 0;

	if (*p == '-') {
		neg = true;
		p++;
	}
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
		if (hexval(*p) < 0)
			goto bad;
	} else if (p[0] == '0') {
		base = 8; /* "0" alone is octal zero */
		p++;
	} else if (*p >= '1' && *p <= '9') {
		base = 10;
	} else {
		goto bad;
	}
	for (;; p++) {
		int d;
		if (base == 16) {
			d = hexval(*p);
		} else if (*p >= '0' && *p <= '9') {
			d = *p - '0';
			if (base == 8 && d > 7) {
				buf_printf(err, "invalid octal number '%s'", s);
				return -1;
			}
		} else {
			d = -1;
		}
		if (d < 0)
			break;
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			goto range;
		v = v * base + (uint64_t)d;
	}
	if (*p == 'K' || *p == 'M' || *p == 'G') {
		unsigned shift = *p == 'K' ? 10 : *p == 'M' ? 20 : 30;
		if (v > (UINT64_MAX >> shift))
			goto range;
		v <<= shift;
		p++;
	}
	if (*p != '\0')
		goto bad;
	if (neg) {
		if (v > (UINT64_C(1) << 63))
			goto range;
		v = (uint64_t)0 - v;
	}
	*out = v;
	return 0;
bad:
	buf_printf(err, "invalid number '%s'", s);
	return -1;
range:
	buf_printf(err, "number out of range '%s'", s);
	return -1;
}

static void push(struct lexed_line *l, enum tok_type t, char *text, size_t len)
{
	l->toks = xrealloc(l->toks, (l->ntoks + 1) * sizeof *l->toks);
	l->toks[l->ntoks].type = t;
	l->toks[l->ntoks].text = text;
	l->toks[l->ntoks].len = len;
	l->ntoks++;
}

/* Decodes the string literal whose opening quote is at s[*i]; the scan in
 * lex_line has already made sure it is closed before `end`. */
static int lex_string(const char *s, size_t end, size_t *i, struct lexed_line *l,
		      struct buf *err)
{
	struct buf b = {0};
	size_t j = *i + 1;
	for (; j < end && s[j] != '"'; j++) {
		if (s[j] != '\\') {
			buf_addc(&b, s[j]);
			continue;
		}
		char e = ++j < end ? s[j] : '\0';
		switch (e) {
		case 'n': buf_addc(&b, '\n'); break;
		case 't': buf_addc(&b, '\t'); break;
		case 'r': buf_addc(&b, '\r'); break;
		case '\\': buf_addc(&b, '\\'); break;
		case '"': buf_addc(&b, '"'); break;
		case '0': buf_addc(&b, '\0'); break; /* one NUL, not octal */
		case 'x': {
			int hi = j + 1 < end ? hexval(s[j + 1]) : -1;
			int lo = j + 2 < end ? hexval(s[j + 2]) : -1;
			if (hi < 0 || lo < 0) {
				buf_adds(err, "\\x needs exactly two hex digits");
				goto fail;
			}
			buf_addc(&b, (char)(hi * 16 + lo));
			j += 2;
			break;
		}
		default:
			if (e >= 0x20 && e <= 0x7e)
				buf_printf(err, "invalid escape '\\%c' in string", e);
			else
				buf_printf(err, "invalid escape '\\\\x%02x' in string",
					   (unsigned char)e);
			goto fail;
		}
	}
	if (j >= end) {
		buf_adds(err, "unterminated string");
		goto fail;
	}
	*i = j + 1;
	if (*i < end && !is_blank(s[*i])) {
		buf_adds(err, "a string literal must be followed by a space or tab");
		goto fail;
	}
	size_t len = b.len;
	push(l, TOK_STRING, b.p ? b.p : xstrndup("", 0), len);
	return 0;
fail:
	buf_free(&b);
	return -1;
}

int lex_line(const char *s, size_t n, struct lexed_line *out, struct buf *err)
{
	memset(out, 0, sizeof *out);

	/* Pass 1: find the end of the operation ("=>" or "#" outside a string)
	 * and the end of the expectation ("#" outside a string). */
	size_t op_end = n, ex_start = 0, ex_end = n;
	bool in_str = false, have_ex = false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (in_str) {
			if (c == '\\' && i + 1 < n)
				i++;
			else if (c == '"')
				in_str = false;
		} else if (c == '"') {
			in_str = true;
		} else if (c == '#') {
			if (!have_ex)
				op_end = i;
			ex_end = i;
			break;
		} else if (!have_ex && c == '=' && i + 1 < n && s[i + 1] == '>') {
			have_ex = true;
			op_end = i;
			ex_start = i + 2;
			i++;
		}
	}
	/* An unclosed quote before "=>" would have hidden the "=>"; one after it
	 * is just text of the expectation. */
	if (in_str && !have_ex) {
		buf_adds(err, "unterminated string");
		return -1;
	}

	/* Pass 2: tokens of the operation. */
	size_t i = 0;
	while (i < op_end) {
		if (is_blank(s[i])) {
			i++;
		} else if (s[i] == '"') {
			if (lex_string(s, op_end, &i, out, err) < 0)
				goto fail;
		} else {
			size_t start = i;
			while (i < op_end && !is_blank(s[i]) && s[i] != '"')
				i++;
			if (i < op_end && s[i] == '"') {
				buf_adds(err, "a quote inside a word");
				goto fail;
			}
			if (memchr(s + start, '\0', i - start)) {
				buf_adds(err, "a NUL byte outside a string literal");
				goto fail;
			}
			push(out, TOK_WORD, xstrndup(s + start, i - start), i - start);
		}
	}

	if (have_ex) {
		while (ex_start < ex_end && is_blank(s[ex_start]))
			ex_start++;
		while (ex_end > ex_start && is_blank(s[ex_end - 1]))
			ex_end--;
		out->has_expect = true;
		out->expect = xstrndup(s + ex_start, ex_end - ex_start);
	}
	return 0;
fail:
	lexed_line_free(out);
	return -1;
}

void lexed_line_free(struct lexed_line *l)
{
	for (size_t i = 0; i < l->ntoks; i++)
		free(l->toks[i].text);
	free(l->toks);
	free(l->expect);
	memset(l, 0, sizeof *l);
}
