/*
 * sem-limits-undo.c - ipckit only: a set holds 128 SEM_UNDO records (fewer
 * only for sets of over 4096 semaphores). A process needing one more gets
 * ENOMEM, reported before EFBIG as the kernel reports a failed undo
 * allocation; a record whose adjustments are back to zero is reclaimed,
 * and so is a dead process's (its adjustments applied first).
 */
#include "helpers.h"

#include <signal.h>

#define RECORDS 128

int main(int argc, char **argv)
{
	t_init(argc, argv, T_IPCKIT);
	int id = T_OK(B->semget(IPC_PRIVATE, 2, 0600));
	union semun arg = {.val = 1000};
	T_OK(B->semctl(id, 0, SETVAL, arg));
	struct t_barrier *bar = t_barrier_create(RECORDS + 1);
	struct t_barrier *go = t_barrier_create(2);
	pid_t pids[RECORDS];
	for (int i = 0; i < RECORDS; i++) {
		pids[i] = t_fork();
		if (pids[i] == 0) {
			struct sembuf down = {0, -1, SEM_UNDO};
			T_OK(B->semop(id, &down, 1));
			t_barrier_wait(bar);
			if (i == 0) {
				/* Back to zero adjustments, and say so. */
				t_barrier_wait(go);
				struct sembuf up = {0, 1, SEM_UNDO};
				T_OK(B->semop(id, &up, 1));
				t_barrier_wait(go);
			}
			for (;;)
				pause();
		}
	}
	t_barrier_wait(bar);
	T_EQ(B->semctl(id, 0, GETVAL), 1000 - RECORDS);

	struct sembuf mine = {0, -1, SEM_UNDO}, far = {2, -1, SEM_UNDO};
	T_FAIL_ERRNO(B->semop(id, &mine, 1), ENOMEM);
	T_FAIL_ERRNO(B->semop(id, &far, 1), ENOMEM);
	/* Without SEM_UNDO nothing is needed. */
	struct sembuf plain = {0, -1, 0};
	T_OK(B->semop(id, &plain, 1));

	/* A record back at zero is free for the taking. */
	t_barrier_wait(go);
	t_barrier_wait(go);
	T_OK(B->semop(id, &mine, 1));
	T_FAIL_ERRNO(B->semop(id, &far, 1), EFBIG);

	/* A dead holder's record is applied, then reused. */
	struct sembuf zero = {1, 0, SEM_UNDO};
	pid_t child = t_fork();
	if (child == 0) {
		T_FAIL_ERRNO(B->semop(id, &zero, 1), ENOMEM);
		_exit(0);
	}
	t_wait_ok(child);
	T_OK(kill(pids[1], SIGKILL));
	T_EQ(t_wait_signal(pids[1]), SIGKILL);
	child = t_fork();
	if (child == 0) {
		T_OK(B->semop(id, &zero, 1));
		_exit(0);
	}
	t_wait_ok(child);
	/* Taken: 128 by the holders, 1 plain, 1 mine; back: 1 + 1 dead. */
	T_EQ(B->semctl(id, 0, GETVAL), 1000 - RECORDS - 2 + 2);

	for (int i = 0; i < RECORDS; i++)
		if (i != 1)
			T_OK(kill(pids[i], SIGKILL));
	for (int i = 0; i < RECORDS; i++)
		if (i != 1)
			T_EQ(t_wait_signal(pids[i]), SIGKILL);
	return 0;
}
