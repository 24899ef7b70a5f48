/*
 * msg-snd-block-wake: msgsnd without IPC_NOWAIT on a full queue blocks,
 * queueing nothing meanwhile, and completes once a receive by another
 * process makes room; the message then arrives intact, after the ones
 * queued before it.
 */
#include "helpers.h"

struct msg {
	long mtype;
	char mtext[64];
};

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct msg m = {1, "filler"};
	struct msqid_ds ds;

	int id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	ds.msg_qbytes = 96;
	T_OK(B->msgctl(id, IPC_SET, &ds));
	T_OK(B->msgsnd(id, &m, 64, 0));
	strcpy(m.mtext, "second");
	m.mtype = 2;
	T_OK(B->msgsnd(id, &m, 32, 0));

	pid_t pid = t_fork();
	if (pid == 0) {
		struct msg w = {3, "blocked sender"};
		T_OK(B->msgsnd(id, &w, 40, 0));
		_exit(0);
	}
	t_wait_blocked(pid);
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 2);
	T_EQ(ds.msg_cbytes, 96);

	/* Freeing 32 bytes is not enough for 40: it keeps waiting. */
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 2, IPC_NOWAIT)), 32);
	T_ASSERT(!strcmp(m.mtext, "second"));
	t_wait_blocked(pid);
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 1);

	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT)), 64);
	T_ASSERT(!strcmp(m.mtext, "filler"));
	t_wait_ok(pid);

	memset(&m, 0, sizeof(m));
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT)), 40);
	T_EQ(m.mtype, 3);
	T_ASSERT(!strcmp(m.mtext, "blocked sender"));
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_lspid, pid);
	T_EQ(ds.msg_qnum, 0);
	return T_EXIT_PASS;
}
