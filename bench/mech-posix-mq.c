/*
 * mech-posix-mq.c - a POSIX message queue (mq_open) per direction. Like
 * the System V queue, each message is copied into the kernel and out; the
 * limits differ: a message may not exceed fs.mqueue.msgsize_max, and an
 * unprivileged queue holds at most fs.mqueue.msg_max of them. Names are
 * unlinked as soon as both queues are open; the forked processes inherit
 * the descriptors.
 */
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define MSGSIZE_MAX "/proc/sys/fs/mqueue/msgsize_max"
#define MSG_MAX "/proc/sys/fs/mqueue/msg_max"

struct pmq_chan {
	mqd_t q[2]; /* direction d: side d sends, the other receives */
};

static bool pmq_fits(const struct bench_mech *m, size_t size, char *why,
		     size_t len)
{
	long max = bench_read_sysctl(MSGSIZE_MAX);

	if (max < 0 || size <= (size_t)max)
		return true;
	snprintf(why, len,
		 "exceeds fs.mqueue.msgsize_max %ld, which the bench leaves "
		 "alone",
		 max);
	return false;
}

/* The default depth, 10, unless msg_max is lower. */
static mqd_t pmq_open(size_t size, int n)
{
	long depth = bench_read_sysctl(MSG_MAX);
	struct mq_attr attr = {.mq_maxmsg = depth > 0 && depth < 10 ? depth
								    : 10,
			       .mq_msgsize = (long)size};
	char name[64];
	mqd_t q;

	snprintf(name, sizeof(name), "/ipckit-bench.%d.%d", (int)getpid(), n);
	q = mq_open(name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600, &attr);
	if (q != (mqd_t)-1)
		mq_unlink(name);
	return q;
}

static int pmq_setup(struct bench_chan *c)
{
	struct pmq_chan *p = malloc(sizeof(*p));
	int err;

	if (!p)
		return -ENOMEM;
	p->q[0] = pmq_open(c->size, 0);
	if (p->q[0] == (mqd_t)-1) {
		err = -errno;
		free(p);
		return err;
	}
	p->q[1] = pmq_open(c->size, 1);
	if (p->q[1] == (mqd_t)-1) {
		err = -errno;
		mq_close(p->q[0]);
		free(p);
		return err;
	}
	c->priv = p;
	return 0;
}

static int pmq_send(struct bench_chan *c, void *msg)
{
	struct pmq_chan *p = c->priv;

	for (;;) {
		if (mq_send(p->q[c->side], msg, c->size, 0) == 0)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

static int pmq_recv(struct bench_chan *c, void *buf, const void **msg)
{
	struct pmq_chan *p = c->priv;
	ssize_t n;

	*msg = buf;
	do
		n = mq_receive(p->q[!c->side], buf, c->size, NULL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == c->size ? 0 : -EMSGSIZE;
}

static void pmq_teardown(struct bench_chan *c)
{
	struct pmq_chan *p = c->priv;

	mq_close(p->q[0]);
	mq_close(p->q[1]);
	free(p);
	c->priv = NULL;
}

const struct bench_mech bench_posix_mq = {
	.name = "posix-mq",
	.what = "POSIX message queue (mq_open), one per direction",
	.ref = "sysv-msg",
	.kind = BENCH_CHANNEL,
	.wait = BENCH_SLEEP,
	.modes = BENCH_RTT | BENCH_STREAM,
	.fits = pmq_fits,
	.setup = pmq_setup,
	.send = pmq_send,
	.recv = pmq_recv,
	.teardown = pmq_teardown,
};
