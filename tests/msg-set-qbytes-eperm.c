/*
 * msg-set-qbytes-eperm: raising msg_qbytes above msgmnb needs privilege
 * (CAP_SYS_RESOURCE): the owner without it gets EPERM and nothing of the
 * IPC_SET is applied, while any value up to msgmnb is fine. The check is
 * on the value asked for, so once root has raised msg_qbytes above msgmnb
 * the owner cannot IPC_SET anything without lowering it.
 *
 * The owner is a child dropped to nobody; needs root. Root itself may
 * raise msg_qbytes only if it holds CAP_SYS_RESOURCE (containers often
 * drop it): the test expects whichever the capability set says.
 */
#include "helpers.h"

#include <linux/capability.h>
#include <sys/stat.h>

static int id;
static unsigned long msgmnb;

static void expect_qbytes(unsigned long qbytes, mode_t mode)
{
	struct msqid_ds ds;
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qbytes, qbytes);
	T_EQ(ds.msg_perm.mode, mode);
}

static void owner_limits(void)
{
	struct msqid_ds ds;
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	ds.msg_qbytes = msgmnb + 1;
	ds.msg_perm.mode = 0640;
	T_FAIL_ERRNO(B->msgctl(id, IPC_SET, &ds), EPERM);
	ds.msg_qbytes = msgmnb * 4;
	T_FAIL_ERRNO(B->msgctl(id, IPC_SET, &ds), EPERM);
	expect_qbytes(msgmnb, 0600);

	ds.msg_qbytes = 100;
	T_OK(B->msgctl(id, IPC_SET, &ds));
	expect_qbytes(100, 0640);
	ds.msg_qbytes = msgmnb;
	T_OK(B->msgctl(id, IPC_SET, &ds));
	expect_qbytes(msgmnb, 0640);
}

/* After root raised msg_qbytes: IPC_SET as read back is refused. */
static void owner_after_root(void)
{
	struct msqid_ds ds;
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qbytes, msgmnb * 2);
	ds.msg_perm.mode = 0600;
	T_FAIL_ERRNO(B->msgctl(id, IPC_SET, &ds), EPERM);
	expect_qbytes(msgmnb * 2, 0640);
	ds.msg_qbytes = msgmnb;
	T_OK(B->msgctl(id, IPC_SET, &ds));
	expect_qbytes(msgmnb, 0600);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	if (geteuid() != 0)
		t_skip("needs root to check other users");
	T_OK(chmod(t_dir, 01777));
	msgmnb = (unsigned long)t_sysctl("msgmnb");
	struct msqid_ds ds;

	id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qbytes, msgmnb);
	ds.msg_perm.uid = T_NOBODY;
	ds.msg_perm.gid = T_NOBODY;
	T_OK(B->msgctl(id, IPC_SET, &ds));
	t_run_as(T_NOBODY, T_NOBODY, owner_limits);

	/* Privilege may go above msgmnb, and the room is real. */
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	ds.msg_qbytes = msgmnb * 2;
	if (!t_has_cap(CAP_SYS_RESOURCE)) {
		T_FAIL_ERRNO(B->msgctl(id, IPC_SET, &ds), EPERM);
		expect_qbytes(msgmnb, 0640);
		return T_EXIT_PASS;
	}
	T_OK(B->msgctl(id, IPC_SET, &ds));
	expect_qbytes(msgmnb * 2, 0640);
	static struct {
		long mtype;
		char mtext[1024];
	} m = {1, {0}};
	for (unsigned long sent = 0; sent + 1024 <= msgmnb * 2; sent += 1024)
		T_OK(B->msgsnd(id, &m, 1024, IPC_NOWAIT));
	T_FAIL_ERRNO(B->msgsnd(id, &m, 1024, IPC_NOWAIT), EAGAIN);
	t_run_as(T_NOBODY, T_NOBODY, owner_after_root);
	return T_EXIT_PASS;
}
