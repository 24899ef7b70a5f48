/*
 * shm-crash-attach.c - ipckit only: a process killed at any step of shmat
 * or shmdt, inside the segment's lock or not, leaves shm_nattch exact for
 * the survivors (the dead hold nothing), the segment usable at once, and a
 * removed segment destroyed when the survivors' attaches go.
 *
 * Crash points (IPCKIT_FAULT, src/shm.c): after shmat counted the attach
 * and before it maps; after it mapped and before it settles; inside the
 * lock while adding a record (table raised, record half written); after
 * shmdt unmapped and before it uncounts; inside the lock right after the
 * count went down.
 */
#include "helpers.h"

#include <signal.h>

static struct t_barrier *bar;

/*
 * Forks a child that waits for the parent (at `bar`), attaches `before`
 * times, then attaches (detach false) or detaches its first attach
 * (detach true) with IPCKIT_FAULT set to `point`, and must die there by
 * SIGKILL. The crash point is read once per process, at its first ipckit
 * call, so it is set before fork, and the child makes no ipckit call in
 * fork (the parent holds no attach then). Points on shmat's path are used
 * with before 0.
 */
static pid_t die_at(const char *point, int id, int before, bool detach)
{
	setenv("IPCKIT_FAULT", point, 1);
	pid_t pid = t_fork();
	if (pid == 0) {
		char *first = NULL;
		t_barrier_wait(bar);
		for (int i = 0; i < before; i++) {
			char *p = T_OK(ipckit_shmat(id, NULL, 0));
			if (!first)
				first = p;
		}
		if (detach)
			ipckit_shmdt(first);
		else
			ipckit_shmat(id, NULL, 0);
		_exit(3);
	}
	unsetenv("IPCKIT_FAULT");
	return pid;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_IPCKIT);
	static const struct {
		const char *point;
		int before;
		bool detach;
	} cases[] = {
		{"shm-attach-counted", 0, false},
		{"shm-attach-mapped", 0, false},
		{"shm-rec-add", 0, false},
		{"shm-detach-unmapped", 1, true},
		{"shm-detach-unmapped", 3, true},
		{"shm-sync-counted", 1, true},
		{"shm-sync-counted", 2, true},
	};
	bar = t_barrier_create(2);

	int id = T_OK(ipckit_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	char *p = T_OK(ipckit_shmat(id, NULL, 0));
	strcpy(p, "kept");
	T_OK(ipckit_shmdt(p));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pid_t pid = die_at(cases[i].point, id, cases[i].before,
				   cases[i].detach);
		t_barrier_wait(bar);
		T_EQ(t_wait_signal(pid), SIGKILL);
		if (t_shm_nattch(id) != 0)
			t_fail(__FILE__, __LINE__, "after %s: nattch %lu",
			       cases[i].point, t_shm_nattch(id));
		/* Usable at once: attach and detach work and count. */
		p = T_OK(ipckit_shmat(id, NULL, SHM_RDONLY));
		T_ASSERT(strcmp(p, "kept") == 0);
		T_EQ(t_shm_nattch(id), 1);
		T_OK(ipckit_shmdt(p));
		T_EQ(t_shm_nattch(id), 0);
	}

	/*
	 * Removed while the killed process was in the middle: our detach is
	 * the last, and destroys it.
	 */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int seg = T_OK(ipckit_shmget(IPC_PRIVATE, 4096,
					     IPC_CREAT | 0600));
		pid_t pid = die_at(cases[i].point, seg, cases[i].before,
				   cases[i].detach);
		p = T_OK(ipckit_shmat(seg, NULL, 0));
		T_OK(ipckit_shmctl(seg, IPC_RMID, NULL));
		t_barrier_wait(bar);
		T_EQ(t_wait_signal(pid), SIGKILL);
		T_EQ(t_shm_nattch(seg), 1);
		T_OK(ipckit_shmdt(p));
		struct shmid_ds ds;
		T_FAIL_ERRNO(ipckit_shmctl(seg, IPC_STAT, &ds), EINVAL);
	}

	T_OK(ipckit_shmctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
