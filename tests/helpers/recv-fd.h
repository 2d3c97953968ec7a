/* The test side of the console socket, written apart from vcrun's sender (lib/sandbox/terminal.c)
 * so that the tests check the wire format rather than agree with it: one message, its payload
 * the name, and the descriptors it carries (go-runc's receiver wants exactly one). */
#ifndef VC_TESTS_RECV_FD_H
#define VC_TESTS_RECV_FD_H

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

/* Reads one message from sock: its payload into name (NUL-terminated), the first descriptor into
 * *fd, and returns how many descriptors it carried (-1 with errno on failure, ENODATA at EOF;
 * EPROTO when the control data was truncated). */
static inline int test_recv_fd(int sock, char *name, size_t name_size, int *fd)
{
	union {
		char buf[CMSG_SPACE(4 * sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = {name, name_size - 1};
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = control.buf,
			     .msg_controllen = sizeof(control.buf)};
	ssize_t n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	if (n <= 0) {
		if (n == 0)
			errno = ENODATA;
		return -1;
	}
	name[n] = '\0';
	if (msg.msg_flags & MSG_CTRUNC) {
		errno = EPROTO;
		return -1;
	}
	int count = 0;
	*fd = -1;
	for (struct cmsghdr *h = CMSG_FIRSTHDR(&msg); h; h = CMSG_NXTHDR(&msg, h)) {
		if (h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS)
			continue;
		size_t k = (h->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t j = 0; j < k; j++) {
			int one;
			memcpy(&one, CMSG_DATA(h) + j * sizeof(int), sizeof(int));
			if (count++ == 0)
				*fd = one;
		}
	}
	return count;
}

#endif
