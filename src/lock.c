/*
 * lock.c - the robust process-shared lock that guards every object.
 *
 * It is a glibc pthread_mutex_t, PTHREAD_PROCESS_SHARED and
 * PTHREAD_MUTEX_ROBUST, living in the object file. The kernel walks a dying
 * thread's robust list (set_robust_list(2)) and marks each lock it held
 * FUTEX_OWNER_DIED, waking one waiter; the next locker gets EOWNERDEAD and
 * repairs. That covers SIGKILL at any instruction, including inside
 * pthread_mutex_lock itself (glibc's list_op_pending).
 *
 * What it does not cover, and this file adds:
 * - Corrupt bytes. Another process may write anything over the lock. The
 *   mutex kind is checked against the one pthread_mutex_init writes before
 *   every lock, so a foreign kind gives EINVAL instead of undefined
 *   behaviour.
 * - An owner that vanished without the kernel marking the lock (a forged
 *   owner tid, or a robust list the dying thread had corrupted), and a
 *   marked lock whose one woken waiter died too. Waits are made in
 *   100 ms slices; after each slice the owner tid is checked with
 *   kill(tid, 0), and a lock whose owner no longer exists is marked
 *   FUTEX_OWNER_DIED exactly as the kernel would have done
 *   (handle_futex_death()), so the ordinary EOWNERDEAD path takes over.
 *   A live owner that never unlocks (SIGSTOP, a malicious holder) still
 *   blocks lockers: as with any lock, there is no telling it from a slow one.
 *
 * Designs rejected: our own futex lock on our own robust list (glibc owns
 * the thread's single robust list head; registering a second one would
 * silently disable glibc's), and fcntl locks (a system call per lock).
 */
#include "internal.h"

#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

_Static_assert(sizeof(pthread_mutex_t) <= 64, "mutex fits h_lock");

/* glibc's mutex: the futex word (owner tid) first, the kind at 16. */
#define MUTEX_WORD(m) ((_Atomic uint32_t *)(m))
#define MUTEX_KIND(m) ((int *)((char *)(m) + 16))

/* Pause-loops before sleeping on a busy lock: about 7 us. */
#define LOCK_SPIN 200

/*
 * A sleeping locker looks again after this long. Besides owners that
 * vanished unmarked (below), the kernel's own marking wakes only one
 * waiter of a dead owner's lock; if that one is killed before it takes
 * the lock, the others sleep on until their slice ends. With 1 s slices
 * the torture harness saw a call a whole second late; 100 ms is the death
 * check every other wait makes.
 */
#define LOCK_SLICE_MS 100

static int expected_kind = -1;
static pthread_once_t kind_once = PTHREAD_ONCE_INIT;

static int mutex_setup(pthread_mutex_t *m)
{
	pthread_mutexattr_t a;
	int rc = pthread_mutexattr_init(&a);
	if (rc)
		return -rc;
	pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	rc = pthread_mutex_init(m, &a);
	pthread_mutexattr_destroy(&a);
	return -rc;
}

static void learn_kind(void)
{
	pthread_mutex_t m;
	memset(&m, 0, sizeof(m));
	if (mutex_setup(&m) == 0)
		expected_kind = *MUTEX_KIND(&m);
}

int ipckit__lock_init(void *mem)
{
	pthread_once(&kind_once, learn_kind);
	memset(mem, 0, 64);
	return mutex_setup(mem);
}

/*
 * Marks the lock as the kernel marks a dead owner's; true if it did. A
 * word that is not 0 but names no owner (FUTEX_WAITERS alone) is never
 * left by glibc or the kernel, only by corruption: glibc's lock waits on
 * it for good, since only a zero word can be taken. Nobody can unlock it,
 * so its owner is as dead as a vanished one.
 */
static bool mark_owner_dead(void *mem)
{
	_Atomic uint32_t *w = MUTEX_WORD(mem);
	uint32_t v = atomic_load(w);
	pid_t tid = (pid_t)(v & FUTEX_TID_MASK);
	if (v == 0 || (v & FUTEX_OWNER_DIED))
		return false;
	if (tid != 0 && (kill(tid, 0) == 0 || errno != ESRCH))
		return false;
	uint32_t dead = (v & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
	if (!atomic_compare_exchange_strong(w, &v, dead))
		return false;
	ipckit__futex_wake(w, 1);
	return true;
}

int ipckit__lock_until(void *mem, const struct timespec *deadline)
{
	pthread_once(&kind_once, learn_kind);
	if (*(volatile int *)MUTEX_KIND(mem) != expected_kind)
		return -EINVAL;
	int rc = pthread_mutex_trylock(mem);
	/*
	 * Critical sections are a few hundred nanoseconds: spin a little
	 * before glibc's robust lock goes to the kernel, which it does at
	 * once (no adaptive spinning for robust mutexes).
	 */
	for (int i = 0; rc == EBUSY && i < LOCK_SPIN; i++) {
		ipckit__cpu_relax();
		if (atomic_load_explicit(MUTEX_WORD(mem),
					 memory_order_relaxed) == 0)
			rc = pthread_mutex_trylock(mem);
	}
	/*
	 * The first slice runs in full whatever the deadline: a lock held a
	 * moment too long by a preempted holder must not turn a short
	 * timeout into a failure, and the clock is read only here, once the
	 * lock proved busy.
	 */
	for (bool first = true; rc == EBUSY; first = false) {
		struct timespec slice;
		const struct timespec *until = ipckit__slice_until(
			first ? NULL : deadline, &slice, LOCK_SLICE_MS);
		rc = pthread_mutex_clocklock(mem, CLOCK_MONOTONIC, until);
		if (rc == ETIMEDOUT) {
			if (!mark_owner_dead(mem) && until == deadline)
				return -ETIMEDOUT;
			rc = EBUSY;
		}
	}
	switch (rc) {
	case 0:
		return 0;
	case EOWNERDEAD:
		return -EOWNERDEAD;
	case ENOTRECOVERABLE:
		return -ENOTRECOVERABLE;
	default:
		return -EINVAL;
	}
}

int ipckit__lock(void *mem)
{
	return ipckit__lock_until(mem, NULL);
}

void ipckit__lock_consistent(void *mem)
{
	pthread_mutex_consistent(mem);
}

void ipckit__unlock(void *mem)
{
	pthread_mutex_unlock(mem);
}

pid_t ipckit__lock_owner(const void *mem)
{
	uint32_t v = atomic_load(MUTEX_WORD(mem));
	return (pid_t)(v & FUTEX_TID_MASK);
}
