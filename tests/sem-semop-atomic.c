/*
 * sem-semop-atomic.c - the operations of one call apply all or none: while
 * a later operation blocks, the earlier ones are not applied, and the
 * blocked call holds nothing that others could take meanwhile.
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
	int id = T_OK(B->semget(IPC_PRIVATE, 3, 0600));
	T_OK(op(id, 2, 1, 0));

	pid_t pid = t_fork();
	if (pid == 0) {
		struct sembuf ops[] = {{0, 1, 0}, {2, -1, 0}, {1, -1, 0}};
		struct timespec ts = t_ms((long)(5000 * t_time_mult()));
		T_OK(B->semtimedop(id, ops, 3, &ts));
		_exit(0);
	}
	t_wait_blocked(pid);
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	T_EQ(B->semctl(id, 2, GETVAL), 1);
	T_EQ(B->semctl(id, 0, GETPID), 0);
	T_EQ(B->semctl(id, 1, GETNCNT), 1);

	/* Semaphore 2 is still free to take. */
	T_OK(op(id, 2, -1, IPC_NOWAIT));
	/* Semaphore 1 alone does not let the call through. */
	T_OK(op(id, 1, 1, 0));
	T_EQ(B->semctl(id, 1, GETVAL), 1);
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	T_EQ(B->semctl(id, 2, GETNCNT), 1);
	T_EQ(B->semctl(id, 1, GETNCNT), 0);

	T_OK(op(id, 2, 1, 0));
	t_wait_ok(pid);
	unsigned short v[3];
	union semun arg = {.array = v};
	T_OK(B->semctl(id, 0, GETALL, arg));
	T_EQ(v[0], 1);
	T_EQ(v[1], 0);
	T_EQ(v[2], 0);
	for (int i = 0; i < 3; i++)
		T_EQ(B->semctl(id, i, GETPID), pid);
	return 0;
}
