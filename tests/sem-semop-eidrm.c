/*
 * sem-semop-eidrm.c - removing a set wakes every process blocked on it,
 * whatever it waits for, with EIDRM; the set's id is then EINVAL.
 */
#include "helpers.h"

#define WAITERS 4

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 3, 0600));
	union semun arg = {.val = 1};
	T_OK(B->semctl(id, 1, SETVAL, arg));

	struct sembuf waits[WAITERS][2] = {
	    {{0, -1, 0}},
	    {{1, 0, 0}},
	    {{2, 1, SEM_UNDO}, {0, -2, SEM_UNDO}},
	    {{0, -1, 0}},
	};
	size_t nops[WAITERS] = {1, 1, 2, 1};
	pid_t pid[WAITERS];
	for (int i = 0; i < WAITERS; i++) {
		pid[i] = t_fork();
		if (pid[i] == 0) {
			struct timespec ts =
			    t_ms((long)(10000 * t_time_mult()));
			/* One waits with semop, the others with a timeout. */
			if (i == 0)
				T_FAIL_ERRNO(B->semop(id, waits[i], nops[i]),
					     EIDRM);
			else
				T_FAIL_ERRNO(
				    B->semtimedop(id, waits[i], nops[i], &ts),
				    EIDRM);
			_exit(0);
		}
		t_wait_blocked(pid[i]);
	}
	T_EQ(B->semctl(id, 0, GETNCNT), 3);
	T_EQ(B->semctl(id, 1, GETZCNT), 1);

	T_OK(B->semctl(id, 0, IPC_RMID));
	for (int i = 0; i < WAITERS; i++)
		t_wait_ok(pid[i]);

	struct sembuf up = {0, 1, 0};
	T_FAIL_ERRNO(B->semop(id, &up, 1), EINVAL);
	T_FAIL_ERRNO(B->semctl(id, 0, GETVAL), EINVAL);
	T_FAIL_ERRNO(B->semctl(id, 0, IPC_RMID), EINVAL);
	return 0;
}
