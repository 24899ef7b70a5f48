/*
 * shm-nattch-exit.c - a process's attaches, its own and inherited, all go
 * when it ends normally, by exit() or by _exit(), without shmdt: after
 * waitpid shm_nattch counts only the survivors'.
 */
#include "helpers.h"

/*
 * A child that attaches twice more and ends with exit() or _exit(). With
 * no other child about, it sees the parent's, its inherited and its own.
 */
static pid_t spawn(int id, bool use_exit, bool alone)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		T_OK(B->shmat(id, NULL, 0));
		T_OK(B->shmat(id, NULL, SHM_RDONLY));
		if (alone)
			T_EQ(t_shm_nattch(id), 1 + 1 + 2);
		if (use_exit)
			exit(0);
		_exit(0);
	}
	return pid;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);

	int id = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	char *p = T_OK(B->shmat(id, NULL, 0));

	pid_t pid = spawn(id, true, true);
	t_wait_ok(pid);
	T_EQ(t_shm_nattch(id), 1);

	pid = spawn(id, false, true);
	t_wait_ok(pid);
	T_EQ(t_shm_nattch(id), 1);

	/* Several at once. */
	pid_t pids[4];
	for (int i = 0; i < 4; i++)
		pids[i] = spawn(id, i % 2, false);
	for (int i = 0; i < 4; i++)
		t_wait_ok(pids[i]);
	T_EQ(t_shm_nattch(id), 1);

	T_OK(B->shmdt(p));
	T_EQ(t_shm_nattch(id), 0);
	T_OK(B->shmctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
