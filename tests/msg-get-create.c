/*
 * msg-get-create: IPC_CREAT opens the queue of a key if there is one and
 * makes it otherwise. Opening leaves the mode alone; a new queue takes the
 * low 9 bits of msgflg as its mode and records its key; IPC_EXCL without
 * IPC_CREAT is ignored.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	key_t key = t_key(1);
	struct msqid_ds ds;

	int id = T_OK(B->msgget(key, IPC_CREAT | 0640));
	T_EQ(T_OK(B->msgget(key, IPC_CREAT | 0640)), id);
	T_EQ(T_OK(B->msgget(key, IPC_CREAT | 0600)), id);
	T_EQ(T_OK(B->msgget(key, 0)), id);
	T_EQ(T_OK(B->msgget(key, 0640)), id);
	T_EQ(T_OK(B->msgget(key, IPC_EXCL)), id);
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_perm.__key, key);
	T_EQ(ds.msg_perm.mode, 0640);
	T_EQ(ds.msg_perm.uid, geteuid());
	T_EQ(ds.msg_perm.cuid, geteuid());
	T_EQ(ds.msg_perm.gid, getegid());
	T_EQ(ds.msg_perm.cgid, getegid());

	/* Opened through another key, a queue is another queue. */
	key_t key2 = t_key(2);
	int id2 = T_OK(B->msgget(key2, IPC_CREAT | 07777));
	T_ASSERT(id2 != id);
	T_OK(B->msgctl(id2, IPC_STAT, &ds));
	T_EQ(ds.msg_perm.__key, key2);
	T_EQ(ds.msg_perm.mode, 0777);

	/* The same queue through both ids it was opened by. */
	struct {
		long mtype;
		char mtext[8];
	} m = {3, "abc"};
	int again = T_OK(B->msgget(key, 0));
	T_OK(B->msgsnd(again, &m, 3, 0));
	memset(&m, 0, sizeof(m));
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT)), 3);
	T_EQ(m.mtype, 3);
	T_ASSERT(!memcmp(m.mtext, "abc", 3));
	T_FAIL_ERRNO(B->msgrcv(id2, &m, sizeof(m.mtext), 0, IPC_NOWAIT),
		     ENOMSG);
	return T_EXIT_PASS;
}
