/*
 * mech-futex.c - the floor: the semaphore hand-off of mech-sysv-sem.c with
 * each semaphore replaced by one futex word in shared memory and nothing
 * else - no queue, no record, no crash safety. Every user-space IPC that
 * sleeps (ipckit with spinning off, Boost, POSIX semaphores in glibc)
 * sleeps and wakes through this pair of system calls, so no such
 * mechanism's sleeping round trip can beat this one; comparing it with
 * the kernel's System V hand-off, measured in the same run, tells how much
 * room the kernel's own path leaves.
 */
#include "sysv.h"

#include <errno.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

/* A word's states: no message, a message, no message and a sleeper. */
enum { FW_EMPTY, FW_READY, FW_SLEEPER };

struct futex_chan {
	_Atomic uint32_t *word; /* word d: a message of direction d is ready */
	char *slot;		/* slot d carries it: 2 * size bytes */
	size_t len;		/* of the whole shared mapping */
};

static int futex_setup(struct bench_chan *c)
{
	struct futex_chan *f = malloc(sizeof(*f));
	char *m;

	if (!f)
		return -ENOMEM;
	/* The words get a cache line of their own, away from the slots. */
	f->len = 64 + 2 * c->size;
	m = mmap(NULL, f->len, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		int err = -errno;
		free(f);
		return err;
	}
	f->word = (_Atomic uint32_t *)m;
	f->slot = m + 64;
	c->priv = f;
	return 0;
}

static int futex_attach(struct bench_chan *c)
{
	(void)c;
	return 0;
}

static long sys_futex(_Atomic uint32_t *w, int op, uint32_t val)
{
	return syscall(SYS_futex, w, op, val, NULL, NULL, 0);
}

static int futex_send(struct bench_chan *c, void *msg)
{
	struct futex_chan *f = c->priv;
	_Atomic uint32_t *w = &f->word[c->side];

	memcpy(f->slot + (size_t)c->side * c->size, msg, c->size);
	if (atomic_exchange(w, FW_READY) == FW_SLEEPER &&
	    sys_futex(w, FUTEX_WAKE, 1) < 0)
		return -errno;
	return 0;
}

static int futex_recv(struct bench_chan *c, void *buf, const void **msg)
{
	struct futex_chan *f = c->priv;
	int peer = !c->side;
	_Atomic uint32_t *w = &f->word[peer];

	(void)buf;
	for (;;) {
		uint32_t v = FW_READY;
		if (atomic_compare_exchange_strong(w, &v, FW_EMPTY))
			break;
		if (v == FW_EMPTY &&
		    !atomic_compare_exchange_strong(w, &v, FW_SLEEPER))
			continue;
		if (sys_futex(w, FUTEX_WAIT, FW_SLEEPER) < 0 &&
		    errno != EAGAIN && errno != EINTR)
			return -errno;
	}
	*msg = f->slot + (size_t)peer * c->size;
	return 0;
}

static void futex_teardown(struct bench_chan *c)
{
	struct futex_chan *f = c->priv;

	munmap((void *)f->word, f->len);
	free(f);
	c->priv = NULL;
}

const struct bench_mech bench_futex = {
	.name = "futex",
	.what = "the floor: the hand-off over two bare futex words, nothing else",
	.ref = "sysv-sem",
	.kind = BENCH_CHANNEL,
	.wait = BENCH_SLEEP,
	.modes = BENCH_RTT,
	.fits = bench_handoff_fits,
	.setup = futex_setup,
	.attach = futex_attach,
	.send = futex_send,
	.recv = futex_recv,
	.teardown = futex_teardown,
};
