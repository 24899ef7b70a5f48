/*
 * sem-semget-key-shared.c - every process that opens a key reaches the
 * same set, under the same id.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	key_t key = t_key(1);
	int id = T_OK(B->semget(key, 2, IPC_CREAT | 0600));
	int *seen = t_shared_alloc(sizeof(int));

	pid_t pid = t_fork();
	if (pid == 0) {
		*seen = T_OK(B->semget(key, 0, 0));
		struct sembuf up = {1, 5, 0};
		T_OK(B->semop(*seen, &up, 1));
		_exit(0);
	}
	t_wait_ok(pid);
	T_EQ(*seen, id);
	T_EQ(B->semctl(id, 1, GETVAL), 5);
	return 0;
}
