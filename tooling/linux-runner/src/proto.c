/* proto.c — exact-length sends and receives over the channel sockets. */
#define _GNU_SOURCE
#include "proto.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

volatile sig_atomic_t proto_interrupted;

int proto_send(int sock, const void *hdr, size_t hlen, const void *data, size_t dlen,
	       int pass_fd)
{
	struct iovec iov[2] = {
		{(void *)hdr, hlen},
		{(void *)data, dlen},
	};
	union {
		struct cmsghdr h;
		char space[CMSG_SPACE(sizeof(int))];
	} cm;
	struct msghdr mh;
	size_t first = 0; /* index of the first iovec with bytes left */
	int niov = dlen ? 2 : 1;

	memset(&mh, 0, sizeof mh);
	if (pass_fd >= 0) {
		memset(&cm, 0, sizeof cm);
		mh.msg_control = cm.space;
		mh.msg_controllen = sizeof cm.space;
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &pass_fd, sizeof(int));
	}
	while ((int)first < niov) {
		mh.msg_iov = iov + first;
		mh.msg_iovlen = (size_t)niov - first;
		ssize_t r = sendmsg(sock, &mh, MSG_NOSIGNAL);
		if (r < 0) {
			if (errno == EINTR && !proto_interrupted)
				continue;
			return -1;
		}
		mh.msg_control = NULL; /* the descriptor went with the first byte */
		mh.msg_controllen = 0;
		size_t left = (size_t)r;
		while ((int)first < niov && left >= iov[first].iov_len) {
			left -= iov[first].iov_len;
			first++;
		}
		if ((int)first < niov) {
			iov[first].iov_base = (char *)iov[first].iov_base + left;
			iov[first].iov_len -= left;
		}
	}
	return 0;
}

int proto_recv(int sock, void *p, size_t n, int *fd_out)
{
	size_t got = 0;
	while (got < n) {
		union {
			struct cmsghdr h;
			char space[CMSG_SPACE(sizeof(int))];
		} cm;
		struct iovec iov = {(char *)p + got, n - got};
		struct msghdr mh;
		memset(&mh, 0, sizeof mh);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		if (fd_out) {
			mh.msg_control = cm.space;
			mh.msg_controllen = sizeof cm.space;
		}
		ssize_t r = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
		if (r < 0) {
			if (errno == EINTR && !proto_interrupted)
				continue;
			return -1;
		}
		if (r == 0) {
			if (got == 0)
				return 0;
			errno = EPIPE;
			return -1;
		}
		if (fd_out) {
			for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
				if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
					memcpy(fd_out, CMSG_DATA(c), sizeof(int));
		}
		got += (size_t)r;
	}
	return 1;
}
