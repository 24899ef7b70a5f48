/*
 * mech-sysv-shm.c - System V shared memory, over the call table of sysv.h;
 * here with the kernel's calls. Three measurements:
 *
 * - the ring: a segment holding a ring of message slots per direction,
 *   handed over with counting semaphores (free slots, full slots). The
 *   sender copies its message into a slot and the receiver verifies it
 *   where it lies: one copy where a pipe makes two, and the semaphores are
 *   the synchronisation shared memory does not provide by itself.
 * - bandwidth: writing then reading every byte of an attached 64 MiB
 *   segment, larger than the caches, so memory is measured, not the call.
 * - the cycle: shmget, shmat, shmdt and IPC_RMID of a 64 KiB segment,
 *   touching one page in between to check it reads zero.
 *
 * Every segment is marked IPC_RMID as soon as it is attached: it lives on
 * while attached (the forked processes inherit the attachment), and a run
 * killed half-way leaves nothing behind.
 */
#include "sysv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct ring_chan {
	int semid; /* 2d: free slots of direction d; 2d + 1: full slots */
	char *mem; /* direction d's ring: nslots slots from d * nslots */
	unsigned nslots;
	unsigned next_send, next_recv; /* this process's slot indices */
};

static int ring_change(const struct bench_chan *c, int num, int delta)
{
	const struct bench_sysv *ops = c->mech->arg;
	struct ring_chan *r = c->priv;
	struct sembuf sop = {.sem_num = (unsigned short)num,
			     .sem_op = (short)delta,
			     .sem_flg = 0};

	for (;;) {
		if (ops->semop(r->semid, &sop, 1) == 0)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

/* Attaches a new segment of size bytes, already marked for removal. */
static void *shm_make(const struct bench_sysv *ops, size_t size, int *err)
{
	int id = ops->shmget(IPC_PRIVATE, size, 0600);
	void *p;

	if (id < 0) {
		*err = -errno;
		return NULL;
	}
	p = ops->shmat(id, NULL, 0);
	if (p == (void *)-1) {
		*err = -errno;
		p = NULL;
	}
	ops->shmctl(id, IPC_RMID, NULL);
	return p;
}

int bench_ring_setup(struct bench_chan *c)
{
	const struct bench_sysv *ops = c->mech->arg;
	struct ring_chan *r = calloc(1, sizeof(*r));
	unsigned short init[4];
	int err = 0;

	if (!r)
		return -ENOMEM;
	r->nslots = bench_slots(c->size);
	r->mem = shm_make(ops, 2 * (size_t)r->nslots * c->size, &err);
	if (!r->mem)
		goto out_free;
	r->semid = ops->semget(IPC_PRIVATE, 4, 0600);
	if (r->semid < 0) {
		err = -errno;
		goto out_detach;
	}
	init[0] = init[2] = (unsigned short)r->nslots;
	init[1] = init[3] = 0;
	union bench_semun arg = {.array = init};
	if (ops->semctl(r->semid, 0, SETALL, arg) < 0) {
		err = -errno;
		goto out_remove;
	}
	c->priv = r;
	return 0;

out_remove:
	ops->semctl(r->semid, 0, IPC_RMID);
out_detach:
	ops->shmdt(r->mem);
out_free:
	free(r);
	return err;
}

int bench_ring_attach(struct bench_chan *c)
{
	bench_sysv_set_wait(c);
	return 0;
}

int bench_ring_send(struct bench_chan *c, void *msg)
{
	struct ring_chan *r = c->priv;
	int d = c->side, err;

	err = ring_change(c, 2 * d, -1);
	if (err)
		return err;
	memcpy(r->mem + ((size_t)d * r->nslots + r->next_send) * c->size, msg,
	       c->size);
	r->next_send = (r->next_send + 1) % r->nslots;
	return ring_change(c, 2 * d + 1, 1);
}

int bench_ring_recv(struct bench_chan *c, void *buf, const void **msg)
{
	struct ring_chan *r = c->priv;
	int d = !c->side;

	*msg = r->mem + ((size_t)d * r->nslots + r->next_recv) * c->size;
	return ring_change(c, 2 * d + 1, -1);
}

int bench_ring_release(struct bench_chan *c)
{
	struct ring_chan *r = c->priv;

	r->next_recv = (r->next_recv + 1) % r->nslots;
	return ring_change(c, 2 * !c->side, 1);
}

void bench_ring_teardown(struct bench_chan *c)
{
	const struct bench_sysv *ops = c->mech->arg;
	struct ring_chan *r = c->priv;

	ops->semctl(r->semid, 0, IPC_RMID);
	ops->shmdt(r->mem);
	free(r);
	c->priv = NULL;
}

struct bw_state {
	char *mem;
	unsigned pass;
};

/* The pages are touched once here, so the runs measure no page faults. */
int bench_bw_setup(struct bench_chan *c)
{
	struct bw_state *b = calloc(1, sizeof(*b));
	int err = 0;

	if (!b)
		return -ENOMEM;
	b->mem = shm_make(c->mech->arg, BENCH_BW_BYTES, &err);
	if (!b->mem) {
		free(b);
		return err;
	}
	memset(b->mem, 0xff, BENCH_BW_BYTES);
	c->priv = b;
	return 0;
}

/*
 * One op writes the whole segment with a byte that changes every pass,
 * then reads it all back and checks it: 2 * BENCH_BW_BYTES bytes moved.
 * Four sums, so the reads do not wait on one another.
 */
int bench_bw_op(struct bench_chan *c, long n)
{
	struct bw_state *b = c->priv;
	const size_t words = BENCH_BW_BYTES / 8;

	for (long i = 0; i < n; i++) {
		unsigned char v = (unsigned char)(b->pass++ % 251 + 1);
		uint64_t w = 0x0101010101010101ull * v, s[4] = {0, 0, 0, 0};
		const uint64_t *p = (const uint64_t *)(void *)b->mem;

		memset(b->mem, v, BENCH_BW_BYTES);
		for (size_t j = 0; j < words; j += 4) {
			s[0] += p[j];
			s[1] += p[j + 1];
			s[2] += p[j + 2];
			s[3] += p[j + 3];
		}
		if (s[0] + s[1] + s[2] + s[3] != w * words)
			return -EBADMSG;
	}
	return 0;
}

void bench_bw_teardown(struct bench_chan *c)
{
	const struct bench_sysv *ops = c->mech->arg;
	struct bw_state *b = c->priv;

	ops->shmdt(b->mem);
	free(b);
	c->priv = NULL;
}

#define CYCLE_BYTES 65536

int bench_cycle_op(struct bench_chan *c, long n)
{
	const struct bench_sysv *ops = c->mech->arg;

	for (long i = 0; i < n; i++) {
		int id = ops->shmget(IPC_PRIVATE, CYCLE_BYTES, 0600), err = 0;
		volatile unsigned *p;

		if (id < 0)
			return -errno;
		p = ops->shmat(id, NULL, 0);
		if (p == (void *)-1) {
			err = -errno;
		} else {
			if (p[0] != 0) /* a new segment reads zero */
				err = -EBADMSG;
			p[0] = 1;
			if (ops->shmdt((const void *)p) < 0 && !err)
				err = -errno;
		}
		if (ops->shmctl(id, IPC_RMID, NULL) < 0 && !err)
			err = -errno;
		if (err)
			return err;
	}
	return 0;
}

static const struct bench_sysv kernel_shm = {
	.semget = semget,
	.semop = semop,
	.semctl = semctl,
	.shmget = shmget,
	.shmat = shmat,
	.shmdt = shmdt,
	.shmctl = shmctl,
};

const struct bench_mech bench_sysv_shm = {
	.name = "sysv-shm",
	.what = "kernel System V shared memory ring + System V semaphores",
	.ref = "sysv-msg",
	.kind = BENCH_CHANNEL,
	.wait = BENCH_SLEEP,
	.modes = BENCH_RTT | BENCH_STREAM,
	.arg = &kernel_shm,
	.setup = bench_ring_setup,
	.attach = bench_ring_attach,
	.send = bench_ring_send,
	.recv = bench_ring_recv,
	.release = bench_ring_release,
	.teardown = bench_ring_teardown,
};

const struct bench_mech bench_sysv_shm_bw = {
	.name = "sysv-shm-bw",
	.what = "kernel shm: write then read a 64 MiB attached segment",
	.ref = "sysv-shm-bw",
	.kind = BENCH_OP,
	.wait = BENCH_NOWAIT,
	.op_bytes = 2 * (size_t)BENCH_BW_BYTES,
	.arg = &kernel_shm,
	.setup = bench_bw_setup,
	.op = bench_bw_op,
	.teardown = bench_bw_teardown,
};

const struct bench_mech bench_sysv_shm_cycle = {
	.name = "sysv-shm-cycle",
	.what = "kernel shmget+shmat+shmdt+IPC_RMID, 64 KiB, a page touched",
	.ref = "sysv-shm-cycle",
	.kind = BENCH_OP,
	.wait = BENCH_NOWAIT,
	.arg = &kernel_shm,
	.op = bench_cycle_op,
};
