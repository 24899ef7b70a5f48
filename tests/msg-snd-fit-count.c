/*
 * msg-snd-fit-count: a message fits only when msg_qnum + 1 <= msg_qbytes
 * as well, so empty messages cannot fill a queue without bound: with
 * msg_qbytes 3 three of them fit and a fourth does not; with msg_qbytes
 * 0 nothing fits, not even an empty message.
 */
#include "helpers.h"

static int id;
static struct {
	long mtype;
	char mtext[16];
} m = {1, {0}};

static void set_qbytes(unsigned long qbytes)
{
	struct msqid_ds ds;
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	ds.msg_qbytes = qbytes;
	T_OK(B->msgctl(id, IPC_SET, &ds));
}

static void expect(unsigned long qnum, unsigned long cbytes)
{
	struct msqid_ds ds;
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, qnum);
	T_EQ(ds.msg_cbytes, cbytes);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	id = T_OK(B->msgget(IPC_PRIVATE, 0600));

	set_qbytes(3);
	for (int i = 0; i < 3; i++)
		T_OK(B->msgsnd(id, &m, 0, IPC_NOWAIT));
	expect(3, 0);
	T_FAIL_ERRNO(B->msgsnd(id, &m, 0, IPC_NOWAIT), EAGAIN);
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT)), 0);
	T_OK(B->msgsnd(id, &m, 0, IPC_NOWAIT));
	T_FAIL_ERRNO(B->msgsnd(id, &m, 0, IPC_NOWAIT), EAGAIN);
	for (int i = 0; i < 3; i++)
		T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT)),
		     0);

	/* Both limits together: 5 bytes, 5 messages. */
	set_qbytes(5);
	T_OK(B->msgsnd(id, &m, 4, IPC_NOWAIT));
	T_OK(B->msgsnd(id, &m, 1, IPC_NOWAIT));
	T_FAIL_ERRNO(B->msgsnd(id, &m, 1, IPC_NOWAIT), EAGAIN);
	T_OK(B->msgsnd(id, &m, 0, IPC_NOWAIT));
	T_OK(B->msgsnd(id, &m, 0, IPC_NOWAIT));
	T_OK(B->msgsnd(id, &m, 0, IPC_NOWAIT));
	expect(5, 5);
	T_FAIL_ERRNO(B->msgsnd(id, &m, 0, IPC_NOWAIT), EAGAIN);
	while (B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT) >= 0)
		;
	T_EQ(errno, ENOMSG);
	expect(0, 0);

	set_qbytes(0);
	T_FAIL_ERRNO(B->msgsnd(id, &m, 0, IPC_NOWAIT), EAGAIN);
	T_FAIL_ERRNO(B->msgsnd(id, &m, 1, IPC_NOWAIT), EAGAIN);
	expect(0, 0);
	set_qbytes(1);
	T_OK(B->msgsnd(id, &m, 1, IPC_NOWAIT));
	T_FAIL_ERRNO(B->msgsnd(id, &m, 0, IPC_NOWAIT), EAGAIN);
	expect(1, 1);
	return T_EXIT_PASS;
}
