/*
 * msg-set-eperm: only the owner, the creator or a privileged process may
 * IPC_SET a queue; anyone else gets EPERM whatever the mode bits allow,
 * and nothing changes. The owner may give the queue away, after which it
 * is refused too.
 *
 * The other user is a child dropped to nobody; needs root.
 */
#include "helpers.h"

#include <sys/stat.h>

static int id;

static void set_refused(void)
{
	struct msqid_ds ds;
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_FAIL_ERRNO(B->msgctl(id, IPC_SET, &ds), EPERM);
	ds.msg_perm.mode = 0600;
	ds.msg_qbytes = 10;
	T_FAIL_ERRNO(B->msgctl(id, IPC_SET, &ds), EPERM);
	ds.msg_perm.uid = T_NOBODY;
	T_FAIL_ERRNO(B->msgctl(id, IPC_SET, &ds), EPERM);
}

/* As the owner: change the mode, then give the queue to root. */
static void set_as_owner(void)
{
	struct msqid_ds ds;
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	ds.msg_perm.mode = 0664;
	T_OK(B->msgctl(id, IPC_SET, &ds));
	ds.msg_perm.uid = 0;
	ds.msg_perm.gid = 0;
	T_OK(B->msgctl(id, IPC_SET, &ds));
	T_FAIL_ERRNO(B->msgctl(id, IPC_SET, &ds), EPERM);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	if (geteuid() != 0)
		t_skip("needs root to check other users");
	T_OK(chmod(t_dir, 01777));
	struct msqid_ds ds;

	id = T_OK(B->msgget(IPC_PRIVATE, 0666));
	t_run_as(T_NOBODY, T_NOBODY, set_refused);
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_perm.mode, 0666);
	T_EQ(ds.msg_perm.uid, 0);

	/* In the owner's group is not enough either. */
	ds.msg_perm.gid = T_NOBODY;
	ds.msg_perm.mode = 0777;
	T_OK(B->msgctl(id, IPC_SET, &ds));
	t_run_as(T_NOBODY, T_NOBODY, set_refused);

	ds.msg_perm.uid = T_NOBODY;
	T_OK(B->msgctl(id, IPC_SET, &ds));
	t_run_as(T_NOBODY, T_NOBODY, set_as_owner);
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_perm.mode, 0664);
	T_EQ(ds.msg_perm.uid, 0);
	T_EQ(ds.msg_perm.gid, 0);
	T_EQ(ds.msg_perm.cuid, 0);
	t_run_as(T_NOBODY, T_NOBODY, set_refused);
	return T_EXIT_PASS;
}
