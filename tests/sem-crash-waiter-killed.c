/*
 * sem-crash-waiter-killed.c - a waiter killed while blocked gets nothing,
 * even when nobody looks at the set between its death and the next change:
 * the value goes to the live waiter queued behind it, with or without
 * SEM_UNDO on the dead one's operation. (ipckit completes waiters for
 * them; one handed a value after it died gives it back: src/sem.c,
 * sma_flush.)
 */
#include "sem-common.h"

#include <signal.h>

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 1, 0600));
	for (int undo = 0; undo < 2; undo++) {
		struct sembuf take = {0, -1, undo ? SEM_UNDO : 0};
		struct sembuf plain = {0, -1, 0};
		pid_t dead = waiter_start(id, &take, 1);
		pid_t live = waiter_start(id, &plain, 1);
		T_OK(kill(dead, SIGKILL));
		T_EQ(t_wait_signal(dead), SIGKILL);

		/* No semctl in between: the give is the first to see it. */
		struct sembuf up = {0, 1, 0};
		T_OK(B->semop(id, &up, 1));
		t_wait_ok(live);
		T_EQ(B->semctl(id, 0, GETVAL), 0);
		T_EQ(B->semctl(id, 0, GETPID), live);
		T_EQ(B->semctl(id, 0, GETNCNT), 0);

		/* Nothing was left with the dead: one unit serves one. */
		T_OK(B->semop(id, &up, 1));
		struct sembuf down = {0, -1, IPC_NOWAIT};
		T_OK(B->semop(id, &down, 1));
		T_FAIL_ERRNO(B->semop(id, &down, 1), EAGAIN);
	}
	return 0;
}
