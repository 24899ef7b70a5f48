/*
 * mech-sysv-sem.c - System V semaphores, over the call table of sysv.h;
 * here with the kernel's calls. Two measurements:
 *
 * - the hand-off: two processes pass the turn back and forth over two
 *   semaphores (V the peer's, P one's own), the synchronisation every
 *   shared-memory protocol pays for. The message rides in a slot of
 *   anonymous shared memory, so only the semaphores differ between
 *   implementations. A slot per direction is reused only once the reply
 *   proves the peer has read it, which holds in ping-pong and nowhere
 *   else: the hand-off is a round trip only.
 * - P then V on one semaphore no one else uses, in one process, with and
 *   without SEM_UNDO (opt): the cost of a semop that never waits.
 */
#include "sysv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct handoff_chan {
	int semid; /* semaphore d: a message of direction d is ready */
	char *slot;	/* 2 * size bytes, shared: slot d for direction d */
};

static int sem_change(const struct bench_sysv *ops, int semid, int num,
		      int delta, int flg)
{
	struct sembuf sop = {.sem_num = (unsigned short)num,
			     .sem_op = (short)delta,
			     .sem_flg = (short)flg};

	for (;;) {
		if (ops->semop(semid, &sop, 1) == 0)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

bool bench_handoff_fits(const struct bench_mech *m, size_t size, char *why,
			size_t len)
{
	if (size <= bench_sizes[0])
		return true;
	snprintf(why, len,
		 "a hand-off moves no data, so it is measured at the "
		 "smallest size only");
	return false;
}

int bench_handoff_setup(struct bench_chan *c)
{
	const struct bench_sysv *ops = c->mech->arg;
	struct handoff_chan *h = malloc(sizeof(*h));
	int err;

	if (!h)
		return -ENOMEM;
	h->slot = mmap(NULL, 2 * c->size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (h->slot == MAP_FAILED) {
		err = -errno;
		goto out_free;
	}
	h->semid = ops->semget(IPC_PRIVATE, 2, 0600);
	if (h->semid < 0) {
		err = -errno;
		goto out_unmap;
	}
	c->priv = h;
	return 0;

out_unmap:
	munmap(h->slot, 2 * c->size);
out_free:
	free(h);
	return err;
}

int bench_handoff_attach(struct bench_chan *c)
{
	bench_sysv_set_wait(c);
	return 0;
}

int bench_handoff_send(struct bench_chan *c, void *msg)
{
	struct handoff_chan *h = c->priv;

	memcpy(h->slot + (size_t)c->side * c->size, msg, c->size);
	return sem_change(c->mech->arg, h->semid, c->side, 1, 0);
}

int bench_handoff_recv(struct bench_chan *c, void *buf, const void **msg)
{
	struct handoff_chan *h = c->priv;
	int peer = !c->side;

	*msg = h->slot + (size_t)peer * c->size;
	return sem_change(c->mech->arg, h->semid, peer, -1, 0);
}

void bench_handoff_teardown(struct bench_chan *c)
{
	const struct bench_sysv *ops = c->mech->arg;
	struct handoff_chan *h = c->priv;

	ops->semctl(h->semid, 0, IPC_RMID);
	munmap(h->slot, 2 * c->size);
	free(h);
	c->priv = NULL;
}

int bench_pv_setup(struct bench_chan *c)
{
	const struct bench_sysv *ops = c->mech->arg;
	int *semid = malloc(sizeof(*semid));
	int err;

	if (!semid)
		return -ENOMEM;
	*semid = ops->semget(IPC_PRIVATE, 1, 0600);
	if (*semid < 0) {
		err = -errno;
		free(semid);
		return err;
	}
	if (ops->semctl(*semid, 0, SETVAL, (union bench_semun){.val = 1}) <
	    0) {
		err = -errno;
		ops->semctl(*semid, 0, IPC_RMID);
		free(semid);
		return err;
	}
	c->priv = semid;
	return 0;
}

/*
 * Each P finds the value 1 and each V restores it; so must the end. The P
 * has IPC_NOWAIT so that a value gone wrong fails the run instead of
 * hanging it; a P that can proceed does not look at the flag.
 */
int bench_pv_op(struct bench_chan *c, long n)
{
	const struct bench_sysv *ops = c->mech->arg;
	int semid = *(int *)c->priv;
	struct sembuf p = {.sem_num = 0, .sem_op = -1,
			   .sem_flg = (short)(c->mech->opt | IPC_NOWAIT)};
	struct sembuf v = {.sem_num = 0, .sem_op = 1,
			   .sem_flg = (short)c->mech->opt};

	for (long i = 0; i < n; i++) {
		if (ops->semop(semid, &p, 1) < 0 ||
		    ops->semop(semid, &v, 1) < 0)
			return -errno;
	}
	return ops->semctl(semid, 0, GETVAL) == 1 ? 0 : -EBADMSG;
}

void bench_pv_teardown(struct bench_chan *c)
{
	const struct bench_sysv *ops = c->mech->arg;

	ops->semctl(*(int *)c->priv, 0, IPC_RMID);
	free(c->priv);
	c->priv = NULL;
}

static const struct bench_sysv kernel_sem = {
	.semget = semget,
	.semop = semop,
	.semctl = semctl,
};

const struct bench_mech bench_sysv_sem = {
	.name = "sysv-sem",
	.what = "kernel System V semaphores: hand-off over two semaphores",
	.ref = "sysv-msg",
	.kind = BENCH_CHANNEL,
	.wait = BENCH_SLEEP,
	.modes = BENCH_RTT,
	.arg = &kernel_sem,
	.fits = bench_handoff_fits,
	.setup = bench_handoff_setup,
	.attach = bench_handoff_attach,
	.send = bench_handoff_send,
	.recv = bench_handoff_recv,
	.teardown = bench_handoff_teardown,
};

const struct bench_mech bench_sysv_sem_pv = {
	.name = "sysv-sem-pv",
	.what = "kernel semop: P then V, uncontended, one process",
	.ref = "sysv-sem-pv",
	.kind = BENCH_OP,
	.wait = BENCH_NOWAIT,
	.arg = &kernel_sem,
	.setup = bench_pv_setup,
	.op = bench_pv_op,
	.teardown = bench_pv_teardown,
};

const struct bench_mech bench_sysv_sem_pv_undo = {
	.name = "sysv-sem-pv-undo",
	.what = "kernel semop: P then V with SEM_UNDO, uncontended",
	.ref = "sysv-sem-pv-undo",
	.kind = BENCH_OP,
	.wait = BENCH_NOWAIT,
	.arg = &kernel_sem,
	.opt = SEM_UNDO,
	.setup = bench_pv_setup,
	.op = bench_pv_op,
	.teardown = bench_pv_teardown,
};
