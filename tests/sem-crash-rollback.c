/*
 * sem-crash-rollback.c - ipckit only: a value handed to a waiter that had
 * died asleep is given back (src/sem.c, waiter_rollback); a process killed
 * at any step of that give-back leaves it done once, and the live waiter
 * behind the dead one gets the value.
 *
 * Crash points (IPCKIT_FAULT, src/sem.c): the give-back computed, not
 * committed (the dead waiter keeps its value until the next locker's reap
 * finds it); committed; written; the journal not yet idle.
 */
#include "sem-common.h"

#include <signal.h>

static const char *const points[] = {
	"sem-rollback-filled",
	"sem-rollback-committed",
	"sem-rollback-applying",
	"sem-rollback-applied",
};

int main(int argc, char **argv)
{
	t_init(argc, argv, T_IPCKIT);
	for (size_t i = 0; i < sizeof(points) / sizeof(points[0]); i++) {
		int id = T_OK(B->semget(IPC_PRIVATE, 1, 0600));
		struct sembuf down = {0, -1, 0};
		pid_t dead = waiter_start(id, &down, 1);
		pid_t live = waiter_start(id, &down, 1);
		T_OK(kill(dead, SIGKILL));
		T_EQ(t_wait_signal(dead), SIGKILL);

		pid_t giver = t_fork();
		if (giver == 0) {
			setenv("IPCKIT_FAULT", points[i], 1);
			struct sembuf up = {0, 1, 0};
			T_OK(B->semop(id, &up, 1));
			/* The give-back runs after the semop's own unlock. */
			_exit(3);
		}
		T_EQ(t_wait_signal(giver), SIGKILL);

		/* GETVAL repairs (or reaps) and hands the unit on. */
		T_EQ(B->semctl(id, 0, GETVAL), 0);
		t_wait_ok(live);
		T_EQ(B->semctl(id, 0, GETPID), live);
		T_EQ(B->semctl(id, 0, GETNCNT), 0);
		T_OK(B->semctl(id, 0, IPC_RMID));
	}
	return 0;
}
