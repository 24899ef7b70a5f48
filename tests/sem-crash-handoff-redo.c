/*
 * sem-crash-handoff-redo.c - ipckit only; a regression test for a bug the
 * torture harness found (docs/RELIABILITY.md), fixed in sem.c's
 * journal_apply(), which now finishes only a waiter still waiting.
 *
 * A waker killed at "sem-handoff-applied" (its journal applied, j_state
 * still COMMITTED) after it finished a blocked semop: the waiter sees DONE,
 * takes its result and returns 0 without the lock. The next locker's
 * sma_repair() applies the journal again, and journal_apply() calls
 * waiter_finish() on the slot the waiter has since freed, marking it DONE
 * once more. When the waiter's process ends, a reap finds that DONE record
 * of a dead process and rolls the completed semop back: the semaphore
 * gains what the waiter took. Expected: the value stays 0.
 */
#include "helpers.h"

#include <sched.h>
#include <signal.h>

int main(int argc, char **argv)
{
	t_init(argc, argv, T_IPCKIT);
	int id = T_OK(ipckit_semget(IPC_PRIVATE, 1, 0600));
	volatile int *done = t_shared_alloc(sizeof(int));
	struct t_barrier *go = t_barrier_create(2);
	pid_t waiter = t_fork();
	if (waiter == 0) {
		struct sembuf p = {0, -1, 0};
		struct timespec ts = t_ms(300);
		*done = ipckit_semtimedop(id, &p, 1, &ts) == 0 ? 1 : 2;
		t_barrier_wait(go);
		_exit(0);
	}
	t_wait_blocked(waiter);
	pid_t waker = t_fork();
	if (waker == 0) {
		setenv("IPCKIT_FAULT", "sem-handoff-applied", 1);
		struct sembuf v = {0, 1, 0};
		ipckit_semop(id, &v, 1);
		_exit(0);
	}
	T_EQ(t_wait_signal(waker), SIGKILL);
	/* Spins and yields: the waiter needs no lock to see DONE. */
	while (!*done)
		sched_yield();
	T_EQ(*done, 1);
	/* The repair runs here; the value is right until the waiter ends. */
	T_EQ(ipckit_semctl(id, 0, GETVAL), 0);
	t_barrier_wait(go);
	t_wait_ok(waiter);
	T_EQ(ipckit_semctl(id, 0, GETVAL), 0);
	return T_EXIT_PASS;
}
