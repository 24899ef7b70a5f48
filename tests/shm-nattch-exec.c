/*
 * shm-nattch-exec.c - exec() drops a process's attaches: a child holding
 * inherited and own attaches execs /bin/true, and after waitpid only the
 * parent's attach is counted.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);

	int id = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	char *p = T_OK(B->shmat(id, NULL, 0));

	pid_t pid = t_fork();
	if (pid == 0) {
		T_OK(B->shmat(id, NULL, 0));
		T_EQ(t_shm_nattch(id), 3);
		execl("/bin/true", "true", (char *)NULL);
		t_fail(__FILE__, __LINE__, "exec: %s", strerror(errno));
	}
	T_EQ(t_wait_exit(pid), 0);
	T_EQ(t_shm_nattch(id), 1);

	T_OK(B->shmdt(p));
	T_OK(B->shmctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
