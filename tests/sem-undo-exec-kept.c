/*
 * sem-undo-exec-kept.c - exec() neither applies nor drops SEM_UNDO
 * adjustments: while the new program (/bin/cat, which knows nothing of
 * semaphores) runs, the values stay as the process left them; when it
 * exits, they are undone.
 */
#include "helpers.h"

#include <fcntl.h>

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 1, 0600));
	int input[2], ready[2];
	T_OK(pipe(input));
	/* Closed by a successful exec: its end of file says exec is done. */
	T_OK(pipe2(ready, O_CLOEXEC));

	pid_t pid = t_fork();
	if (pid == 0) {
		struct sembuf up = {0, 3, SEM_UNDO};
		T_OK(B->semop(id, &up, 1));
		close(ready[0]);
		close(input[1]);
		int null = open("/dev/null", O_WRONLY);
		if (dup2(input[0], 0) < 0 || null < 0 || dup2(null, 1) < 0)
			_exit(126);
		execl("/bin/cat", "cat", (char *)NULL);
		int e = errno;
		T_ASSERT(write(ready[1], &e, sizeof(e)) == sizeof(e));
		_exit(127);
	}
	close(ready[1]);
	close(input[0]);
	int e = 0;
	T_EQ(read(ready[0], &e, sizeof(e)), 0);

	T_EQ(B->semctl(id, 0, GETVAL), 3);
	/* cat ends at end of input. */
	close(input[1]);
	t_wait_ok(pid);
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	T_EQ(B->semctl(id, 0, GETPID), pid);
	return 0;
}
