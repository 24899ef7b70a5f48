/*
 * msg-info-limits: IPC_INFO and MSG_INFO fill a struct msginfo with the
 * limits in force (msgmax, msgmnb, msgmni as /proc/sys/kernel has them,
 * msgssz and msgseg as the kernel's constants; IPC_INFO also msgpool,
 * msgmap and msgtql as constants) and return the highest index in use,
 * whose walk with MSG_STAT_ANY finds every queue the test made. The id
 * argument is not looked at, but must not be negative.
 */
#include "helpers.h"

/* From the kernel's include/uapi/linux/msg.h. */
#define K_MSGMNI  32000
#define K_MSGMNB  16384
#define K_MSGPOOL (K_MSGMNI * K_MSGMNB / 1024)
#define K_MSGSSZ  16
#define K_MSGSEG  0xffff

static int info(int msqid, int cmd, struct msginfo *mi)
{
	memset(mi, 0x55, sizeof(*mi));
	return T_OK(B->msgctl(msqid, cmd, (struct msqid_ds *)mi));
}

#define N 3

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct msginfo mi;
	struct msqid_ds ds;
	int ids[N];

	for (int i = 0; i < N; i++)
		ids[i] = T_OK(B->msgget(t_key(i), IPC_CREAT | 0600));

	int highest = info(0, IPC_INFO, &mi);
	T_EQ(mi.msgmax, t_sysctl("msgmax"));
	T_EQ(mi.msgmnb, t_sysctl("msgmnb"));
	T_EQ(mi.msgmni, t_sysctl("msgmni"));
	T_EQ(mi.msgssz, K_MSGSSZ);
	T_EQ(mi.msgseg, K_MSGSEG);
	T_EQ(mi.msgpool, K_MSGPOOL);
	T_EQ(mi.msgmap, K_MSGMNB);
	T_EQ(mi.msgtql, K_MSGMNB);
	T_ASSERT(highest >= N - 1);
	T_EQ(info(ids[0], IPC_INFO, &mi), highest);
	T_EQ(info(12345, IPC_INFO, &mi), highest);

	T_EQ(info(0, MSG_INFO, &mi), highest);
	T_EQ(mi.msgmax, t_sysctl("msgmax"));
	T_EQ(mi.msgmnb, t_sysctl("msgmnb"));
	T_EQ(mi.msgmni, t_sysctl("msgmni"));
	T_EQ(mi.msgssz, K_MSGSSZ);
	T_EQ(mi.msgseg, K_MSGSEG);
	/* MSG_INFO's msgpool counts the queues in use: ours at least. */
	T_ASSERT(mi.msgpool >= N);

	T_FAIL_ERRNO(B->msgctl(-1, IPC_INFO, (struct msqid_ds *)&mi), EINVAL);
	T_FAIL_ERRNO(B->msgctl(-1, MSG_INFO, (struct msqid_ds *)&mi), EINVAL);

	/* Walking 0..highest finds each of our queues exactly once. */
	int found[N] = {0};
	for (int i = 0; i <= highest; i++) {
		int id = B->msgctl(i, MSG_STAT_ANY, &ds);
		for (int k = 0; k < N; k++)
			if (id == ids[k]) {
				found[k]++;
				T_EQ(ds.msg_perm.__key, t_key(k));
			}
	}
	for (int k = 0; k < N; k++)
		T_EQ(found[k], 1);
	return T_EXIT_PASS;
}
