/*
 * sem-semctl-sem-stat-any.c - SEM_STAT needs read permission (EACCES at
 * the set's index otherwise); SEM_STAT_ANY does not, and finds the set in
 * a walk over the indices IPC_INFO reports.
 */
#include "helpers.h"

#include <sys/stat.h>

/* How many times a walk with `cmd` meets `id`; counts EACCES in *denied. */
static int walk(int cmd, int id, int *denied)
{
	struct seminfo si;
	union semun info = {.__buf = &si};
	int max = T_OK(B->semctl(0, 0, IPC_INFO, info));
	int hits = 0;
	*denied = 0;
	for (int i = 0; i <= max; i++) {
		struct semid_ds ds;
		union semun arg = {.buf = &ds};
		errno = 0;
		int r = B->semctl(i, 0, cmd, arg);
		if (r == id) {
			hits++;
			T_EQ(ds.sem_nsems, 2);
			T_EQ(ds.sem_perm.mode, 0600);
		} else if (r < 0 && errno == EACCES) {
			++*denied;
		} else if (r < 0) {
			T_EQ(errno, EINVAL);
		}
	}
	return hits;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	if (geteuid() != 0)
		t_skip("needs root to act as a second user");
	T_OK(chmod(t_dir, 01777));
	int id = T_OK(B->semget(IPC_PRIVATE, 2, 0600));
	int denied;
	T_EQ(walk(SEM_STAT_ANY, id, &denied), 1);
	T_EQ(denied, 0);

	pid_t pid = t_fork();
	if (pid == 0) {
		t_become(T_NOBODY, T_NOBODY);
		T_EQ(walk(SEM_STAT, id, &denied), 0);
		T_ASSERT(denied >= 1);
		/*
		 * differs from kernel (docs/DESIGN.md, "Differences"): a
		 * caller with no access cannot open an ipckit set's file, not
		 * even for SEM_STAT_ANY.
		 */
		if (t_kernel_serves) {
			T_EQ(walk(SEM_STAT_ANY, id, &denied), 1);
			T_EQ(denied, 0);
		} else {
			T_EQ(walk(SEM_STAT_ANY, id, &denied), 0);
			T_ASSERT(denied >= 1);
		}
		_exit(0);
	}
	t_wait_ok(pid);
	return 0;
}
