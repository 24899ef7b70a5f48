/*
 * sem-semtimedop-timeout.c - semtimedop gives up with EAGAIN once its
 * timeout passes, having applied nothing and leaving no count behind; a
 * zero timeout fails at once when the call would block, and a call that
 * need not block succeeds whatever the timeout.
 */
#include "helpers.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 2, 0600));

	struct sembuf down = {0, -1, 0};
	struct timespec ts = t_ms(50);
	double start = now();
	T_FAIL_ERRNO(B->semtimedop(id, &down, 1, &ts), EAGAIN);
	/* A lower bound only: the call must have waited. */
	T_ASSERT(now() - start >= 0.040);

	struct sembuf pair[] = {{1, 1, SEM_UNDO}, {0, -1, 0}};
	ts = t_ms(20);
	T_FAIL_ERRNO(B->semtimedop(id, pair, 2, &ts), EAGAIN);
	T_EQ(B->semctl(id, 1, GETVAL), 0);
	T_EQ(B->semctl(id, 0, GETNCNT), 0);
	T_EQ(B->semctl(id, 1, GETPID), 0);

	struct sembuf up = {1, 1, 0};
	T_OK(B->semop(id, &up, 1));
	struct sembuf zero = {1, 0, 0};
	ts = t_ms(20);
	T_FAIL_ERRNO(B->semtimedop(id, &zero, 1, &ts), EAGAIN);
	T_EQ(B->semctl(id, 1, GETZCNT), 0);

	ts = (struct timespec){0, 0};
	T_FAIL_ERRNO(B->semtimedop(id, &down, 1, &ts), EAGAIN);
	T_FAIL_ERRNO(B->semtimedop(id, &zero, 1, &ts), EAGAIN);

	struct sembuf take = {1, -1, 0};
	T_OK(B->semtimedop(id, &take, 1, &ts));
	ts = t_ms(20);
	T_OK(B->semtimedop(id, &zero, 1, &ts));
	T_EQ(B->semctl(id, 1, GETVAL), 0);
	return 0;
}
