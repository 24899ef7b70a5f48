/*
 * preload-setid-creds: a process that drops its credentials without
 * forking is checked with the new ones at once. ipckit caches permission
 * verdicts per handle and learns of credential changes from the preload
 * library's set*id wrappers, so under the preload a queue usable as root
 * stops being usable the moment the process becomes nobody, as on the
 * kernel. Needs root.
 */
#include "preload-common.h"

#include <grp.h>

struct msg {
	long mtype;
	char mtext[8];
};

/* Drops to nobody with the call `how` names, then checks msgsnd fails. */
static void drop_and_check(int id, int how)
{
	struct msg m = {1, "x"};
	T_OK(B->msgsnd(id, &m, 1, IPC_NOWAIT)); /* a verdict is cached */
	T_OK(setgroups(0, NULL));
	switch (how) {
	case 0:
		T_OK(setresgid(T_NOBODY, T_NOBODY, T_NOBODY));
		T_OK(setresuid(T_NOBODY, T_NOBODY, T_NOBODY));
		break;
	case 1:
		T_OK(setgid(T_NOBODY));
		T_OK(setuid(T_NOBODY));
		break;
	case 2:
		T_OK(setregid(T_NOBODY, T_NOBODY));
		T_OK(setreuid(T_NOBODY, T_NOBODY));
		break;
	case 3:
		/* Effective only: seteuid back to root would work. */
		T_OK(setegid(T_NOBODY));
		T_OK(seteuid(T_NOBODY));
		break;
	}
	T_FAIL_ERRNO(B->msgsnd(id, &m, 1, IPC_NOWAIT), EACCES);
	struct msqid_ds ds;
	T_FAIL_ERRNO(B->msgctl(id, IPC_STAT, &ds), EACCES);
	if (how == 3) {
		/* And back: the cache hears of that too. */
		T_OK(seteuid(0));
		T_OK(B->msgsnd(id, &m, 1, IPC_NOWAIT));
	}
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_KERNEL);
	if (geteuid() != 0)
		t_skip("needs root to drop to another user");
	/* nobody must reach the namespace directory. */
	T_OK(chmod(t_dir, 01777));
	key_t key = pl_key(PL_MSG, 1);
	int id = T_OK(B->msgget(key, IPC_CREAT | 0600));
	PL_ASSERT_PLACED(PL_MSG, key);

	for (int how = 0; how < 4; how++) {
		pid_t pid = t_fork();
		if (pid == 0) {
			drop_and_check(id, how);
			_exit(0);
		}
		t_wait_ok(pid);
	}
	return 0;
}
