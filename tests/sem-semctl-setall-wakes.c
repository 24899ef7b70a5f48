/*
 * sem-semctl-setall-wakes.c - SETALL wakes every waiter whose whole
 * operation the new values let through, and no other.
 */
#include "sem-common.h"

#include <sys/wait.h>

static void setall(int id, unsigned short a, unsigned short b, unsigned short c)
{
	unsigned short v[] = {a, b, c};
	union semun arg = {.array = v};
	T_OK(B->semctl(id, 0, SETALL, arg));
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 3, 0600));
	setall(id, 0, 0, 1);

	struct sembuf pair[] = {{0, -1, 0}, {1, -1, 0}};
	struct sembuf zero = {2, 0, 0};
	pid_t p1 = waiter_start(id, pair, 2);
	pid_t p2 = waiter_start(id, &zero, 1);

	setall(id, 1, 0, 2);
	T_EQ(B->semctl(id, 1, GETNCNT), 1);
	T_EQ(B->semctl(id, 2, GETZCNT), 1);
	T_EQ(waitpid(p1, NULL, WNOHANG), 0);
	T_EQ(waitpid(p2, NULL, WNOHANG), 0);

	setall(id, 1, 1, 0);
	t_wait_ok(p1);
	t_wait_ok(p2);
	unsigned short v[3];
	union semun arg = {.array = v};
	T_OK(B->semctl(id, 0, GETALL, arg));
	T_EQ(v[0], 0);
	T_EQ(v[1], 0);
	T_EQ(v[2], 0);
	return 0;
}
