/*
 * msg-info-counts: MSG_INFO reports what is in use: msgpool the number of
 * queues, msgmap the number of messages, msgtql the bytes of all of them;
 * with no queue at all, IPC_INFO and MSG_INFO return 0.
 *
 * Exact counts need a namespace of our own: a private IPC namespace for
 * the kernel (needs the right to unshare it), the run's private namespace
 * directory for ipckit.
 */
#include "helpers.h"

#include <sched.h>

struct msg {
	long mtype;
	char mtext[256];
};

static void expect_in_use(int queues, int messages, int bytes)
{
	struct msginfo mi;
	T_OK(B->msgctl(0, MSG_INFO, (struct msqid_ds *)&mi));
	T_EQ(mi.msgpool, queues);
	T_EQ(mi.msgmap, messages);
	T_EQ(mi.msgtql, bytes);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	if (unshare(CLONE_NEWIPC) < 0)
		t_skip("cannot unshare the IPC namespace: %s", strerror(errno));
	struct msginfo mi;
	struct msg m = {1, {0}};

	T_EQ(T_OK(B->msgctl(0, IPC_INFO, (struct msqid_ds *)&mi)), 0);
	T_EQ(T_OK(B->msgctl(0, MSG_INFO, (struct msqid_ds *)&mi)), 0);
	expect_in_use(0, 0, 0);

	int a = T_OK(B->msgget(IPC_PRIVATE, 0600));
	expect_in_use(1, 0, 0);
	int b = T_OK(B->msgget(t_key(1), IPC_CREAT | 0600));
	int c = T_OK(B->msgget(IPC_PRIVATE, 0600));
	expect_in_use(3, 0, 0);

	T_OK(B->msgsnd(a, &m, 100, 0));
	T_OK(B->msgsnd(a, &m, 0, 0));
	T_OK(B->msgsnd(b, &m, 256, 0));
	T_OK(B->msgsnd(c, &m, 1, 0));
	expect_in_use(3, 4, 357);
	T_OK(B->msgrcv(a, &m, sizeof(m.mtext), 0, 0));
	expect_in_use(3, 3, 257);
	/* MSG_NOERROR: the whole message leaves the counts. */
	T_EQ(T_OK(B->msgrcv(b, &m, 10, 0, MSG_NOERROR)), 10);
	expect_in_use(3, 2, 1);
	T_OK(B->msgrcv(a, &m, 0, 0, MSG_COPY | IPC_NOWAIT));
	expect_in_use(3, 2, 1);

	/* Removing a queue drops its messages from the counts. */
	T_OK(B->msgsnd(b, &m, 50, 0));
	T_OK(B->msgsnd(b, &m, 60, 0));
	expect_in_use(3, 4, 111);
	T_OK(B->msgctl(b, IPC_RMID, NULL));
	expect_in_use(2, 2, 1);
	T_OK(B->msgctl(a, IPC_RMID, NULL));
	T_OK(B->msgctl(c, IPC_RMID, NULL));
	expect_in_use(0, 0, 0);
	T_EQ(T_OK(B->msgctl(0, IPC_INFO, (struct msqid_ds *)&mi)), 0);
	return T_EXIT_PASS;
}
