/*
 * mech-pipe.c - an anonymous pipe per direction: the oldest IPC, and the
 * one the classic texts measure shared memory against. write copies each
 * message into the pipe's buffer and read copies it out.
 */
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

static int pipe_setup(struct bench_chan *c)
{
	struct bench_fdchan *f = bench_fd_create();
	int p[2][2];
	int err;

	if (!f)
		return -ENOMEM;
	if (pipe2(p[0], O_CLOEXEC) < 0) {
		err = -errno;
		goto out_free;
	}
	if (pipe2(p[1], O_CLOEXEC) < 0) {
		err = -errno;
		goto out_close;
	}
	for (int d = 0; d < 2; d++) {
		f->rd[d] = p[d][0];
		f->wr[d] = p[d][1];
	}
	c->priv = f;
	return 0;

out_close:
	close(p[0][0]);
	close(p[0][1]);
out_free:
	free(f);
	return err;
}

const struct bench_mech bench_pipe = {
	.name = "pipe",
	.what = "anonymous pipe, one per direction",
	.ref = "sysv-msg",
	.kind = BENCH_CHANNEL,
	.wait = BENCH_SLEEP,
	.modes = BENCH_RTT | BENCH_STREAM,
	.setup = pipe_setup,
	.attach = bench_fd_attach,
	.send = bench_fd_send,
	.recv = bench_fd_recv,
	.teardown = bench_fd_teardown,
};
