/*
 * msg-set-fields: IPC_SET takes msg_perm.uid, msg_perm.gid, the low 9
 * bits of msg_perm.mode and msg_qbytes from the buffer and nothing else
 * (not cuid, cgid, the key, the counters or the times); it sets msg_ctime.
 * The new owner may be any user; an invalid uid or gid (-1) is EINVAL and
 * changes nothing.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct msqid_ds ds, set;
	struct {
		long mtype;
		char mtext[16];
	} m = {1, "abc"};
	key_t key = t_key(1);

	int id = T_OK(B->msgget(key, IPC_CREAT | 0600));
	T_OK(B->msgsnd(id, &m, 3, 0));
	T_OK(B->msgctl(id, IPC_STAT, &set));
	time_t before = time(NULL);
	set.msg_perm.uid = 4242;
	set.msg_perm.gid = 4343;
	set.msg_perm.mode = 07654;
	set.msg_qbytes = 1000;
	/* Ignored: */
	set.msg_perm.cuid = 11;
	set.msg_perm.cgid = 12;
	set.msg_perm.__key = key + 1;
	set.msg_qnum = 77;
	set.msg_cbytes = 78;
	set.msg_lspid = 79;
	set.msg_lrpid = 80;
	set.msg_stime = 81;
	set.msg_rtime = 82;
	set.msg_ctime = 83;
	T_OK(B->msgctl(id, IPC_SET, &set));

	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_perm.uid, 4242);
	T_EQ(ds.msg_perm.gid, 4343);
	T_EQ(ds.msg_perm.mode, 0654);
	T_EQ(ds.msg_qbytes, 1000);
	T_EQ(ds.msg_perm.cuid, geteuid());
	T_EQ(ds.msg_perm.cgid, getegid());
	T_EQ(ds.msg_perm.__key, key);
	T_EQ(ds.msg_qnum, 1);
	T_EQ(ds.msg_cbytes, 3);
	T_EQ(ds.msg_lspid, getpid());
	T_EQ(ds.msg_lrpid, 0);
	T_ASSERT(ds.msg_stime >= before - 1);
	T_EQ(ds.msg_rtime, 0);
	T_ASSERT(ds.msg_ctime >= before);
	/* One second of slack: the clock read may be coarser than ours. */
	T_ASSERT(ds.msg_ctime <= time(NULL) + 1);
	T_EQ(T_OK(B->msgget(key, 0)), id);

	/* Invalid ids: refused, nothing changed. */
	set = ds;
	set.msg_perm.uid = (uid_t)-1;
	set.msg_perm.mode = 0600;
	T_FAIL_ERRNO(B->msgctl(id, IPC_SET, &set), EINVAL);
	set = ds;
	set.msg_perm.gid = (gid_t)-1;
	set.msg_qbytes = 10;
	T_FAIL_ERRNO(B->msgctl(id, IPC_SET, &set), EINVAL);
	T_OK(B->msgctl(id, IPC_STAT, &set));
	T_EQ(set.msg_perm.uid, 4242);
	T_EQ(set.msg_perm.gid, 4343);
	T_EQ(set.msg_perm.mode, 0654);
	T_EQ(set.msg_qbytes, 1000);

	/* Back to us, and the queue still works. */
	set.msg_perm.uid = geteuid();
	set.msg_perm.gid = getegid();
	set.msg_perm.mode = 0400;
	T_OK(B->msgctl(id, IPC_SET, &set));
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_perm.mode, 0400);
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT)), 3);
	return T_EXIT_PASS;
}
