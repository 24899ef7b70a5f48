/*
 * msg-snd-fit-bytes: a message fits when msg_cbytes + msgsz <= msg_qbytes
 * (and msg_qnum + 1 <= msg_qbytes). Tested with msg_qbytes lowered by
 * IPC_SET: a queue filled to exactly msg_qbytes is full; a message larger
 * than msg_qbytes never fits (EAGAIN, not EINVAL); lowering msg_qbytes
 * under what is queued keeps the messages and refuses new ones until
 * enough are received.
 */
#include "helpers.h"

static int id;
static struct {
	long mtype;
	char mtext[256];
} m = {1, {0}};

static void set_qbytes(unsigned long qbytes)
{
	struct msqid_ds ds;
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	ds.msg_qbytes = qbytes;
	T_OK(B->msgctl(id, IPC_SET, &ds));
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qbytes, qbytes);
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
	set_qbytes(100);

	T_FAIL_ERRNO(B->msgsnd(id, &m, 101, IPC_NOWAIT), EAGAIN);
	T_FAIL_ERRNO(B->msgsnd(id, &m, 200, IPC_NOWAIT), EAGAIN);
	expect(0, 0);
	T_OK(B->msgsnd(id, &m, 60, IPC_NOWAIT));
	T_FAIL_ERRNO(B->msgsnd(id, &m, 41, IPC_NOWAIT), EAGAIN);
	expect(1, 60);
	T_OK(B->msgsnd(id, &m, 40, IPC_NOWAIT));
	expect(2, 100);
	/* Full by bytes: only an empty message still fits. */
	T_FAIL_ERRNO(B->msgsnd(id, &m, 1, IPC_NOWAIT), EAGAIN);
	T_OK(B->msgsnd(id, &m, 0, IPC_NOWAIT));
	expect(3, 100);

	/* Receiving the 60 makes room for exactly 60. */
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT)), 60);
	T_FAIL_ERRNO(B->msgsnd(id, &m, 61, IPC_NOWAIT), EAGAIN);
	T_OK(B->msgsnd(id, &m, 60, IPC_NOWAIT));
	expect(3, 100);

	/* Lowered under what is queued: nothing is lost, nothing fits. */
	set_qbytes(50);
	expect(3, 100);
	T_FAIL_ERRNO(B->msgsnd(id, &m, 0, IPC_NOWAIT), EAGAIN);
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT)), 40);
	T_FAIL_ERRNO(B->msgsnd(id, &m, 0, IPC_NOWAIT), EAGAIN);
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT)), 0);
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT)), 60);
	expect(0, 0);
	T_FAIL_ERRNO(B->msgsnd(id, &m, 51, IPC_NOWAIT), EAGAIN);
	T_OK(B->msgsnd(id, &m, 50, IPC_NOWAIT));
	expect(1, 50);
	return T_EXIT_PASS;
}
