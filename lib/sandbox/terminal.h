/* Terminal mode (runc's `create --console-socket PATH`, containerd's `ctr run -t`): vcrun makes a
 * pseudo-terminal, the guest console is its slave (the hypervisor opens it by path), and the
 * master goes to whoever listens on PATH, sent over the AF_UNIX stream socket with SCM_RIGHTS in
 * one message whose payload is the slave's path (the receivers of runc's console socket, such as
 * go-runc's ReceiveMaster, read one message carrying exactly one descriptor). */
#ifndef VC_SANDBOX_TERMINAL_H
#define VC_SANDBOX_TERMINAL_H

#include "util/error.h"

typedef struct vc_pty {
	int master; /* -1 when closed */
	int slave;  /* held open until the hypervisor has opened it too */
	char *slave_path;
} vc_pty;

#define VC_PTY_INIT                                                                                \
	{                                                                                          \
		-1, -1, NULL                                                                       \
	}

/* Connects to the console socket at path. A missing path, a file that is not a socket and a
 * socket nobody accepts on are errors naming path. Returns a close-on-exec fd. */
int vc_console_socket_connect(const char *path, vc_error **err);

/* A new pseudo-terminal, its slave in raw mode; every fd close-on-exec. */
int vc_pty_open(vc_pty *p, vc_error **err);
void vc_pty_close(vc_pty *p);

/* Sends fd over the connected socket sock: one message, payload `name`, one SCM_RIGHTS fd. */
int vc_send_fd(int sock, int fd, const char *name, vc_error **err);

#endif
