/*
 * sem-semop-block-decrement.c - a negative sem_op larger than the value
 * blocks until the value reaches |sem_op|, then subtracts it; the waiter
 * counts in GETNCNT meanwhile.
 */
#include "helpers.h"

static int op(int id, unsigned short num, short val, short flg)
{
	struct sembuf sb = {num, val, flg};
	return B->semop(id, &sb, 1);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 1, 0600));
	T_OK(op(id, 0, 1, 0));

	pid_t pid = t_fork();
	if (pid == 0) {
		struct sembuf sb = {0, -3, 0};
		struct timespec ts = t_ms((long)(5000 * t_time_mult()));
		T_OK(B->semtimedop(id, &sb, 1, &ts));
		_exit(0);
	}
	t_wait_blocked(pid);
	T_EQ(B->semctl(id, 0, GETNCNT), 1);
	T_EQ(B->semctl(id, 0, GETZCNT), 0);

	/* 2 is not enough: the waiter takes nothing. */
	T_OK(op(id, 0, 1, 0));
	T_EQ(B->semctl(id, 0, GETVAL), 2);
	T_EQ(B->semctl(id, 0, GETNCNT), 1);

	T_OK(op(id, 0, 2, 0));
	t_wait_ok(pid);
	T_EQ(B->semctl(id, 0, GETVAL), 1);
	T_EQ(B->semctl(id, 0, GETNCNT), 0);
	T_EQ(B->semctl(id, 0, GETPID), pid);
	return 0;
}
