/*
 * sem-undo-fork.c - SEM_UNDO adjustments are not inherited by fork(): a
 * child's exit undoes only what the child did with SEM_UNDO, and its
 * parent's adjustments stay until the parent ends.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 2, 0600));

	/* The middle process plays the parent, so its own end is seen. */
	pid_t middle = t_fork();
	if (middle == 0) {
		struct sembuf mine = {0, 1, SEM_UNDO};
		T_OK(B->semop(id, &mine, 1));
		pid_t child = t_fork();
		if (child == 0) {
			struct sembuf ops[] = {{0, 2, SEM_UNDO},
					       {1, 1, SEM_UNDO}};
			T_OK(B->semop(id, ops, 2));
			T_EQ(B->semctl(id, 0, GETVAL), 3);
			_exit(0);
		}
		t_wait_ok(child);
		T_EQ(B->semctl(id, 0, GETVAL), 1);
		T_EQ(B->semctl(id, 1, GETVAL), 0);
		/*
		 * An inherited adjustment would have let the child's exit
		 * take semaphore 0 to 0, and this one would now fail.
		 */
		struct sembuf take = {0, -1, IPC_NOWAIT};
		struct sembuf give = {0, 1, 0};
		T_OK(B->semop(id, &take, 1));
		T_OK(B->semop(id, &give, 1));
		_exit(0);
	}
	t_wait_ok(middle);
	/* The middle process's +1 (with SEM_UNDO) is undone at its end. */
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	T_EQ(B->semctl(id, 1, GETVAL), 0);
	return 0;
}
