/*
 * shm-nattch-kill.c - death by a signal drops all of a process's attaches,
 * own and inherited: SIGKILL, and a default-action signal that dumps core
 * (SIGABRT). Read after waitpid; ipckit must reap before it answers.
 */
#include "helpers.h"

#include <signal.h>
#include <sys/resource.h>

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct t_barrier *bar = t_barrier_create(2);

	int id = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	char *p = T_OK(B->shmat(id, NULL, 0));

	pid_t pid = t_fork();
	if (pid == 0) {
		T_OK(B->shmat(id, NULL, 0));
		T_OK(B->shmat(id, NULL, SHM_RDONLY));
		t_barrier_wait(bar);
		for (;;)
			pause();
	}
	t_barrier_wait(bar);
	T_EQ(t_shm_nattch(id), 4);
	T_OK(kill(pid, SIGKILL));
	T_EQ(t_wait_signal(pid), SIGKILL);
	T_EQ(t_shm_nattch(id), 1);

	pid = t_fork();
	if (pid == 0) {
		struct rlimit no_core = {0, 0};
		setrlimit(RLIMIT_CORE, &no_core);
		T_OK(B->shmat(id, NULL, 0));
		T_EQ(t_shm_nattch(id), 3);
		abort();
	}
	T_EQ(t_wait_signal(pid), SIGABRT);
	T_EQ(t_shm_nattch(id), 1);

	/* Several killed at once, each holding three. */
	pid_t pids[4];
	struct t_barrier *all = t_barrier_create(5);
	for (int i = 0; i < 4; i++) {
		pids[i] = t_fork();
		if (pids[i] == 0) {
			T_OK(B->shmat(id, NULL, 0));
			T_OK(B->shmat(id, NULL, 0));
			t_barrier_wait(all);
			for (;;)
				pause();
		}
	}
	t_barrier_wait(all);
	T_EQ(t_shm_nattch(id), 1 + 4 * 3);
	for (int i = 0; i < 4; i++)
		T_OK(kill(pids[i], SIGKILL));
	for (int i = 0; i < 4; i++)
		T_EQ(t_wait_signal(pids[i]), SIGKILL);
	T_EQ(t_shm_nattch(id), 1);

	T_OK(B->shmdt(p));
	T_EQ(t_shm_nattch(id), 0);
	T_OK(B->shmctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
