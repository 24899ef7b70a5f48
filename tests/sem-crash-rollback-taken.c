/*
 * sem-crash-rollback-taken.c - ipckit only; a regression test for a bug
 * the torture harness found (docs/RELIABILITY.md, section 6, finding 8),
 * fixed in sem.c's waiter_rollback().
 *
 * A value handed to a waiter that died before taking it is given back
 * (sem-crash-rollback.c). But what the dead waiter's semop added may have
 * been taken since: the pass that completes it goes on to complete the
 * waiters it lets through, and they return. Giving it back then needs a
 * value below 0 (or, for what it took, above SEMVMX); clamped, as the
 * give-back used to be, it made units out of nothing: the counted set of
 * the harness ended above its ledger by what was clamped, once in 30
 * minutes. The only history left is the one where the dead waiter's semop
 * happened (its process died after it returned): it stands.
 *
 * 1. Clamped at 0, found by the waker (sma_flush): the dead waiter's
 *    {0: -1, 1: +3}, then a live waiter's {1: -2}, both blocked; the dead
 *    one is killed asleep; a V on 0 completes both. Only the dead one's +3
 *    let the live one through, which returns 0: values 0 and 1.
 * 2. Clamped at SEMVMX, found by a reap (GETVAL): the dead waiter's
 *    {0: -1, 1: -3} with semaphore 1 at 3; its waker is killed at
 *    "sem-handoff-applied" before its own wake-ups; semaphore 1 is then
 *    raised to SEMVMX: giving the 3 back would pass it. Values 0 and 32767.
 */
#include "sem-common.h"

#include <signal.h>

#define SEMVMX 32767

/* Forks a waiter on `ops` and kills it asleep. */
static void dead_waiter(int id, struct sembuf *ops, size_t n)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		struct timespec ts = t_ms((long)(5000 * t_time_mult()));
		B->semtimedop(id, ops, n, &ts);
		_exit(3);
	}
	t_wait_blocked(pid);
	T_OK(kill(pid, SIGKILL));
	T_EQ(t_wait_signal(pid), SIGKILL);
}

static void taken_below_zero(void)
{
	int id = T_OK(B->semget(IPC_PRIVATE, 2, 0600));
	struct sembuf dead_ops[2] = {{0, -1, 0}, {1, 3, 0}};
	dead_waiter(id, dead_ops, 2);
	struct sembuf take = {1, -2, 0};
	pid_t live = waiter_start(id, &take, 1);

	struct sembuf up = {0, 1, 0};
	T_OK(B->semop(id, &up, 1));
	t_wait_ok(live);
	/* Not 1 and 0: the live waiter's 2 came from the dead one's 3. */
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	T_EQ(B->semctl(id, 1, GETVAL), 1);
	T_EQ(B->semctl(id, 0, GETNCNT), 0);
	T_EQ(B->semctl(id, 1, GETNCNT), 0);
	T_OK(B->semctl(id, 0, IPC_RMID));
}

static void taken_above_semvmx(void)
{
	int id = T_OK(B->semget(IPC_PRIVATE, 2, 0600));
	union semun arg = {.val = 3};
	T_OK(B->semctl(id, 1, SETVAL, arg));
	struct sembuf dead_ops[2] = {{0, -1, 0}, {1, -3, 0}};
	dead_waiter(id, dead_ops, 2);

	pid_t waker = t_fork();
	if (waker == 0) {
		setenv("IPCKIT_FAULT", "sem-handoff-applied", 1);
		struct sembuf up = {0, 1, 0};
		B->semop(id, &up, 1);
		_exit(3);
	}
	T_EQ(t_wait_signal(waker), SIGKILL);
	/* Repairs the waker's journal; a semop that does not wait reaps not. */
	struct sembuf raise = {1, SEMVMX, 0};
	T_OK(B->semop(id, &raise, 1));
	/* The reap finds the dead waiter's result not taken. */
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	T_EQ(B->semctl(id, 1, GETVAL), SEMVMX);
	T_OK(B->semctl(id, 0, IPC_RMID));
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_IPCKIT);
	taken_below_zero();
	taken_above_semvmx();
	return 0;
}
