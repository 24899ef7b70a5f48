/*
 * mech-sysv-msg.c - a System V message queue per direction, over the call
 * table of sysv.h; here with the kernel's calls. Each message is copied
 * into the kernel by msgsnd and out by msgrcv; both sides sleep in the
 * kernel when they must wait.
 */
#include "sysv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

struct msgq_chan {
	int id[2]; /* queue of direction d: side d sends, the other reads */
};

/*
 * msgsnd refuses a message longer than msgmax with EINVAL, and one longer
 * than the queue (msgmnb) could never be queued. Both come from IPC_INFO,
 * so the same check serves the kernel and ipckit.
 */
bool bench_msgq_fits(const struct bench_mech *m, size_t size, char *why,
		     size_t len)
{
	const struct bench_sysv *ops = m->arg;
	struct msginfo info;

	if (ops->msgctl(0, IPC_INFO, (struct msqid_ds *)(void *)&info) < 0)
		return true; /* setup will fail and say why */
	if (size > (size_t)info.msgmax) {
		snprintf(why, len,
			 "exceeds msgmax %d (kernel.msgmax), which the bench "
			 "leaves alone",
			 info.msgmax);
		return false;
	}
	if (size > (size_t)info.msgmnb) {
		snprintf(why, len,
			 "exceeds the queue size msgmnb %d (kernel.msgmnb)",
			 info.msgmnb);
		return false;
	}
	return true;
}

int bench_msgq_setup(struct bench_chan *c)
{
	const struct bench_sysv *ops = c->mech->arg;
	struct msgq_chan *q = malloc(sizeof(*q));
	int err;

	if (!q)
		return -ENOMEM;
	q->id[0] = ops->msgget(IPC_PRIVATE, 0600);
	if (q->id[0] < 0) {
		err = -errno;
		goto out_free;
	}
	q->id[1] = ops->msgget(IPC_PRIVATE, 0600);
	if (q->id[1] < 0) {
		err = -errno;
		goto out_remove;
	}
	c->priv = q;
	return 0;

out_remove:
	ops->msgctl(q->id[0], IPC_RMID, NULL);
out_free:
	free(q);
	return err;
}

int bench_msgq_attach(struct bench_chan *c)
{
	bench_sysv_set_wait(c);
	return 0;
}

/* The mtype goes in the headroom, right before the message. */
int bench_msgq_send(struct bench_chan *c, void *msg)
{
	const struct bench_sysv *ops = c->mech->arg;
	struct msgq_chan *q = c->priv;
	long *mtype = (long *)msg - 1;

	*mtype = 1;
	for (;;) {
		if (ops->msgsnd(q->id[c->side], mtype, c->size, 0) == 0)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

int bench_msgq_recv(struct bench_chan *c, void *buf, const void **msg)
{
	const struct bench_sysv *ops = c->mech->arg;
	struct msgq_chan *q = c->priv;
	ssize_t n;

	*msg = buf;
	do
		n = ops->msgrcv(q->id[!c->side], (long *)buf - 1, c->size, 0,
				0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == c->size ? 0 : -EMSGSIZE;
}

void bench_msgq_teardown(struct bench_chan *c)
{
	const struct bench_sysv *ops = c->mech->arg;
	struct msgq_chan *q = c->priv;

	ops->msgctl(q->id[0], IPC_RMID, NULL);
	ops->msgctl(q->id[1], IPC_RMID, NULL);
	free(q);
	c->priv = NULL;
}

static const struct bench_sysv kernel_msg = {
	.msgget = msgget,
	.msgsnd = msgsnd,
	.msgrcv = msgrcv,
	.msgctl = msgctl,
};

const struct bench_mech bench_sysv_msg = {
	.name = "sysv-msg",
	.what = "kernel System V message queue, one per direction",
	.ref = "sysv-msg",
	.kind = BENCH_CHANNEL,
	.wait = BENCH_SLEEP,
	.modes = BENCH_RTT | BENCH_STREAM,
	.arg = &kernel_msg,
	.fits = bench_msgq_fits,
	.setup = bench_msgq_setup,
	.attach = bench_msgq_attach,
	.send = bench_msgq_send,
	.recv = bench_msgq_recv,
	.teardown = bench_msgq_teardown,
};
