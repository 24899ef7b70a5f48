/*
 * sem-crash-undo-exit.c - ipckit only: a process killed while exit()
 * applies its SEM_UNDO adjustments, at any step, has them applied exactly
 * once in the end: by the next locker's repair (the journal was committed)
 * or by the reap of its record (it was not).
 *
 * Crash points (IPCKIT_FAULT, src/sem.c): the undone values computed, not
 * committed; committed; the first of three written; all written, the
 * record freed, the journal not yet idle.
 */
#include "helpers.h"

#include <signal.h>

static const char *const points[] = {
	"sem-undo-filled",
	"sem-undo-committed",
	"sem-undo-applying",
	"sem-undo-applied",
};

static void expect_all(int id, int a, int b, int c)
{
	unsigned short v[3];
	union semun arg = {.array = v};
	T_OK(B->semctl(id, 0, GETALL, arg));
	if (v[0] != a || v[1] != b || v[2] != c)
		t_fail(__FILE__, __LINE__, "values %d %d %d, expected %d %d %d",
		       v[0], v[1], v[2], a, b, c);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_IPCKIT);
	for (size_t i = 0; i < sizeof(points) / sizeof(points[0]); i++) {
		int id = T_OK(B->semget(IPC_PRIVATE, 3, 0600));
		unsigned short init[3] = {5, 5, 5};
		union semun arg = {.array = init};
		T_OK(B->semctl(id, 0, SETALL, arg));

		pid_t pid = t_fork();
		if (pid == 0) {
			setenv("IPCKIT_FAULT", points[i], 1);
			struct sembuf ops[] = {{0, -2, SEM_UNDO},
					       {1, 3, SEM_UNDO},
					       {2, -5, SEM_UNDO},
					       {0, 1, 0}};
			T_OK(B->semop(id, ops, 4));
			/* The undo runs in exit(), where the crash point is. */
			exit(0);
		}
		T_EQ(t_wait_signal(pid), SIGKILL);
		/* Undone once: the change made without SEM_UNDO stays. */
		expect_all(id, 6, 5, 5);
		T_EQ(B->semctl(id, 0, GETPID), pid);
		T_EQ(B->semctl(id, 1, GETPID), pid);
		T_EQ(B->semctl(id, 2, GETPID), pid);
		/* Nothing is left to undo a second time. */
		T_OK(ipckit_gc());
		expect_all(id, 6, 5, 5);
		T_OK(B->semctl(id, 0, IPC_RMID));
	}
	return 0;
}
