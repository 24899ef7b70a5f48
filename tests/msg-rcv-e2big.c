/*
 * msg-rcv-e2big: msgrcv of a message longer than msgsz, without
 * MSG_NOERROR, fails with E2BIG and leaves it queued where it was, with
 * msg_lrpid and msg_rtime untouched. The selected message decides: a
 * shorter message behind it that would fit is not taken instead.
 */
#include "helpers.h"

struct msg {
	long mtype;
	char mtext[128];
};

static void send_msg(int id, long mtype, size_t size, char fill)
{
	struct msg m = {mtype, {0}};
	memset(m.mtext, fill, size);
	T_OK(B->msgsnd(id, &m, size, IPC_NOWAIT));
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct msqid_ds ds;
	struct msg m;

	int id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	send_msg(id, 2, 100, 'a');
	send_msg(id, 1, 10, 'b');
	send_msg(id, 2, 10, 'c');

	T_FAIL_ERRNO(B->msgrcv(id, &m, 50, 0, IPC_NOWAIT), E2BIG);
	T_FAIL_ERRNO(B->msgrcv(id, &m, 99, 2, IPC_NOWAIT), E2BIG);
	T_FAIL_ERRNO(B->msgrcv(id, &m, 0, 2, IPC_NOWAIT), E2BIG);
	T_FAIL_ERRNO(B->msgrcv(id, &m, 50, 1, IPC_NOWAIT | MSG_EXCEPT), E2BIG);
	/* Blocking or not, E2BIG is at once. */
	T_FAIL_ERRNO(B->msgrcv(id, &m, 50, 2, 0), E2BIG);
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 3);
	T_EQ(ds.msg_cbytes, 120);
	T_EQ(ds.msg_lrpid, 0);
	T_EQ(ds.msg_rtime, 0);

	/* Selections that reach a short message still work. */
	T_EQ(T_OK(B->msgrcv(id, &m, 10, 1, IPC_NOWAIT)), 10);
	T_EQ(m.mtext[0], 'b');
	T_FAIL_ERRNO(B->msgrcv(id, &m, 10, -2, IPC_NOWAIT), E2BIG);

	/* The long message is still first, whole. */
	memset(&m, 0, sizeof(m));
	T_EQ(T_OK(B->msgrcv(id, &m, 100, 0, IPC_NOWAIT)), 100);
	T_EQ(m.mtype, 2);
	for (int i = 0; i < 100; i++)
		T_EQ(m.mtext[i], 'a');
	T_EQ(T_OK(B->msgrcv(id, &m, 10, 0, IPC_NOWAIT)), 10);
	T_EQ(m.mtext[0], 'c');
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 0);
	T_EQ(ds.msg_lrpid, getpid());
	return T_EXIT_PASS;
}
