/* parser.h — the operations of the scenario format and their argument
 * shapes. Parsing is pure: it checks syntax and the rules that need no state
 * (flag families, path shape, BYTE range); the controller then resolves
 * names against the scenario's namespace. */
#ifndef LR_PARSER_H
#define LR_PARSER_H

#include <stdbool.h>
#include <stdint.h>

#include "format.h"
#include "lexer.h"
#include "names.h"

enum opcode {
	OP_FORK, OP_EXIT, OP_EXEC, OP_OPEN, OP_SHM_OPEN, OP_SHM_UNLINK, OP_UNLINK,
	OP_CLOSE, OP_DUP, OP_FTRUNCATE, OP_WRITE, OP_PWRITE, OP_READ, OP_PREAD,
	OP_LSEEK, OP_FSTAT, OP_MMAP, OP_MUNMAP, OP_MPROTECT, OP_MSYNC, OP_MREMAP,
	OP_MADVISE, OP_MINCORE, OP_POKE, OP_FILL, OP_PEEK, OP_SUM, OP_EQ, OP_MAPS,
};

enum argkind {
	A_NEWLABEL, /* fork's Q */
	A_BIND_FD,  /* a name the operation binds to an fd */
	A_BIND_MAP, /* a name the operation binds to an address */
	A_FD,       /* a bound fd variable */
	A_FD_OR_NUM,/* mmap's F: an fd variable or a number */
	A_ADDR,     /* 0, NUMBER, M, M+OFF, M-OFF */
	A_NUM,      /* LEN, OFF */
	A_BYTE,     /* fill's BYTE, 0..255 */
	A_FLAGS,    /* a flag expression of one family */
	A_PATH,     /* a string: relative, or absolute under /dev/shm/ */
	A_SHMNAME,  /* a string without NUL bytes */
	A_DATA,     /* any string */
};

#define MAX_ARGS 7

struct arg {
	enum argkind kind;
	bool present;     /* false for an omitted optional argument */
	const char *name; /* variable or label name, if the argument is one */
	size_t namelen;   /* (an address "M+OFF" keeps the whole token in name) */
	uint64_t num;     /* number, flags, or the offset added to `name` */
	const char *str;  /* strings: decoded bytes */
	size_t len;
};

struct cmd {
	const char *label;
	const char *opname;
	enum opcode op;
	unsigned nargs; /* including omitted optional ones */
	struct arg args[MAX_ARGS];
};

/* Parses a line that has at least one token. The cmd points into `l`.
 * Returns 0, or -1 with a reason in err. */
int parse_cmd(const struct lexed_line *l, struct cmd *c, struct buf *err);

#endif
