/*
 * futex.c - the only caller of the futex system call.
 *
 * Words live in MAP_SHARED file mappings used by several processes, so the
 * shared (not FUTEX_PRIVATE_FLAG) operations are used.
 */
#include "internal.h"

#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * Every wait carries an absolute deadline, a far one when the caller has
 * none. That is deliberate: a futex wait without a timeout is restarted by
 * the kernel after a signal handler installed with SA_RESTART (signal(7)),
 * while a wait with one returns EINTR (its restart block is not used when a
 * handler runs; kernel/futex/waitwake.c, all versions since 2.6.22). System
 * V calls are never restarted, so neither are ours.
 */
int ipckit__futex_wait(_Atomic uint32_t *word, uint32_t val,
		       const struct timespec *deadline)
{
	struct timespec far;
	if (!deadline) {
		clock_gettime(CLOCK_MONOTONIC, &far);
		far.tv_sec += 365 * 24 * 3600;
		deadline = &far;
	}
	long rc = syscall(SYS_futex, word, FUTEX_WAIT_BITSET, val, deadline,
			  NULL, FUTEX_BITSET_MATCH_ANY);
	if (rc == 0)
		return 0;
	switch (errno) {
	case EAGAIN:
		return 0;
	case ETIMEDOUT:
		return -ETIMEDOUT;
	case EINTR:
		return -EINTR;
	default:
		/* EFAULT/EINVAL: the mapping is unusable; treat as removed. */
		return -EIDRM;
	}
}

int ipckit__futex_wake(_Atomic uint32_t *word, int n)
{
	long rc = syscall(SYS_futex, word, FUTEX_WAKE, n, NULL, NULL, 0);
	return rc > 0 ? (int)rc : 0;
}
