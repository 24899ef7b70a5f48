/*
 * sem-semop-block-zero.c - sem_op 0 blocks until the value is 0; every
 * process waiting for zero proceeds when it gets there, and each counts in
 * GETZCNT meanwhile.
 */
#include "helpers.h"

#define WAITERS 3

static int op(int id, unsigned short num, short val, short flg)
{
	struct sembuf sb = {num, val, flg};
	return B->semop(id, &sb, 1);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 1, 0600));
	T_OK(op(id, 0, 2, 0));

	pid_t pid[WAITERS];
	for (int i = 0; i < WAITERS; i++) {
		pid[i] = t_fork();
		if (pid[i] == 0) {
			struct sembuf sb = {0, 0, 0};
			struct timespec ts = t_ms((long)(5000 * t_time_mult()));
			T_OK(B->semtimedop(id, &sb, 1, &ts));
			_exit(0);
		}
		t_wait_blocked(pid[i]);
		T_EQ(B->semctl(id, 0, GETZCNT), i + 1);
	}
	T_EQ(B->semctl(id, 0, GETNCNT), 0);

	T_OK(op(id, 0, -1, 0));
	T_EQ(B->semctl(id, 0, GETZCNT), WAITERS);

	T_OK(op(id, 0, -1, 0));
	for (int i = 0; i < WAITERS; i++)
		t_wait_ok(pid[i]);
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	T_EQ(B->semctl(id, 0, GETZCNT), 0);
	return 0;
}
