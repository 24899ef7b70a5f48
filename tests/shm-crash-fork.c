/*
 * shm-crash-fork.c - ipckit only: fork() of an attached process counts
 * the child's inherited attaches through a PENDING record the parent makes
 * before fork() and hands to the child after. A parent killed at either
 * step leaves shm_nattch exact: killed in the prepare handler (no child
 * yet), its records and the PENDING one go with it; killed after adding
 * the child's record but before dropping the PENDING one, the child is
 * counted once and keeps its attaches.
 *
 * The grandchild of the killed parent is waited for as its subreaper.
 */
#include "helpers.h"

#include <signal.h>
#include <sys/prctl.h>

int main(int argc, char **argv)
{
	t_init(argc, argv, T_IPCKIT);
	struct t_barrier *bar = t_barrier_create(2);
	pid_t *grandchild = t_shared_alloc(sizeof(pid_t));
	T_OK(prctl(PR_SET_CHILD_SUBREAPER, 1));

	int id = T_OK(ipckit_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	char *mine = T_OK(ipckit_shmat(id, NULL, 0));

	/*
	 * Killed in the prepare handler, after the PENDING record. The crash
	 * point is read at the child's first ipckit call, so it is set
	 * before fork.
	 */
	setenv("IPCKIT_FAULT", "shm-fork-pending", 1);
	pid_t pid = t_fork();
	if (pid == 0) {
		T_OK(ipckit_shmat(id, NULL, 0));
		T_OK(ipckit_shmat(id, NULL, SHM_RDONLY));
		fork(); /* dies in it */
		_exit(3);
	}
	unsetenv("IPCKIT_FAULT");
	T_EQ(t_wait_signal(pid), SIGKILL);
	T_EQ(t_shm_nattch(id), 1);

	/* Killed after handing the child its record. */
	setenv("IPCKIT_FAULT", "shm-fork-handoff", 1);
	pid = t_fork();
	if (pid == 0) {
		T_OK(ipckit_shmat(id, NULL, 0));
		T_OK(ipckit_shmat(id, NULL, SHM_RDONLY));
		pid_t g = fork();
		if (g == 0) {
			*grandchild = getpid();
			t_barrier_wait(bar); /* forked */
			t_barrier_wait(bar); /* counted */
			_exit(0);
		}
		_exit(3); /* not reached: dies in fork() */
	}
	unsetenv("IPCKIT_FAULT");
	T_EQ(t_wait_signal(pid), SIGKILL);
	t_barrier_wait(bar);
	/* Ours, and the three the grandchild inherited; its parent's went. */
	T_EQ(t_shm_nattch(id), 1 + 3);
	t_barrier_wait(bar);
	t_wait_ok(*grandchild);
	T_EQ(t_shm_nattch(id), 1);

	T_OK(ipckit_shmdt(mine));
	T_EQ(t_shm_nattch(id), 0);
	T_OK(ipckit_shmctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
