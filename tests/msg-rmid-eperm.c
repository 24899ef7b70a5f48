/*
 * msg-rmid-eperm: only the owner, the creator or a privileged process may
 * remove a queue; anyone else gets EPERM whatever the mode bits allow, and
 * the queue stays, messages and all.
 *
 * The other users are children dropped to nobody; needs root.
 */
#include "helpers.h"

#include <linux/capability.h>
#include <sys/stat.h>

static int id;

static void rmid_refused(void)
{
	T_FAIL_ERRNO(B->msgctl(id, IPC_RMID, NULL), EPERM);
}

static void rmid_allowed(void)
{
	T_OK(B->msgctl(id, IPC_RMID, NULL));
	/*
	 * differs from kernel (docs/DESIGN.md, "Differences"): when the
	 * queue's file belongs to a user other than the remover, the sticky
	 * namespace directory keeps its name until that user or root reaps
	 * it, and a caller the file mode shuts out gets EACCES meanwhile.
	 */
	errno = 0;
	int rc = B->msgctl(id, IPC_RMID, NULL);
	T_EQ(rc, -1);
	if (t_kernel_serves || errno != EACCES)
		T_EQ(errno, EINVAL);
}

static void create_as_nobody(void)
{
	int *shared_id = t_shared_alloc(sizeof(int));
	pid_t pid = t_fork();
	if (pid == 0) {
		t_become(T_NOBODY, T_NOBODY);
		*shared_id = T_OK(B->msgget(IPC_PRIVATE, 0600));
		_exit(0);
	}
	t_wait_ok(pid);
	id = *shared_id;
}

static void set_owner(uid_t uid, gid_t gid, mode_t mode)
{
	struct msqid_ds ds;
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	ds.msg_perm.uid = uid;
	ds.msg_perm.gid = gid;
	ds.msg_perm.mode = mode;
	T_OK(B->msgctl(id, IPC_SET, &ds));
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	if (geteuid() != 0 || !t_has_cap(CAP_SETUID) ||
	    !t_has_cap(CAP_SETGID) || !t_has_cap(CAP_SYS_ADMIN))
		t_skip("needs root with CAP_SETUID, CAP_SETGID, CAP_SYS_ADMIN");
	T_OK(chmod(t_dir, 01777));
	struct msqid_ds ds;
	struct {
		long mtype;
		char mtext[8];
	} m = {1, "kept"};

	/* Neither owner nor creator: refused even with mode 0777. */
	id = T_OK(B->msgget(IPC_PRIVATE, 0777));
	T_OK(B->msgsnd(id, &m, 4, 0));
	t_run_as(T_NOBODY, T_NOBODY, rmid_refused);
	set_owner(0, T_NOBODY, 0777);
	t_run_as(T_NOBODY, T_NOBODY, rmid_refused);
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 1);
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT)), 4);

	/* The owner may, though root created it. */
	set_owner(T_NOBODY, T_NOBODY, 0600);
	t_run_as(T_NOBODY, T_NOBODY, rmid_allowed);
	T_FAIL_ERRNO(B->msgctl(id, IPC_STAT, &ds), EINVAL);

	/* The creator may, though root gave the queue to someone else. */
	create_as_nobody();
	set_owner(4242, 4242, 0600);
	t_run_as(T_NOBODY, T_NOBODY, rmid_allowed);

	/* Privilege may remove another user's queue. */
	create_as_nobody();
	T_OK(B->msgctl(id, IPC_RMID, NULL));
	T_FAIL_ERRNO(B->msgctl(id, IPC_STAT, &ds), EINVAL);
	return T_EXIT_PASS;
}
