/*
 * sem-semctl-ipc-set.c - IPC_SET changes the owner uid and gid and the low
 * 9 mode bits, nothing else; only the owner, the creator or a privileged
 * process may (EPERM otherwise), and an owner may give the set away. A
 * uid or gid that maps to no user is EINVAL.
 */
#include "helpers.h"

#include <sys/stat.h>

static int set_perm(int id, uid_t uid, gid_t gid, mode_t mode)
{
	struct semid_ds ds;
	union semun arg = {.buf = &ds};
	memset(&ds, 0, sizeof(ds));
	ds.sem_perm.uid = uid;
	ds.sem_perm.gid = gid;
	ds.sem_perm.mode = mode;
	/* Ignored fields. */
	ds.sem_perm.cuid = 4321;
	ds.sem_perm.cgid = 4321;
	ds.sem_nsems = 99;
	ds.sem_otime = 12345;
	return B->semctl(id, 0, IPC_SET, arg);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	if (geteuid() != 0)
		t_skip("needs root to act as a second user");
	T_OK(chmod(t_dir, 01777));
	int id = T_OK(B->semget(IPC_PRIVATE, 2, 0600));

	time_t before = time(NULL);
	T_EQ(set_perm(id, T_NOBODY, T_NOBODY, 01640), 0);
	time_t after = time(NULL);
	struct semid_ds ds;
	union semun arg = {.buf = &ds};
	T_OK(B->semctl(id, 0, IPC_STAT, arg));
	T_EQ(ds.sem_perm.uid, T_NOBODY);
	T_EQ(ds.sem_perm.gid, T_NOBODY);
	T_EQ(ds.sem_perm.cuid, 0);
	T_EQ(ds.sem_perm.cgid, 0);
	T_EQ(ds.sem_perm.mode, 0640);
	T_EQ(ds.sem_nsems, 2);
	T_EQ(ds.sem_otime, 0);
	T_ASSERT(ds.sem_ctime >= before && ds.sem_ctime <= after);

	T_FAIL_ERRNO(set_perm(id, (uid_t)-1, 0, 0600), EINVAL);
	T_FAIL_ERRNO(set_perm(id, 0, (gid_t)-1, 0600), EINVAL);
	union semun null = {.buf = NULL};
	T_FAIL_ERRNO(B->semctl(id, 0, IPC_SET, null), EFAULT);

	int other = T_OK(B->semget(IPC_PRIVATE, 1, 0666));
	pid_t pid = t_fork();
	if (pid == 0) {
		t_become(T_NOBODY, T_NOBODY);
		/* Not owner nor creator: mode 0666 does not help. */
		T_FAIL_ERRNO(set_perm(other, T_NOBODY, T_NOBODY, 0666), EPERM);
		/* Owner now: the owner's mode bits apply. */
		T_EQ(B->semctl(id, 0, GETVAL), 0);
		T_OK(set_perm(id, T_NOBODY, T_NOBODY, 0400));
		union semun v = {.val = 1};
		T_FAIL_ERRNO(B->semctl(id, 0, SETVAL, v), EACCES);
		/* Give it back to root; then no longer allowed. */
		T_OK(set_perm(id, 0, 0, 0600));
		T_FAIL_ERRNO(set_perm(id, T_NOBODY, T_NOBODY, 0600), EPERM);
		T_FAIL_ERRNO(B->semctl(id, 0, GETVAL), EACCES);
		_exit(0);
	}
	t_wait_ok(pid);
	T_OK(B->semctl(id, 0, IPC_STAT, arg));
	T_EQ(ds.sem_perm.uid, 0);
	T_EQ(ds.sem_perm.mode, 0600);
	return 0;
}
