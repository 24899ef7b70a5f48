/*
 * msg-set-qbytes-wakes: raising msg_qbytes with IPC_SET wakes senders
 * blocked on a full queue whose messages now fit; a sender whose message
 * still does not fit goes on waiting.
 */
#include "helpers.h"

struct msg {
	long mtype;
	char mtext[64];
};

static void set_qbytes(int id, unsigned long qbytes)
{
	struct msqid_ds ds;
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	ds.msg_qbytes = qbytes;
	T_OK(B->msgctl(id, IPC_SET, &ds));
}

static pid_t start_sender(int id, long mtype, size_t size)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		struct msg s = {mtype, {0}};
		memset(s.mtext, (int)mtype, size);
		T_OK(B->msgsnd(id, &s, size, 0));
		_exit(0);
	}
	t_wait_blocked(pid);
	return pid;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct msqid_ds ds;
	struct msg m = {1, "full"};

	int id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	set_qbytes(id, 10);
	T_OK(B->msgsnd(id, &m, 10, 0));
	pid_t small = start_sender(id, 2, 10);
	pid_t big = start_sender(id, 3, 60);

	/* Room for the small one only. */
	set_qbytes(id, 25);
	t_wait_ok(small);
	t_wait_blocked(big);
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 2);
	T_EQ(ds.msg_cbytes, 20);
	T_EQ(ds.msg_lspid, small);

	set_qbytes(id, 80);
	t_wait_ok(big);
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 3);
	T_EQ(ds.msg_cbytes, 80);

	for (long t = 1; t <= 3; t++) {
		memset(&m, 0, sizeof(m));
		T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT));
		T_EQ(m.mtype, t);
	}
	T_EQ(m.mtext[59], 3);
	return T_EXIT_PASS;
}
