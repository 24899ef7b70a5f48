/*
 * mech-fifo.c - a FIFO (named pipe) per direction, made in a private
 * directory under $TMPDIR (else /tmp). Once open, a FIFO is a pipe; what
 * differs is the naming, so the figures should match mech-pipe.c's. Both
 * names and the directory are removed as soon as the ends are open.
 */
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Opens both ends of the FIFO at path in this one process: the read end
 * without blocking (no writer yet), then the write end (which now has a
 * reader), then the read end is made blocking again.
 */
static int fifo_open(const char *path, int *rdp, int *wrp)
{
	int rd, wr, err;

	if (mkfifo(path, 0600) < 0)
		return -errno;
	rd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (rd < 0) {
		err = -errno;
		goto out_unlink;
	}
	wr = open(path, O_WRONLY | O_CLOEXEC);
	if (wr < 0) {
		err = -errno;
		goto out_close;
	}
	if (fcntl(rd, F_SETFL, 0) < 0) {
		err = -errno;
		close(wr);
		goto out_close;
	}
	unlink(path);
	*rdp = rd;
	*wrp = wr;
	return 0;

out_close:
	close(rd);
out_unlink:
	unlink(path);
	return err;
}

static int fifo_setup(struct bench_chan *c)
{
	struct bench_fdchan *f = bench_fd_create();
	const char *tmp = getenv("TMPDIR");
	char dir[256], path[300];
	int err = 0;

	if (!f)
		return -ENOMEM;
	snprintf(dir, sizeof(dir), "%s/ipckit-bench.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		err = -errno;
		free(f);
		return err;
	}
	for (int d = 0; d < 2 && !err; d++) {
		snprintf(path, sizeof(path), "%s/%d", dir, d);
		err = fifo_open(path, &f->rd[d], &f->wr[d]);
	}
	rmdir(dir);
	c->priv = f;
	if (err)
		bench_fd_teardown(c);
	return err;
}

const struct bench_mech bench_fifo = {
	.name = "fifo",
	.what = "FIFO (mkfifo), one per direction",
	.ref = "sysv-msg",
	.kind = BENCH_CHANNEL,
	.wait = BENCH_SLEEP,
	.modes = BENCH_RTT | BENCH_STREAM,
	.setup = fifo_setup,
	.attach = bench_fd_attach,
	.send = bench_fd_send,
	.recv = bench_fd_recv,
	.teardown = bench_fd_teardown,
};
