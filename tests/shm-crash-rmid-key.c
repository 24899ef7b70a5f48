/*
 * shm-crash-rmid-key.c - ipckit only; a regression test for a bug the
 * torture harness found (docs/RELIABILITY.md), fixed in obj.c's
 * ipckit__get(), which no longer opens a SHM_DEST segment by its key.
 *
 * A process killed inside IPC_RMID of a segment it has attached, after
 * setting SHM_DEST and before unlinking the key ("shm-rmid-dest"): the key
 * name still leads to the dying segment until something locks it (the
 * repair unlinks the key then). shmget(key, IPC_CREAT) opens by key
 * without locking, so it returns the dying segment's id instead of making
 * a new segment, and shmat of that id fails (EINVAL) once the dead holder
 * is reaped and the segment destroyed. On the kernel IPC_RMID is atomic:
 * the key is free and shmget makes a new segment.
 */
#include "helpers.h"

#include <signal.h>

int main(int argc, char **argv)
{
	t_init(argc, argv, T_IPCKIT);
	key_t key = t_key(1);
	pid_t pid = t_fork();
	if (pid == 0) {
		/* Read when this process first passes a crash point. */
		setenv("IPCKIT_FAULT", "shm-rmid-dest", 1);
		int id = ipckit_shmget(key, 4096, IPC_CREAT | 0600);
		if (id < 0 || ipckit_shmat(id, NULL, 0) == (void *)-1)
			_exit(1);
		ipckit_shmctl(id, IPC_RMID, NULL);
		_exit(2);
	}
	T_EQ(t_wait_signal(pid), SIGKILL);
	int id = T_OK(ipckit_shmget(key, 4096, IPC_CREAT | 0600));
	void *p = T_OK(ipckit_shmat(id, NULL, 0));
	T_OK(ipckit_shmdt(p));
	T_OK(ipckit_shmctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
