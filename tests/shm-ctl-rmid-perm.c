/*
 * shm-ctl-rmid-perm.c - IPC_RMID is for the owner, the creator or root:
 * any other user gets EPERM whatever the mode, and the segment stays.
 */
#include "helpers.h"

#include <sys/stat.h>

/* Runs IPC_RMID on `id` as `uid`; returns 0 or the errno. */
static int rmid_as(uid_t uid, int id)
{
	int *err = t_shared_alloc(sizeof(int));
	pid_t pid = t_fork();
	if (pid == 0) {
		t_become(uid, T_NOBODY);
		errno = 0;
		*err = B->shmctl(id, IPC_RMID, NULL) < 0 ? errno : 0;
		_exit(0);
	}
	t_wait_ok(pid);
	return *err;
}

static void set_owner(int id, uid_t uid)
{
	struct shmid_ds ds;
	T_OK(B->shmctl(id, IPC_STAT, &ds));
	ds.shm_perm.uid = uid;
	T_OK(B->shmctl(id, IPC_SET, &ds));
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct shmid_ds ds;
	if (geteuid() != 0)
		t_skip("needs root to act as a second user");
	/* The second user must be able to use the namespace directory. */
	T_OK(chmod(t_dir, 01777));

	/* Root's segment, open to all: still not removable by others. */
	int shared = T_OK(B->shmget(t_key(1), 4096, IPC_CREAT | 0666));
	T_EQ(rmid_as(T_NOBODY, shared), EPERM);
	T_OK(B->shmctl(shared, IPC_STAT, &ds));
	T_EQ(T_OK(B->shmget(t_key(1), 0, 0)), shared);

	/* The owner (set by IPC_SET) may, though not the creator. */
	set_owner(shared, T_NOBODY);
	T_EQ(rmid_as(T_NOBODY - 1, shared), EPERM);
	T_EQ(rmid_as(T_NOBODY, shared), 0);
	T_FAIL_ERRNO(B->shmctl(shared, IPC_STAT, &ds), EINVAL);

	/* The creator may after giving the segment away. */
	int *made = t_shared_alloc(sizeof(int));
	pid_t pid = t_fork();
	if (pid == 0) {
		t_become(T_NOBODY, T_NOBODY);
		*made = T_OK(B->shmget(t_key(2), 4096, IPC_CREAT | 0666));
		_exit(0);
	}
	t_wait_ok(pid);
	set_owner(*made, 0);
	T_OK(B->shmctl(*made, IPC_STAT, &ds));
	T_EQ(ds.shm_perm.cuid, T_NOBODY);
	T_EQ(ds.shm_perm.uid, 0);
	T_EQ(rmid_as(T_NOBODY - 1, *made), EPERM);
	T_EQ(rmid_as(T_NOBODY, *made), 0);
	T_FAIL_ERRNO(B->shmctl(*made, IPC_STAT, &ds), EINVAL);
	T_FAIL_ERRNO(B->shmget(t_key(2), 0, 0), ENOENT);

	/* Root may remove anyone's. */
	int theirs = T_OK(B->shmget(t_key(3), 4096, IPC_CREAT | 0600));
	set_owner(theirs, T_NOBODY);
	T_OK(B->shmctl(theirs, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
