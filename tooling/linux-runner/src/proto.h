/* proto.h — the controller <-> worker channel: one unix stream socket per
 * scenario process. A request is a header plus `len` payload bytes (a path,
 * a name, data to write); a response likewise (bytes read, maps text). A
 * fork response carries the new child's channel as SCM_RIGHTS. */
#ifndef LR_PROTO_H
#define LR_PROTO_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

struct wire_req {
	uint32_t op; /* enum opcode */
	uint32_t pad;
	uint64_t len;  /* payload bytes that follow */
	uint64_t a[6]; /* numeric arguments, in the operation's order */
};

enum resp_kind {
	RESP_OK,     /* num (and num2) hold the result */
	RESP_ERRNO,  /* code is the errno */
	RESP_SIGNAL, /* code is SIGSEGV or SIGBUS: a memory access faulted */
	RESP_FAIL,   /* the runner itself failed; payload is the reason */
};

struct wire_resp {
	int32_t kind;
	int32_t code;
	int64_t num;
	int64_t num2;
	uint64_t len; /* payload bytes that follow */
};

/* Set by the controller's SIGINT/SIGTERM handler: blocking channel calls then
 * give up with EINTR instead of retrying. */
extern volatile sig_atomic_t proto_interrupted;

/* Sends hdr then data, passing pass_fd (if >= 0) with the first byte.
 * Returns 0, or -1 with errno set. Never raises SIGPIPE. */
int proto_send(int sock, const void *hdr, size_t hlen, const void *data, size_t dlen,
	       int pass_fd);

/* Reads exactly n bytes. If fd_out is given, a passed descriptor is stored
 * there (close-on-exec). Returns 1, 0 on end of file before the first byte,
 * or -1 (error, or end of file part way). */
int proto_recv(int sock, void *p, size_t n, int *fd_out);

#endif
