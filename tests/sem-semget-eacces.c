/*
 * sem-semget-eacces.c - semget by a second user checks the access asked
 * for in semflg against the class (owner, group, other) the caller falls
 * in: EACCES when it is not granted. Asking for no access always opens;
 * EEXIST and a too-large nsems are reported before EACCES.
 */
#include "helpers.h"

#include <sys/stat.h>

static void set_perm(int id, uid_t uid, gid_t gid, mode_t mode)
{
	struct semid_ds ds;
	union semun arg = {.buf = &ds};
	T_OK(B->semctl(id, 0, IPC_STAT, arg));
	ds.sem_perm.uid = uid;
	ds.sem_perm.gid = gid;
	ds.sem_perm.mode = mode;
	T_OK(B->semctl(id, 0, IPC_SET, arg));
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	if (geteuid() != 0)
		t_skip("needs root to act as a second user");
	/* The dropped child uses the namespace directory too. */
	T_OK(chmod(t_dir, 01777));

	key_t k_priv = t_key(1), k_other = t_key(2), k_group = t_key(3);
	key_t k_owner = t_key(4), k_class = t_key(5);
	int priv = T_OK(B->semget(k_priv, 2, IPC_CREAT | 0600));
	int other = T_OK(B->semget(k_other, 2, IPC_CREAT | 0604));
	int group = T_OK(B->semget(k_group, 2, IPC_CREAT | 0600));
	int owner = T_OK(B->semget(k_owner, 2, IPC_CREAT | 0600));
	int class = T_OK(B->semget(k_class, 2, IPC_CREAT | 0600));
	set_perm(group, 0, T_NOBODY, 0060);
	set_perm(owner, T_NOBODY, 0, 0600);
	/* Owner bits apply to the owner even when others get more. */
	set_perm(class, T_NOBODY, 0, 0066);

	/* Root passes every check. */
	T_EQ(B->semget(k_group, 2, 0600), group);

	pid_t pid = t_fork();
	if (pid == 0) {
		t_become(T_NOBODY, T_NOBODY);
		/*
		 * differs from kernel (docs/DESIGN.md, "Differences"): asking
		 * for nothing opens the set on the kernel although this caller
		 * has no access; an ipckit set's file mode backs its
		 * permissions, so it cannot be opened at all.
		 */
		if (t_kernel_serves) {
			T_EQ(B->semget(k_priv, 2, 0), priv);
			T_EQ(B->semget(k_priv, 0, IPC_CREAT), priv);
		} else {
			T_FAIL_ERRNO(B->semget(k_priv, 2, 0), EACCES);
			T_FAIL_ERRNO(B->semget(k_priv, 0, IPC_CREAT), EACCES);
		}
		T_FAIL_ERRNO(B->semget(k_priv, 2, 0400), EACCES);
		T_FAIL_ERRNO(B->semget(k_priv, 2, 0200), EACCES);
		T_FAIL_ERRNO(B->semget(k_priv, 2, 0004), EACCES);
		T_FAIL_ERRNO(B->semget(k_priv, 2, 0040), EACCES);
		T_FAIL_ERRNO(B->semget(k_priv, 2, IPC_CREAT | 0600), EACCES);
		T_FAIL_ERRNO(B->semget(k_priv, 2, IPC_CREAT | IPC_EXCL | 0600),
			     EEXIST);
		/* differs from kernel: the size check needs the file. */
		T_FAIL_ERRNO(B->semget(k_priv, 3, 0600),
			     t_kernel_serves ? EINVAL : EACCES);

		T_EQ(B->semget(k_other, 2, 0400), other);
		T_EQ(B->semget(k_other, 2, 0444), other);
		T_FAIL_ERRNO(B->semget(k_other, 2, 0600), EACCES);
		T_FAIL_ERRNO(B->semget(k_other, 2, 0002), EACCES);

		T_EQ(B->semget(k_group, 2, 0600), group);
		T_EQ(B->semget(k_owner, 2, 0600), owner);
		T_FAIL_ERRNO(B->semget(k_class, 2, 0400), EACCES);
		/* differs from kernel: as for k_priv above. */
		if (t_kernel_serves)
			T_EQ(B->semget(k_class, 2, 0), class);
		else
			T_FAIL_ERRNO(B->semget(k_class, 2, 0), EACCES);
		_exit(0);
	}
	t_wait_ok(pid);
	return 0;
}
