/*
 * msg-rcv-nowait: msgrcv with IPC_NOWAIT fails with ENOMSG, at once and
 * changing nothing, when no message matches: an empty queue, an absent
 * type, MSG_EXCEPT of the only type there is, a bound below every type.
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
	struct msg m = {5, "x"};

	int id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	T_FAIL_ERRNO(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT), ENOMSG);
	T_FAIL_ERRNO(B->msgrcv(id, &m, sizeof(m.mtext), -100, IPC_NOWAIT),
		     ENOMSG);
	T_FAIL_ERRNO(
	    B->msgrcv(id, &m, sizeof(m.mtext), 3, IPC_NOWAIT | MSG_EXCEPT),
	    ENOMSG);
	T_FAIL_ERRNO(B->msgrcv(id, &m, 0, 0, IPC_NOWAIT | MSG_NOERROR), ENOMSG);

	m.mtype = 5;
	T_OK(B->msgsnd(id, &m, 1, 0));
	T_OK(B->msgsnd(id, &m, 1, 0));
	T_FAIL_ERRNO(B->msgrcv(id, &m, sizeof(m.mtext), 4, IPC_NOWAIT), ENOMSG);
	T_FAIL_ERRNO(B->msgrcv(id, &m, sizeof(m.mtext), 6, IPC_NOWAIT), ENOMSG);
	T_FAIL_ERRNO(
	    B->msgrcv(id, &m, sizeof(m.mtext), 5, IPC_NOWAIT | MSG_EXCEPT),
	    ENOMSG);
	T_FAIL_ERRNO(B->msgrcv(id, &m, sizeof(m.mtext), -4, IPC_NOWAIT),
		     ENOMSG);
	T_FAIL_ERRNO(B->msgrcv(id, &m, sizeof(m.mtext), -1, IPC_NOWAIT),
		     ENOMSG);
	/* ENOMSG is about matching: a short buffer does not matter. */
	T_FAIL_ERRNO(B->msgrcv(id, &m, 0, 4, IPC_NOWAIT), ENOMSG);

	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 2);
	T_EQ(ds.msg_cbytes, 2);
	T_EQ(ds.msg_lrpid, 0);
	T_EQ(ds.msg_rtime, 0);

	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), -5, IPC_NOWAIT)), 1);
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 4,
			    IPC_NOWAIT | MSG_EXCEPT)),
	     1);
	T_FAIL_ERRNO(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT), ENOMSG);
	return T_EXIT_PASS;
}
