/*
 * sem-semop-wake-all.c - when one call changes several values, every
 * blocked waiter whose whole operation can now proceed does, and a waiter
 * that still cannot stays blocked. sempid names the waiter for the
 * semaphores its completed operation touched.
 */
#include "sem-common.h"

#include <sys/wait.h>

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 5, 0600));
	union semun arg = {.val = 1};
	T_OK(B->semctl(id, 4, SETVAL, arg));

	struct sembuf w1[] = {{0, -1, 0}, {1, -1, 0}};
	struct sembuf w2[] = {{1, -1, 0}, {2, -1, 0}};
	struct sembuf w3[] = {{4, 0, 0}};
	struct sembuf w4[] = {{3, -1, 0}};
	pid_t p1 = waiter_start(id, w1, 2);
	pid_t p2 = waiter_start(id, w2, 2);
	pid_t p3 = waiter_start(id, w3, 1);
	pid_t p4 = waiter_start(id, w4, 1);

	/* Each waiter counts once, on the operation that blocks it. */
	T_EQ(B->semctl(id, 0, GETNCNT), 1);
	T_EQ(B->semctl(id, 1, GETNCNT), 1);
	T_EQ(B->semctl(id, 2, GETNCNT), 0);
	T_EQ(B->semctl(id, 3, GETNCNT), 1);
	T_EQ(B->semctl(id, 4, GETZCNT), 1);

	/* Enough for w1, w2 and w3 together; nothing for w4. */
	struct sembuf give[] = {{0, 1, 0}, {1, 2, 0}, {2, 1, 0}, {4, -1, 0}};
	T_OK(B->semop(id, give, 4));
	t_wait_ok(p1);
	t_wait_ok(p2);
	t_wait_ok(p3);

	unsigned short v[5];
	arg.array = v;
	T_OK(B->semctl(id, 0, GETALL, arg));
	for (int i = 0; i < 5; i++)
		T_EQ(v[i], 0);
	T_EQ(B->semctl(id, 0, GETPID), p1);
	T_EQ(B->semctl(id, 2, GETPID), p2);
	T_EQ(B->semctl(id, 4, GETPID), p3);
	T_EQ(B->semctl(id, 3, GETPID), 0);

	T_EQ(waitpid(p4, NULL, WNOHANG), 0);
	T_EQ(B->semctl(id, 3, GETNCNT), 1);
	struct sembuf last = {3, 1, 0};
	T_OK(B->semop(id, &last, 1));
	t_wait_ok(p4);
	T_EQ(B->semctl(id, 3, GETVAL), 0);
	T_EQ(B->semctl(id, 3, GETPID), p4);
	return 0;
}
