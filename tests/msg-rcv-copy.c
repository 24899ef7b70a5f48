/*
 * msg-rcv-copy: msgrcv with MSG_COPY|IPC_NOWAIT copies the message at
 * position msgtyp (0 = first, whatever its type) and leaves the queue as
 * it was: messages, msg_lrpid and msg_rtime. ENOMSG past the end and for
 * negative positions; E2BIG for a message longer than msgsz.
 */
#include "helpers.h"

struct msg {
	long mtype;
	char mtext[64];
};

#define N 6

static const long types[N] = {3, 1, 3, 2, 9, 1};

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct msqid_ds ds;
	struct msg m;

	int id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	errno = 0;
	if (B->msgrcv(id, &m, sizeof(m.mtext), 0, MSG_COPY | IPC_NOWAIT) < 0 &&
	    errno == ENOSYS && B->is_kernel)
		t_skip("kernel built without MSG_COPY (CHECKPOINT_RESTORE)");
	T_FAIL_ERRNO(
	    B->msgrcv(id, &m, sizeof(m.mtext), 0, MSG_COPY | IPC_NOWAIT),
	    ENOMSG);

	for (int i = 0; i < N; i++) {
		m.mtype = types[i];
		memset(m.mtext, 'a' + i, sizeof(m.mtext));
		T_OK(B->msgsnd(id, &m, (size_t)(10 + i), 0));
	}

	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < N; i++) {
			memset(&m, 0, sizeof(m));
			T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), i,
					    MSG_COPY | IPC_NOWAIT)),
			     10 + i);
			T_EQ(m.mtype, types[i]);
			T_EQ(m.mtext[0], 'a' + i);
			T_EQ(m.mtext[9 + i], 'a' + i);
			T_EQ(m.mtext[10 + i], 0);
		}
	}
	T_FAIL_ERRNO(
	    B->msgrcv(id, &m, sizeof(m.mtext), N, MSG_COPY | IPC_NOWAIT),
	    ENOMSG);
	T_FAIL_ERRNO(
	    B->msgrcv(id, &m, sizeof(m.mtext), 1000, MSG_COPY | IPC_NOWAIT),
	    ENOMSG);
	T_FAIL_ERRNO(
	    B->msgrcv(id, &m, sizeof(m.mtext), -1, MSG_COPY | IPC_NOWAIT),
	    ENOMSG);
	/* Too long for the buffer; MSG_NOERROR with room is fine. */
	T_FAIL_ERRNO(B->msgrcv(id, &m, 12, 3, MSG_COPY | IPC_NOWAIT), E2BIG);
	T_EQ(T_OK(B->msgrcv(id, &m, 13, 3, MSG_COPY | IPC_NOWAIT)), 13);
	T_EQ(
	    T_OK(B->msgrcv(id, &m, 13, 3, MSG_COPY | IPC_NOWAIT | MSG_NOERROR)),
	    13);

	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, N);
	T_EQ(ds.msg_cbytes, N * 10 + N * (N - 1) / 2);
	T_EQ(ds.msg_lrpid, 0);
	T_EQ(ds.msg_rtime, 0);

	/* Positions follow the queue: receive the second, look again. */
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 1, IPC_NOWAIT)), 11);
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 1, MSG_COPY | IPC_NOWAIT)),
	     12);
	T_EQ(m.mtype, 3);
	T_EQ(m.mtext[0], 'c');
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), N - 2,
			    MSG_COPY | IPC_NOWAIT)),
	     15);
	T_EQ(m.mtype, 1);
	T_FAIL_ERRNO(
	    B->msgrcv(id, &m, sizeof(m.mtext), N - 1, MSG_COPY | IPC_NOWAIT),
	    ENOMSG);
	return T_EXIT_PASS;
}
