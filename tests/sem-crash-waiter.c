/*
 * sem-crash-waiter.c - ipckit only: a process killed while it records
 * itself as a waiter, or while it takes its SEM_UNDO record, inside the
 * set's lock, leaves nothing behind: no phantom waiter in GETNCNT, no value
 * handed to the dead, no adjustment applied for an operation that never
 * happened.
 *
 * Crash points (IPCKIT_FAULT, src/sem.c): a waiter slot filled, before the
 * store that makes it a waiter; an undo record filled, before the store
 * that makes it taken.
 */
#include "helpers.h"

#include <signal.h>

int main(int argc, char **argv)
{
	t_init(argc, argv, T_IPCKIT);
	int id = T_OK(B->semget(IPC_PRIVATE, 1, 0600));

	pid_t pid = t_fork();
	if (pid == 0) {
		setenv("IPCKIT_FAULT", "sem-waiter-filled", 1);
		struct sembuf down = {0, -1, 0};
		B->semop(id, &down, 1);
		_exit(3);
	}
	T_EQ(t_wait_signal(pid), SIGKILL);
	T_EQ(B->semctl(id, 0, GETNCNT), 0);
	struct sembuf up = {0, 1, 0};
	T_OK(B->semop(id, &up, 1));
	T_EQ(B->semctl(id, 0, GETVAL), 1);
	T_EQ(B->semctl(id, 0, GETPID), getpid());

	pid = t_fork();
	if (pid == 0) {
		setenv("IPCKIT_FAULT", "sem-undo-taken", 1);
		struct sembuf down = {0, -1, SEM_UNDO};
		B->semop(id, &down, 1);
		_exit(3);
	}
	T_EQ(t_wait_signal(pid), SIGKILL);
	T_EQ(B->semctl(id, 0, GETVAL), 1);
	T_EQ(B->semctl(id, 0, GETPID), getpid());

	/* Undo records still work: a child's is taken and applied. */
	pid = t_fork();
	if (pid == 0) {
		struct sembuf down = {0, -1, SEM_UNDO};
		T_OK(B->semop(id, &down, 1));
		_exit(0);
	}
	t_wait_ok(pid);
	T_EQ(B->semctl(id, 0, GETVAL), 1);
	T_EQ(B->semctl(id, 0, GETPID), pid);
	return 0;
}
