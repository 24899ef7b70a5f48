/*
 * sem-semop-nowait.c - IPC_NOWAIT on the operation that would block makes
 * the call fail with EAGAIN, nothing applied. The flag on an operation
 * that can proceed does not stop a later one from blocking; and when a
 * blocked call is retried and the operation that now blocks carries
 * IPC_NOWAIT, the call fails with EAGAIN, as the kernel does.
 */
#include "helpers.h"

static int op(int id, unsigned short num, short val, short flg)
{
	struct sembuf sb = {num, val, flg};
	return B->semop(id, &sb, 1);
}

static pid_t start(int id, struct sembuf *ops, size_t n, int err)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		struct timespec ts = t_ms((long)(5000 * t_time_mult()));
		if (err)
			T_FAIL_ERRNO(B->semtimedop(id, ops, n, &ts), err);
		else
			T_OK(B->semtimedop(id, ops, n, &ts));
		_exit(0);
	}
	t_wait_blocked(pid);
	return pid;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 2, 0600));

	struct sembuf down[] = {{0, 1, 0}, {1, -1, IPC_NOWAIT}};
	T_FAIL_ERRNO(B->semop(id, down, 2), EAGAIN);
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	struct sembuf undo[] = {{0, 1, SEM_UNDO}, {1, -1, IPC_NOWAIT}};
	T_FAIL_ERRNO(B->semop(id, undo, 2), EAGAIN);
	T_EQ(B->semctl(id, 0, GETVAL), 0);

	T_OK(op(id, 1, 1, 0));
	struct sembuf zero[] = {{0, 1, 0}, {1, 0, IPC_NOWAIT}};
	T_FAIL_ERRNO(B->semop(id, zero, 2), EAGAIN);
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	T_EQ(B->semctl(id, 0, GETPID), 0);
	T_OK(op(id, 1, -1, 0));

	/* The flag sits on an operation that can proceed: the call blocks. */
	T_OK(op(id, 0, 1, 0));
	struct sembuf later[] = {{0, -1, IPC_NOWAIT}, {1, -1, 0}};
	pid_t pid = start(id, later, 2, 0);
	T_EQ(B->semctl(id, 0, GETVAL), 1);
	T_EQ(B->semctl(id, 1, GETNCNT), 1);
	T_OK(op(id, 1, 1, 0));
	t_wait_ok(pid);
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	T_EQ(B->semctl(id, 1, GETVAL), 0);

	/* Blocked on 0 first; once 0 is free, 1 blocks and carries the flag. */
	struct sembuf retry[] = {{0, -1, 0}, {1, -1, IPC_NOWAIT}};
	pid = start(id, retry, 2, EAGAIN);
	T_EQ(B->semctl(id, 0, GETNCNT), 1);
	T_OK(op(id, 0, 1, 0));
	t_wait_ok(pid);
	T_EQ(B->semctl(id, 0, GETVAL), 1);
	T_EQ(B->semctl(id, 0, GETNCNT), 0);
	T_EQ(B->semctl(id, 1, GETNCNT), 0);
	return 0;
}
