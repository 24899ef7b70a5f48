/*
 * mech-unix-dgram.c - a Unix-domain datagram socket pair: one datagram per
 * message, so no reassembly, but a datagram must fit in the sending
 * socket's buffer whole.
 */
#include "bench.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int udgram_pair(int sv[2])
{
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	return 0;
}

/*
 * The kernel refuses a datagram larger than the sending socket's buffer
 * (SO_SNDBUF, from net.core.wmem_default) less its bookkeeping with
 * EMSGSIZE. Rather than guess that bookkeeping, send one datagram of the
 * size on a fresh pair and see.
 */
static bool udgram_fits(const struct bench_mech *m, size_t size, char *why,
			size_t len)
{
	int sv[2], sndbuf = 0;
	socklen_t sl = sizeof(sndbuf);
	bool ok = true;
	char *buf;

	if (udgram_pair(sv) < 0)
		return true; /* setup will fail and say why */
	getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, &sl);
	buf = calloc(1, size);
	if (buf && send(sv[0], buf, size, MSG_DONTWAIT) < 0 &&
	    errno == EMSGSIZE) {
		snprintf(why, len,
			 "a %zu-byte datagram does not fit the socket send "
			 "buffer (SO_SNDBUF %d B, net.core.wmem_default)",
			 size, sndbuf);
		ok = false;
	}
	free(buf);
	close(sv[0]);
	close(sv[1]);
	return ok;
}

static int udgram_setup(struct bench_chan *c)
{
	struct bench_fdchan *f = bench_fd_create();
	int sv[2], err;

	if (!f)
		return -ENOMEM;
	err = udgram_pair(sv);
	if (err) {
		free(f);
		return err;
	}
	f->wr[0] = f->rd[1] = sv[0];
	f->wr[1] = f->rd[0] = sv[1];
	f->dgram = true;
	c->priv = f;
	return 0;
}

const struct bench_mech bench_unix_dgram = {
	.name = "unix-dgram",
	.what = "Unix-domain datagram socket pair, a datagram per message",
	.ref = "sysv-msg",
	.kind = BENCH_CHANNEL,
	.wait = BENCH_SLEEP,
	.modes = BENCH_RTT | BENCH_STREAM,
	.fits = udgram_fits,
	.setup = udgram_setup,
	.attach = bench_fd_attach,
	.send = bench_fd_send,
	.recv = bench_fd_recv,
	.teardown = bench_fd_teardown,
};
