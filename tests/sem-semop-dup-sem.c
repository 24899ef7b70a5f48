/*
 * sem-semop-dup-sem.c - operations on the same semaphore within one call
 * apply one after another in array order, all or none.
 */
#include "helpers.h"

static void setval(int id, int v)
{
	union semun arg = {.val = v};
	T_OK(B->semctl(id, 0, SETVAL, arg));
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 1, 0600));

	setval(id, 1);
	struct sembuf twice[] = {{0, -1, 0}, {0, -1, IPC_NOWAIT}};
	T_FAIL_ERRNO(B->semop(id, twice, 2), EAGAIN);
	T_EQ(B->semctl(id, 0, GETVAL), 1);

	struct sembuf up_down[] = {{0, 1, 0}, {0, -2, 0}};
	T_OK(B->semop(id, up_down, 2));
	T_EQ(B->semctl(id, 0, GETVAL), 0);

	setval(id, 1);
	struct sembuf take_then_zero[] = {{0, -1, 0}, {0, 0, 0}};
	T_OK(B->semop(id, take_then_zero, 2));
	T_EQ(B->semctl(id, 0, GETVAL), 0);

	setval(id, 1);
	struct sembuf zero_then_take[] = {{0, 0, IPC_NOWAIT}, {0, -1, 0}};
	T_FAIL_ERRNO(B->semop(id, zero_then_take, 2), EAGAIN);
	T_EQ(B->semctl(id, 0, GETVAL), 1);

	setval(id, 0);
	struct sembuf down_up[] = {{0, -1, IPC_NOWAIT}, {0, 1, 0}};
	T_FAIL_ERRNO(B->semop(id, down_up, 2), EAGAIN);
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	struct sembuf up_first[] = {{0, 1, 0}, {0, -1, 0}};
	T_OK(B->semop(id, up_first, 2));
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	T_EQ(B->semctl(id, 0, GETPID), getpid());

	/* A blocked call is judged the same way when it is retried. */
	setval(id, 1);
	pid_t pid = t_fork();
	if (pid == 0) {
		struct sembuf ops[] = {{0, -2, 0}, {0, 1, 0}};
		struct timespec ts = t_ms((long)(5000 * t_time_mult()));
		T_OK(B->semtimedop(id, ops, 2, &ts));
		_exit(0);
	}
	t_wait_blocked(pid);
	T_EQ(B->semctl(id, 0, GETVAL), 1);
	struct sembuf up = {0, 1, 0};
	T_OK(B->semop(id, &up, 1));
	t_wait_ok(pid);
	T_EQ(B->semctl(id, 0, GETVAL), 1);
	return 0;
}
