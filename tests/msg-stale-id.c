/*
 * msg-stale-id: a queue removed and made again with the same key gets an
 * id that differs from the old one, and the old id fails with EINVAL
 * rather than reaching the new queue, however many times it is done.
 */
#include "helpers.h"

#define ROUNDS 64

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	key_t key = t_key(1);
	int ids[ROUNDS];
	struct msqid_ds ds;
	struct {
		long mtype;
		char mtext[8];
	} m = {1, "new"};

	for (int r = 0; r < ROUNDS; r++) {
		ids[r] = T_OK(B->msgget(key, IPC_CREAT | IPC_EXCL | 0600));
		T_OK(B->msgsnd(ids[r], &m, 3, 0));
		for (int old = 0; old < r; old++) {
			T_ASSERT(ids[old] != ids[r]);
			T_FAIL_ERRNO(B->msgsnd(ids[old], &m, 3, IPC_NOWAIT),
				     EINVAL);
			T_FAIL_ERRNO(B->msgrcv(ids[old], &m, sizeof(m.mtext), 0,
					       IPC_NOWAIT),
				     EINVAL);
			T_FAIL_ERRNO(B->msgctl(ids[old], IPC_STAT, &ds),
				     EINVAL);
			T_FAIL_ERRNO(B->msgctl(ids[old], IPC_RMID, NULL),
				     EINVAL);
		}
		T_OK(B->msgctl(ids[r], IPC_STAT, &ds));
		T_EQ(ds.msg_qnum, 1);
		T_EQ(T_OK(B->msgget(key, 0)), ids[r]);
		if (r + 1 < ROUNDS)
			T_OK(B->msgctl(ids[r], IPC_RMID, NULL));
	}

	/* The new queue kept its message through it all. */
	T_EQ(T_OK(B->msgrcv(ids[ROUNDS - 1], &m, sizeof(m.mtext), 0,
			    IPC_NOWAIT)),
	     3);
	return T_EXIT_PASS;
}
