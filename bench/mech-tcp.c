/*
 * mech-tcp.c - a TCP connection over loopback, 127.0.0.1 only, on a port
 * the kernel picks. TCP_NODELAY on both ends: with Nagle's algorithm a
 * small message waits for the previous one's acknowledgement, and the
 * round trip would measure the delayed-ACK timer instead of the path.
 */
#include "bench.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/*
 * Connects to a listener in this same process: the kernel completes the
 * handshake from the listen backlog, so connect returns before accept is
 * called, and nothing blocks.
 */
static int tcp_connect_pair(int *cfd, int *afd)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int one = 1, lfd, c = -1, a = -1, err;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0)
		return -errno;
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(lfd, 1) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&sa, &sl) < 0) {
		err = -errno;
		goto out_close;
	}
	c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err = -errno;
		goto out_close;
	}
	a = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (a < 0 ||
	    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0 ||
	    setsockopt(a, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0) {
		err = -errno;
		goto out_close;
	}
	close(lfd);
	*cfd = c;
	*afd = a;
	return 0;

out_close:
	if (a >= 0)
		close(a);
	if (c >= 0)
		close(c);
	close(lfd);
	return err;
}

static int tcp_setup(struct bench_chan *c)
{
	struct bench_fdchan *f = bench_fd_create();
	int s0 = -1, s1 = -1, err;

	if (!f)
		return -ENOMEM;
	err = tcp_connect_pair(&s0, &s1);
	if (err) {
		free(f);
		return err;
	}
	f->wr[0] = f->rd[1] = s0;
	f->wr[1] = f->rd[0] = s1;
	c->priv = f;
	return 0;
}

const struct bench_mech bench_tcp = {
	.name = "tcp",
	.what = "TCP over loopback (127.0.0.1), TCP_NODELAY",
	.ref = "sysv-msg",
	.kind = BENCH_CHANNEL,
	.wait = BENCH_SLEEP,
	.modes = BENCH_RTT | BENCH_STREAM,
	.setup = tcp_setup,
	.attach = bench_fd_attach,
	.send = bench_fd_send,
	.recv = bench_fd_recv,
	.teardown = bench_fd_teardown,
};
