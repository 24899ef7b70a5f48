/*
 * mech-unix-stream.c - a Unix-domain stream socket pair: one connection,
 * both directions. A message is a run of bytes the reader reassembles, as
 * for a pipe.
 */
#include "bench.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>

static int ustream_setup(struct bench_chan *c)
{
	struct bench_fdchan *f = bench_fd_create();
	int sv[2];

	if (!f)
		return -ENOMEM;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		int err = -errno;
		free(f);
		return err;
	}
	f->wr[0] = f->rd[1] = sv[0];
	f->wr[1] = f->rd[0] = sv[1];
	c->priv = f;
	return 0;
}

const struct bench_mech bench_unix_stream = {
	.name = "unix-stream",
	.what = "Unix-domain stream socket pair",
	.ref = "sysv-msg",
	.kind = BENCH_CHANNEL,
	.wait = BENCH_SLEEP,
	.modes = BENCH_RTT | BENCH_STREAM,
	.setup = ustream_setup,
	.attach = bench_fd_attach,
	.send = bench_fd_send,
	.recv = bench_fd_recv,
	.teardown = bench_fd_teardown,
};
