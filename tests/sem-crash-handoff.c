/*
 * sem-crash-handoff.c - ipckit only: a process killed while it completes a
 * blocked waiter's semop for it (the hand-off, under the set's lock) at
 * any step leaves the waiter's operation done exactly once, and the waiter
 * woken with success, as if the killed process had finished.
 *
 * Crash points (IPCKIT_FAULT, src/sem.c): the waiter's new values computed,
 * not committed (the killed process's own semop is done; the next locker's
 * repair completes the waiter); committed; half written; written, the
 * journal not yet idle.
 */
#include "sem-common.h"

#include <signal.h>

static const char *const points[] = {
	"sem-handoff-filled",
	"sem-handoff-committed",
	"sem-handoff-applying",
	"sem-handoff-applied",
};

int main(int argc, char **argv)
{
	t_init(argc, argv, T_IPCKIT);
	for (size_t i = 0; i < sizeof(points) / sizeof(points[0]); i++) {
		int id = T_OK(B->semget(IPC_PRIVATE, 2, 0600));
		struct sembuf both[] = {{0, -1, 0}, {1, -2, 0}};
		pid_t waiter = waiter_start(id, both, 2);

		pid_t giver = t_fork();
		if (giver == 0) {
			setenv("IPCKIT_FAULT", points[i], 1);
			struct sembuf give[] = {{0, 2, 0}, {1, 2, 0}};
			B->semop(id, give, 2);
			_exit(3);
		}
		T_EQ(t_wait_signal(giver), SIGKILL);

		/* The next locker repairs: the waiter got its share once. */
		T_EQ(B->semctl(id, 0, GETVAL), 1);
		T_EQ(B->semctl(id, 1, GETVAL), 0);
		t_wait_ok(waiter);
		T_EQ(B->semctl(id, 0, GETPID), waiter);
		T_EQ(B->semctl(id, 1, GETPID), waiter);
		T_EQ(B->semctl(id, 0, GETNCNT), 0);
		T_EQ(B->semctl(id, 1, GETNCNT), 0);
		T_OK(B->semctl(id, 0, IPC_RMID));
	}
	return 0;
}
