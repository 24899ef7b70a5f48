/*
 * msg-stat-index: MSG_STAT and MSG_STAT_ANY take an index (0 up to the
 * highest one IPC_INFO returns) instead of an id, return the full id of
 * the queue there and fill the buffer as IPC_STAT does. Indices past the
 * highest, negative ones and unused ones are EINVAL. Which index a queue
 * gets is not specified, only that the walk finds it.
 */
#include "helpers.h"

#define N 4

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct msqid_ds ds, st;
	struct msginfo mi;
	struct {
		long mtype;
		char mtext[16];
	} m = {1, {0}};
	int ids[N], idx[N];

	for (int k = 0; k < N; k++) {
		ids[k] = T_OK(B->msgget(t_key(k), IPC_CREAT | 0600));
		for (int j = 0; j < k; j++)
			T_OK(B->msgsnd(ids[k], &m, 3, 0));
	}

	int highest = T_OK(B->msgctl(0, IPC_INFO, (struct msqid_ds *)&mi));
	for (int k = 0; k < N; k++)
		idx[k] = -1;
	for (int i = 0; i <= highest; i++) {
		errno = 0;
		int id = B->msgctl(i, MSG_STAT, &ds);
		if (id < 0) {
			/* A hole, or a queue of someone else we may not read.
			 */
			T_ASSERT(errno == EINVAL || errno == EACCES);
			continue;
		}
		for (int k = 0; k < N; k++) {
			if (id != ids[k])
				continue;
			T_EQ(idx[k], -1);
			idx[k] = i;
			T_OK(B->msgctl(id, IPC_STAT, &st));
			T_EQ(ds.msg_perm.__key, t_key(k));
			T_EQ(ds.msg_perm.mode, st.msg_perm.mode);
			T_EQ(ds.msg_perm.uid, st.msg_perm.uid);
			T_EQ(ds.msg_qnum, k);
			T_EQ(ds.msg_cbytes, 3 * k);
			T_EQ(ds.msg_qbytes, st.msg_qbytes);
			T_EQ(ds.msg_lspid, st.msg_lspid);
			T_EQ(ds.msg_ctime, st.msg_ctime);
		}
	}
	for (int k = 0; k < N; k++) {
		T_ASSERT(idx[k] >= 0);
		T_EQ(T_OK(B->msgctl(idx[k], MSG_STAT_ANY, &ds)), ids[k]);
		T_EQ(ds.msg_qnum, k);
		for (int j = 0; j < k; j++)
			T_ASSERT(idx[j] != idx[k]);
	}

	T_FAIL_ERRNO(B->msgctl(highest + 1, MSG_STAT, &ds), EINVAL);
	T_FAIL_ERRNO(B->msgctl(highest + 1, MSG_STAT_ANY, &ds), EINVAL);
	T_FAIL_ERRNO(B->msgctl(-1, MSG_STAT, &ds), EINVAL);
	T_FAIL_ERRNO(B->msgctl(-1, MSG_STAT_ANY, &ds), EINVAL);

	/*
	 * A removed queue's index is free, or (on a busy machine) holds
	 * a new queue with another id.
	 */
	T_OK(B->msgctl(ids[1], IPC_RMID, NULL));
	errno = 0;
	int id = B->msgctl(idx[1], MSG_STAT_ANY, &ds);
	if (id < 0)
		T_EQ(errno, EINVAL);
	else
		T_ASSERT(id != ids[1]);
	return T_EXIT_PASS;
}
