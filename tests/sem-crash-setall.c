/*
 * sem-crash-setall.c - ipckit only: a process killed at any step of SETALL
 * or SETVAL inside the set's lock leaves the command done or not done:
 * the new values and the cleared adjustments of every other process go
 * together. A live holder's adjustments show which: after its death they
 * are applied to the values they belong to, or were cleared with them.
 *
 * Crash points (IPCKIT_FAULT, src/sem.c): the new values in the journal,
 * not committed; committed; the first value written; all written, the
 * adjustments cleared, the journal not yet idle.
 */
#include "helpers.h"

#include <signal.h>

static const char *const steps[] = {"filled", "committed", "applying",
				    "applied"};

static void expect_all(int id, int a, int b, int c)
{
	unsigned short v[3];
	union semun arg = {.array = v};
	T_OK(B->semctl(id, 0, GETALL, arg));
	if (v[0] != a || v[1] != b || v[2] != c)
		t_fail(__FILE__, __LINE__, "values %d %d %d, expected %d %d %d",
		       v[0], v[1], v[2], a, b, c);
}

/* A child holding adjustments {+1, -2, 0}: values {1,1,1} -> {0,3,1}. */
static pid_t start_holder(int id, struct t_barrier *bar)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		struct sembuf ops[] = {{0, -1, SEM_UNDO}, {1, 2, SEM_UNDO}};
		T_OK(B->semop(id, ops, 2));
		t_barrier_wait(bar);
		for (;;)
			pause();
	}
	t_barrier_wait(bar);
	return pid;
}

/* SETALL {4,5,6} (setall) or SETVAL 1 = 9, killed at step. */
static void die_at(int id, bool setall, const char *step)
{
	char point[64];
	snprintf(point, sizeof(point), "sem-%s-%s",
		 setall ? "setall" : "setval", step);
	pid_t pid = t_fork();
	if (pid == 0) {
		setenv("IPCKIT_FAULT", point, 1);
		unsigned short v[3] = {4, 5, 6};
		union semun all = {.array = v}, one = {.val = 9};
		if (setall)
			B->semctl(id, 0, SETALL, all);
		else
			B->semctl(id, 1, SETVAL, one);
		_exit(3);
	}
	T_EQ(t_wait_signal(pid), SIGKILL);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_IPCKIT);
	struct t_barrier *bar = t_barrier_create(2);
	for (int setall = 0; setall < 2; setall++) {
		for (size_t i = 0; i < 4; i++) {
			bool done = i > 0;
			int id = T_OK(B->semget(IPC_PRIVATE, 3, 0600));
			unsigned short init[3] = {1, 1, 1};
			union semun arg = {.array = init};
			T_OK(B->semctl(id, 0, SETALL, arg));
			pid_t holder = start_holder(id, bar);
			expect_all(id, 0, 3, 1);

			die_at(id, setall, steps[i]);
			if (!done)
				expect_all(id, 0, 3, 1);
			else if (setall)
				expect_all(id, 4, 5, 6);
			else
				expect_all(id, 0, 9, 1);

			T_OK(kill(holder, SIGKILL));
			T_EQ(t_wait_signal(holder), SIGKILL);
			if (!done)
				expect_all(id, 1, 1, 1);
			else if (setall)
				expect_all(id, 4, 5, 6);
			else
				expect_all(id, 1, 9, 1);
			T_OK(B->semctl(id, 0, IPC_RMID));
		}
	}
	return 0;
}
