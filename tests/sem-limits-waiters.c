/*
 * sem-limits-waiters.c - ipckit only: a set records 128 blocked semops;
 * more callers still block and are woken correctly, but are not counted by
 * GETNCNT (the documented difference, src/sem.c, sma_block_unrecorded).
 * Once the crowd is gone, waiters are recorded and counted again.
 */
#include "helpers.h"

#define RECORDED 128
#define CROWD (RECORDED + 4)

int main(int argc, char **argv)
{
	t_init(argc, argv, T_IPCKIT);
	int id = T_OK(B->semget(IPC_PRIVATE, 1, 0600));
	pid_t pids[CROWD];
	for (int i = 0; i < CROWD; i++) {
		pids[i] = t_fork();
		if (pids[i] == 0) {
			struct sembuf down = {0, -1, 0};
			struct timespec ts =
				t_ms((long)(20000 * t_time_mult()));
			T_OK(B->semtimedop(id, &down, 1, &ts));
			_exit(0);
		}
		t_wait_blocked(pids[i]);
	}
	T_EQ(B->semctl(id, 0, GETNCNT), RECORDED);

	/* A few at a time, then the rest: everyone gets one. */
	struct sembuf some = {0, 3, 0};
	T_OK(B->semop(id, &some, 1));
	struct sembuf rest = {0, CROWD - 3, 0};
	T_OK(B->semop(id, &rest, 1));
	for (int i = 0; i < CROWD; i++)
		t_wait_ok(pids[i]);
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	T_EQ(B->semctl(id, 0, GETNCNT), 0);

	pid_t pid = t_fork();
	if (pid == 0) {
		struct sembuf down = {0, -1, 0};
		struct timespec ts = t_ms((long)(5000 * t_time_mult()));
		T_OK(B->semtimedop(id, &down, 1, &ts));
		_exit(0);
	}
	t_wait_blocked(pid);
	T_EQ(B->semctl(id, 0, GETNCNT), 1);
	struct sembuf up = {0, 1, 0};
	T_OK(B->semop(id, &up, 1));
	t_wait_ok(pid);
	return 0;
}
