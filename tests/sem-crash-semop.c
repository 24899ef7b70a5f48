/*
 * sem-crash-semop.c - ipckit only: a process killed at any step of a semop
 * inside the set's lock leaves the operation done or not done, never half:
 * its values, sempids, sem_otime and SEM_UNDO adjustments all agree.
 *
 * Crash points (IPCKIT_FAULT, src/sem.c, "The journal"): the new values
 * computed, not committed (not done); committed (done); the first of three
 * semaphores written (done); all written, the journal not yet idle (done,
 * once: the redo sets values, it does not add twice). With SEM_UNDO the
 * dead process's adjustments are then applied, which gives back exactly
 * the starting values only if they were journalled with the values.
 */
#include "helpers.h"

#include <signal.h>

static const struct {
	const char *point;
	bool done;
} steps[] = {
	{"sem-semop-filled", false},
	{"sem-semop-committed", true},
	{"sem-semop-applying", true},
	{"sem-semop-applied", true},
};

static void set_all(int id, unsigned short a, unsigned short b,
		    unsigned short c)
{
	unsigned short v[3] = {a, b, c};
	union semun arg = {.array = v};
	T_OK(B->semctl(id, 0, SETALL, arg));
}

static void expect_all(int id, int a, int b, int c)
{
	unsigned short v[3];
	union semun arg = {.array = v};
	T_OK(B->semctl(id, 0, GETALL, arg));
	if (v[0] != a || v[1] != b || v[2] != c)
		t_fail(__FILE__, __LINE__, "values %d %d %d, expected %d %d %d",
		       v[0], v[1], v[2], a, b, c);
}

static time_t otime(int id)
{
	struct semid_ds ds;
	union semun arg = {.buf = &ds};
	T_OK(B->semctl(id, 0, IPC_STAT, arg));
	return ds.sem_otime;
}

/* A child runs the semop with IPCKIT_FAULT=point and must die there. */
static pid_t die_at(const char *point, int id, short flg)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		setenv("IPCKIT_FAULT", point, 1);
		struct sembuf ops[] = {{0, -1, flg}, {1, 1, flg}, {2, 2, flg}};
		B->semop(id, ops, 3);
		_exit(3);
	}
	T_EQ(t_wait_signal(pid), SIGKILL);
	return pid;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_IPCKIT);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		int id = T_OK(B->semget(IPC_PRIVATE, 3, 0600));
		set_all(id, 1, 0, 5);
		pid_t pid = die_at(steps[i].point, id, 0);
		if (steps[i].done) {
			expect_all(id, 0, 1, 7);
			for (int s = 0; s < 3; s++)
				T_EQ(B->semctl(id, s, GETPID), pid);
			T_ASSERT(otime(id) > 0);
		} else {
			expect_all(id, 1, 0, 5);
			for (int s = 0; s < 3; s++)
				T_EQ(B->semctl(id, s, GETPID), getpid());
			T_EQ(otime(id), 0);
		}
		/* The set works at once, blocking calls included. */
		struct sembuf up = {0, 1, 0}, down = {0, -1, 0};
		T_OK(B->semop(id, &up, 1));
		struct timespec ts = t_ms(5000);
		T_OK(B->semtimedop(id, &down, 1, &ts));

		/* With SEM_UNDO: whether done or not, nothing stays. */
		set_all(id, 1, 0, 5);
		pid = die_at(steps[i].point, id, SEM_UNDO);
		expect_all(id, 1, 0, 5);
		for (int s = 0; s < 3; s++)
			T_EQ(B->semctl(id, s, GETPID),
			     steps[i].done ? pid : getpid());
		T_OK(B->semctl(id, 0, IPC_RMID));
	}
	return 0;
}
