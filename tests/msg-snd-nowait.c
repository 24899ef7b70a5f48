/*
 * msg-snd-nowait: on a full queue, msgsnd with IPC_NOWAIT fails at once
 * with EAGAIN and changes nothing: no message queued, msg_lspid and
 * msg_stime still those of the last successful send.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct {
		long mtype;
		char mtext[64];
	} m = {7, "first"};
	struct msqid_ds ds, before;

	int id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	ds.msg_qbytes = 64;
	T_OK(B->msgctl(id, IPC_SET, &ds));

	/* A child fills the queue, so msg_lspid is not our pid. */
	pid_t pid = t_fork();
	if (pid == 0) {
		T_OK(B->msgsnd(id, &m, 64, 0));
		_exit(0);
	}
	t_wait_ok(pid);
	T_OK(B->msgctl(id, IPC_STAT, &before));
	T_EQ(before.msg_lspid, pid);
	T_EQ(before.msg_qnum, 1);

	for (int i = 0; i < 100; i++) {
		m.mtype = i + 1;
		T_FAIL_ERRNO(B->msgsnd(id, &m, 1 + i % 64, IPC_NOWAIT), EAGAIN);
	}
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 1);
	T_EQ(ds.msg_cbytes, 64);
	T_EQ(ds.msg_lspid, pid);
	T_EQ(ds.msg_stime, before.msg_stime);
	T_EQ(ds.msg_lrpid, 0);

	memset(&m, 0, sizeof(m));
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT)), 64);
	T_EQ(m.mtype, 7);
	T_ASSERT(!strcmp(m.mtext, "first"));
	T_FAIL_ERRNO(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT), ENOMSG);
	return T_EXIT_PASS;
}
