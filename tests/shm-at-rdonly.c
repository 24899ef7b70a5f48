/*
 * shm-at-rdonly.c - SHM_RDONLY attaches for reading only: reads see the
 * segment, the attach counts in shm_nattch, and a write through it kills
 * the writer with SIGSEGV without changing the segment.
 */
#include "helpers.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>

/*
 * Lets a write fault kill the child with SIGSEGV, with no core file.
 * Sanitizers catch SIGSEGV and exit(1) instead, and ignore sigaction()
 * calls for it, so the default action is put back by the system call
 * itself: an all-zero kernel sigaction is SIG_DFL on every architecture.
 */
static void let_segv_kill(void)
{
	struct rlimit no_core = {0, 0};
	unsigned long dfl[8] = {0};
	setrlimit(RLIMIT_CORE, &no_core);
	if (syscall(SYS_rt_sigaction, SIGSEGV, dfl, NULL, _NSIG / 8) < 0)
		t_fail(__FILE__, __LINE__, "rt_sigaction: %s", strerror(errno));
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct shmid_ds ds;

	int id = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	char *rw = T_OK(B->shmat(id, NULL, 0));
	strcpy(rw, "written");
	char *ro = T_OK(B->shmat(id, NULL, SHM_RDONLY));
	T_ASSERT(strcmp(ro, "written") == 0);
	rw[0] = 'W';
	T_EQ(ro[0], 'W');
	T_OK(B->shmctl(id, IPC_STAT, &ds));
	T_EQ(ds.shm_nattch, 2);

	pid_t pid = t_fork();
	if (pid == 0) {
		let_segv_kill();
		*(volatile char *)ro = 'X';
		_exit(0);
	}
	T_EQ(t_wait_signal(pid), SIGSEGV);

	/* The same in a process that attached read-only by itself. */
	pid = t_fork();
	if (pid == 0) {
		let_segv_kill();
		char *p = T_OK(B->shmat(id, NULL, SHM_RDONLY));
		T_EQ(p[0], 'W');
		*(volatile char *)(p + 100) = 'X';
		_exit(0);
	}
	T_EQ(t_wait_signal(pid), SIGSEGV);

	T_ASSERT(strcmp(rw, "Written") == 0);
	T_EQ(rw[100], 0);
	T_OK(B->shmctl(id, IPC_STAT, &ds));
	T_EQ(ds.shm_nattch, 2);
	T_OK(B->shmdt(ro));
	T_OK(B->shmdt(rw));
	T_OK(B->shmctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
