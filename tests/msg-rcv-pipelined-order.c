/*
 * msg-rcv-pipelined-order: receivers waiting on an empty queue get the
 * messages sent to it in the order they started waiting, each one message,
 * handed over directly: a message given to a waiting receiver is never
 * seen on the queue (msg_qnum stays 0, a non-blocking receive by anyone
 * else finds nothing), and msg_lrpid names the receiver it went to.
 */
#include "helpers.h"

#define NRCV 4

struct msg {
	long mtype;
	char mtext[16];
};

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int *got = t_shared_alloc(NRCV * sizeof(int));
	pid_t pids[NRCV];
	struct msqid_ds ds;
	struct msg m;

	int id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	for (int i = 0; i < NRCV; i++) {
		pids[i] = t_fork();
		if (pids[i] == 0) {
			struct msg r;
			T_EQ(T_OK(B->msgrcv(id, &r, sizeof(r.mtext), 0, 0)),
			     sizeof(int));
			memcpy(&got[i], r.mtext, sizeof(int));
			_exit(0);
		}
		/* Started one after the other: the order is known. */
		t_wait_blocked(pids[i]);
	}

	for (int i = 0; i < NRCV; i++) {
		m.mtype = 10 - i;
		memcpy(m.mtext, &i, sizeof(int));
		T_OK(B->msgsnd(id, &m, sizeof(int), IPC_NOWAIT));
		T_FAIL_ERRNO(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT),
			     ENOMSG);
		T_OK(B->msgctl(id, IPC_STAT, &ds));
		T_EQ(ds.msg_qnum, 0);
		T_EQ(ds.msg_cbytes, 0);
		T_EQ(ds.msg_lrpid, pids[i]);
		T_EQ(ds.msg_lspid, getpid());
	}
	for (int i = 0; i < NRCV; i++) {
		t_wait_ok(pids[i]);
		T_EQ(got[i], i);
	}
	T_FAIL_ERRNO(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT), ENOMSG);
	return T_EXIT_PASS;
}
