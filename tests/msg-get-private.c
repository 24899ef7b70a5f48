/*
 * msg-get-private: IPC_PRIVATE always makes a new queue, whatever the
 * flags (IPC_CREAT|IPC_EXCL included), and the queues are distinct.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);

	int ids[4];
	ids[0] = T_OK(B->msgget(IPC_PRIVATE, 0600));
	ids[1] = T_OK(B->msgget(IPC_PRIVATE, 0600));
	ids[2] = T_OK(B->msgget(IPC_PRIVATE, IPC_CREAT | IPC_EXCL | 0600));
	ids[3] = T_OK(B->msgget(IPC_PRIVATE, IPC_CREAT | 0600));
	for (int i = 0; i < 4; i++) {
		struct msqid_ds ds;
		T_OK(B->msgctl(ids[i], IPC_STAT, &ds));
		T_EQ(ds.msg_perm.__key, IPC_PRIVATE);
		T_EQ(ds.msg_perm.mode, 0600);
		for (int j = 0; j < i; j++)
			T_ASSERT(ids[i] != ids[j]);
	}

	/* Distinct queues: a message sent to one is not in another. */
	struct {
		long mtype;
		char mtext[8];
	} m = {1, "x"};
	T_OK(B->msgsnd(ids[0], &m, 1, 0));
	for (int i = 1; i < 4; i++)
		T_FAIL_ERRNO(
		    B->msgrcv(ids[i], &m, sizeof(m.mtext), 0, IPC_NOWAIT),
		    ENOMSG);
	T_EQ(T_OK(B->msgrcv(ids[0], &m, sizeof(m.mtext), 0, IPC_NOWAIT)), 1);
	return T_EXIT_PASS;
}
