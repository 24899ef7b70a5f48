/*
 * sem-semctl-rmid-eperm.c - IPC_RMID is allowed to the set's owner, its
 * creator and a privileged process; anyone else gets EPERM, whatever the
 * mode, and the set stays.
 */
#include "helpers.h"

#include <sys/stat.h>

static void set_owner(int id, uid_t uid)
{
	struct semid_ds ds;
	union semun arg = {.buf = &ds};
	T_OK(B->semctl(id, 0, IPC_STAT, arg));
	ds.sem_perm.uid = uid;
	T_OK(B->semctl(id, 0, IPC_SET, arg));
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	if (geteuid() != 0)
		t_skip("needs root to act as a second user");
	T_OK(chmod(t_dir, 01777));

	int roots = T_OK(B->semget(IPC_PRIVATE, 1, 0666));
	int given = T_OK(B->semget(IPC_PRIVATE, 1, 0600));
	set_owner(given, T_NOBODY);
	struct ids {
		int own, gave_away, for_root;
	} *ids = t_shared_alloc(sizeof(*ids));

	pid_t pid = t_fork();
	if (pid == 0) {
		t_become(T_NOBODY, T_NOBODY);
		T_FAIL_ERRNO(B->semctl(roots, 0, IPC_RMID), EPERM);
		/* Owner, though not creator. */
		T_OK(B->semctl(given, 0, IPC_RMID));

		int own = T_OK(B->semget(IPC_PRIVATE, 1, 0600));
		T_OK(B->semctl(own, 0, IPC_RMID));
		/* Creator, though no longer owner. */
		ids->gave_away = T_OK(B->semget(IPC_PRIVATE, 1, 0600));
		set_owner(ids->gave_away, 0);
		T_OK(B->semctl(ids->gave_away, 0, IPC_RMID));
		ids->for_root = T_OK(B->semget(IPC_PRIVATE, 1, 0600));
		_exit(0);
	}
	t_wait_ok(pid);
	T_EQ(B->semctl(roots, 0, GETVAL), 0);
	T_FAIL_ERRNO(B->semctl(given, 0, GETVAL), EINVAL);
	T_FAIL_ERRNO(B->semctl(ids->gave_away, 0, GETVAL), EINVAL);
	/* Root removes a set it neither owns nor made. */
	T_OK(B->semctl(ids->for_root, 0, IPC_RMID));
	T_FAIL_ERRNO(B->semctl(ids->for_root, 0, GETVAL), EINVAL);
	return 0;
}
