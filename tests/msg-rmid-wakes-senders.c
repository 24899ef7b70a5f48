/*
 * msg-rmid-wakes-senders: IPC_RMID by another process on a full queue
 * wakes every sender blocked for room with EIDRM (their messages are not
 * sent anywhere), and a receiver waiting for a type that is not queued
 * too; the queued messages go with the queue.
 */
#include "helpers.h"

#define NSND 3

struct msg {
	long mtype;
	char mtext[32];
};

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	pid_t pids[NSND + 1];
	struct msqid_ds ds;
	struct msg m = {1, "full"};

	int id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	ds.msg_qbytes = 32;
	T_OK(B->msgctl(id, IPC_SET, &ds));
	T_OK(B->msgsnd(id, &m, 32, 0));

	for (int i = 0; i < NSND; i++) {
		pids[i] = t_fork();
		if (pids[i] == 0) {
			struct msg s = {2 + i, "blocked"};
			T_FAIL_ERRNO(B->msgsnd(id, &s, (size_t)(1 + i), 0),
				     EIDRM);
			_exit(0);
		}
		t_wait_blocked(pids[i]);
	}
	pids[NSND] = t_fork();
	if (pids[NSND] == 0) {
		struct msg r;
		T_FAIL_ERRNO(B->msgrcv(id, &r, sizeof(r.mtext), 9, 0), EIDRM);
		_exit(0);
	}
	t_wait_blocked(pids[NSND]);
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 1);

	pid_t rm = t_fork();
	if (rm == 0) {
		T_OK(B->msgctl(id, IPC_RMID, NULL));
		_exit(0);
	}
	t_wait_ok(rm);
	for (int i = 0; i <= NSND; i++)
		t_wait_ok(pids[i]);
	T_FAIL_ERRNO(B->msgctl(id, IPC_STAT, &ds), EINVAL);
	T_FAIL_ERRNO(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT), EINVAL);
	return T_EXIT_PASS;
}
