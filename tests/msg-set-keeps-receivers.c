/*
 * msg-set-keeps-receivers: IPC_SET on a queue with blocked receivers that
 * keep their permission leaves them waiting (the kernel wakes them to
 * re-check and they wait again, unseen); they then receive as usual.
 */
#include "helpers.h"

struct msg {
	long mtype;
	char mtext[16];
};

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct msqid_ds ds;
	struct msg m = {7, "hello"};

	int id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	pid_t pids[2];
	for (int i = 0; i < 2; i++) {
		pids[i] = t_fork();
		if (pids[i] == 0) {
			struct msg r;
			T_EQ(T_OK(B->msgrcv(id, &r, sizeof(r.mtext), 7 + i, 0)),
			     5);
			T_EQ(r.mtype, 7 + i);
			_exit(0);
		}
		t_wait_blocked(pids[i]);
	}

	T_OK(B->msgctl(id, IPC_STAT, &ds));
	ds.msg_perm.mode = 0640;
	ds.msg_qbytes = 100;
	T_OK(B->msgctl(id, IPC_SET, &ds));
	ds.msg_perm.mode = 0600;
	T_OK(B->msgctl(id, IPC_SET, &ds));
	t_wait_blocked(pids[0]);
	t_wait_blocked(pids[1]);

	T_OK(B->msgsnd(id, &m, 5, 0));
	t_wait_ok(pids[0]);
	m.mtype = 8;
	T_OK(B->msgsnd(id, &m, 5, 0));
	t_wait_ok(pids[1]);
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 0);
	T_EQ(ds.msg_lrpid, pids[1]);
	return T_EXIT_PASS;
}
