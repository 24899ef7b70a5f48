/*
 * sem-semop-sempid-otime.c - a successful call sets sempid (GETPID) of
 * every semaphore it names, zero-waits included, to the caller's pid and
 * sem_otime to now; a failed call changes neither.
 */
#include "helpers.h"

static time_t otime(int id)
{
	struct semid_ds ds;
	union semun arg = {.buf = &ds};
	T_OK(B->semctl(id, 0, IPC_STAT, arg));
	return ds.sem_otime;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 3, 0600));

	struct sembuf block[] = {{0, 1, 0}, {1, -1, IPC_NOWAIT}};
	T_FAIL_ERRNO(B->semop(id, block, 2), EAGAIN);
	struct timespec ts = t_ms(10);
	struct sembuf timed[] = {{0, 1, 0}, {1, -1, 0}};
	T_FAIL_ERRNO(B->semtimedop(id, timed, 2, &ts), EAGAIN);
	struct sembuf range[] = {{0, 1, 0}, {2, 32767, 0}, {2, 1, 0}};
	T_FAIL_ERRNO(B->semop(id, range, 3), ERANGE);
	struct sembuf far[] = {{0, 1, 0}, {3, 1, 0}};
	T_FAIL_ERRNO(B->semop(id, far, 2), EFBIG);
	for (int i = 0; i < 3; i++)
		T_EQ(B->semctl(id, i, GETPID), 0);
	T_EQ(otime(id), 0);

	time_t before = time(NULL);
	struct sembuf two[] = {{0, 1, 0}, {2, 0, 0}};
	T_OK(B->semop(id, two, 2));
	time_t after = time(NULL);
	T_EQ(B->semctl(id, 0, GETPID), getpid());
	T_EQ(B->semctl(id, 1, GETPID), 0);
	T_EQ(B->semctl(id, 2, GETPID), getpid());
	time_t t = otime(id);
	T_ASSERT(t >= before && t <= after);

	/* A zero-wait alone counts as an operation too. */
	pid_t pid = t_fork();
	if (pid == 0) {
		struct sembuf zero = {1, 0, 0};
		T_OK(B->semop(id, &zero, 1));
		_exit(0);
	}
	t_wait_ok(pid);
	T_EQ(B->semctl(id, 1, GETPID), pid);
	T_EQ(B->semctl(id, 0, GETPID), getpid());
	T_ASSERT(otime(id) >= t);
	return 0;
}
