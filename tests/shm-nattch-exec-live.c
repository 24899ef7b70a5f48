/*
 * shm-nattch-exec-live.c - exec() drops the attaches at the exec, not at
 * exit: while the new program (cat, waiting on its input) still runs, the
 * parent sees only its own attach counted, and a segment removed meanwhile
 * is gone although the exec'd process lives.
 */
#include "helpers.h"

#include <fcntl.h>

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int ready[2], input[2];
	char c;

	int id = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	int removed = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	char *p = T_OK(B->shmat(id, NULL, 0));
	/* ready closes on a successful exec, so its EOF says "exec done". */
	T_OK(pipe2(ready, O_CLOEXEC));
	T_OK(pipe(input));

	pid_t pid = t_fork();
	if (pid == 0) {
		T_OK(B->shmat(id, NULL, 0));
		T_OK(B->shmat(removed, NULL, 0));
		T_OK(B->shmctl(removed, IPC_RMID, NULL));
		close(ready[0]);
		close(input[1]);
		T_OK(dup2(input[0], 0));
		int null = T_OK(open("/dev/null", O_WRONLY));
		T_OK(dup2(null, 1));
		execl("/bin/cat", "cat", (char *)NULL);
		T_OK(write(ready[1], "x", 1));
		_exit(1);
	}
	close(ready[1]);
	close(input[0]);
	T_EQ(read(ready[0], &c, 1), 0);

	T_EQ(t_shm_nattch(id), 1);
	struct shmid_ds ds;
	T_FAIL_ERRNO(B->shmctl(removed, IPC_STAT, &ds), EINVAL);

	close(input[1]);
	T_EQ(t_wait_exit(pid), 0);
	T_EQ(t_shm_nattch(id), 1);
	T_OK(B->shmdt(p));
	T_OK(B->shmctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
