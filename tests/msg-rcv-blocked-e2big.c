/*
 * msg-rcv-blocked-e2big: a waiting receiver whose buffer is too small for
 * the message it matches fails with E2BIG (the kernel's pipelined send
 * tells it so) and the message goes on to the next matching waiter, or to
 * the queue if there is none. A waiter with MSG_NOERROR takes the message
 * cut to its buffer.
 */
#include "helpers.h"

#define BIG   50
#define SMALL 10

struct msg {
	long mtype;
	char mtext[BIG + 1];
};

/* A child that waits for any message with a buffer of `size`. */
static pid_t start_waiter(int id, size_t size, int flags, ssize_t expect,
			  int expect_errno)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		struct msg r;
		memset(&r, 0, sizeof(r));
		if (expect < 0) {
			T_FAIL_ERRNO(B->msgrcv(id, &r, size, 0, flags),
				     expect_errno);
		} else {
			T_EQ(T_OK(B->msgrcv(id, &r, size, 0, flags)), expect);
			for (ssize_t i = 0; i < expect; i++)
				T_EQ(r.mtext[i], (char)(r.mtype + i));
			T_EQ(r.mtext[expect], 0);
		}
		_exit(0);
	}
	t_wait_blocked(pid);
	return pid;
}

static void send_big(int id, long mtype)
{
	struct msg m = {mtype, {0}};
	for (int i = 0; i < BIG; i++)
		m.mtext[i] = (char)(mtype + i);
	T_OK(B->msgsnd(id, &m, BIG, IPC_NOWAIT));
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct msqid_ds ds;
	struct msg m;

	int id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	pid_t small = start_waiter(id, SMALL, 0, -1, E2BIG);
	pid_t cut = start_waiter(id, SMALL, MSG_NOERROR, SMALL, 0);
	pid_t whole = start_waiter(id, BIG, 0, BIG, 0);

	/* Refused by `small`, taken cut short by `cut`. */
	send_big(id, 1);
	t_wait_ok(small);
	t_wait_ok(cut);
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 0);
	T_EQ(ds.msg_lrpid, cut);

	send_big(id, 2);
	t_wait_ok(whole);
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 0);
	T_EQ(ds.msg_lrpid, whole);

	/* Refused by the only waiter: the message is queued. */
	small = start_waiter(id, SMALL, 0, -1, E2BIG);
	send_big(id, 3);
	t_wait_ok(small);
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 1);
	T_EQ(ds.msg_cbytes, BIG);
	T_EQ(ds.msg_lrpid, whole);
	T_EQ(T_OK(B->msgrcv(id, &m, BIG, 0, IPC_NOWAIT)), BIG);
	T_EQ(m.mtype, 3);
	return T_EXIT_PASS;
}
