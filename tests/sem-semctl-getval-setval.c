/*
 * sem-semctl-getval-setval.c - SETVAL sets one value (0 to 32767), the
 * caller's pid as its sempid, and leaves sem_otime alone; GETVAL returns
 * the value.
 */
#include "helpers.h"

static void setval(int id, int num, int v)
{
	union semun arg = {.val = v};
	T_EQ(B->semctl(id, num, SETVAL, arg), 0);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 2, 0600));

	setval(id, 0, 5);
	T_EQ(B->semctl(id, 0, GETVAL), 5);
	T_EQ(B->semctl(id, 1, GETVAL), 0);
	T_EQ(B->semctl(id, 0, GETPID), getpid());
	T_EQ(B->semctl(id, 1, GETPID), 0);
	setval(id, 1, 32767);
	T_EQ(B->semctl(id, 1, GETVAL), 32767);
	setval(id, 1, 0);
	T_EQ(B->semctl(id, 1, GETVAL), 0);

	/* The value is there for every process, as is the setter's pid. */
	pid_t pid = t_fork();
	if (pid == 0) {
		T_EQ(B->semctl(id, 0, GETVAL), 5);
		setval(id, 1, 3);
		_exit(0);
	}
	t_wait_ok(pid);
	T_EQ(B->semctl(id, 1, GETVAL), 3);
	T_EQ(B->semctl(id, 1, GETPID), pid);

	struct sembuf take = {1, -3, IPC_NOWAIT};
	T_OK(B->semop(id, &take, 1));

	struct semid_ds ds;
	union semun arg = {.buf = &ds};
	T_OK(B->semctl(id, 0, IPC_STAT, arg));
	time_t otime = ds.sem_otime;
	setval(id, 0, 1);
	T_OK(B->semctl(id, 0, IPC_STAT, arg));
	T_EQ(ds.sem_otime, otime);
	return 0;
}
