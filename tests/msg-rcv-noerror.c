/*
 * msg-rcv-noerror: with MSG_NOERROR a message longer than msgsz is taken
 * cut to msgsz bytes; the rest is lost and msgrcv returns msgsz. The whole
 * message leaves the queue (msg_cbytes drops by its full length). A
 * message that fits is unaffected by the flag.
 */
#include "helpers.h"

struct msg {
	long mtype;
	char mtext[128];
};

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct msqid_ds ds;
	struct msg m = {5, {0}};

	int id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	for (int i = 0; i < 100; i++)
		m.mtext[i] = (char)i;
	T_OK(B->msgsnd(id, &m, 100, 0));
	m.mtype = 6;
	T_OK(B->msgsnd(id, &m, 100, 0));
	m.mtype = 7;
	T_OK(B->msgsnd(id, &m, 20, 0));
	m.mtype = 8;
	T_OK(B->msgsnd(id, &m, 100, 0));

	memset(&m, 0x7f, sizeof(m));
	T_EQ(T_OK(B->msgrcv(id, &m, 30, 0, MSG_NOERROR | IPC_NOWAIT)), 30);
	T_EQ(m.mtype, 5);
	for (int i = 0; i < 30; i++)
		T_EQ(m.mtext[i], (char)i);
	/* Nothing past msgsz is written. */
	T_EQ(m.mtext[30], 0x7f);
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 3);
	T_EQ(ds.msg_cbytes, 220);
	T_EQ(ds.msg_lrpid, getpid());

	/* msgsz 0 takes the message and copies nothing but the type. */
	memset(&m, 0x7f, sizeof(m));
	T_EQ(T_OK(B->msgrcv(id, &m, 0, 6, MSG_NOERROR)), 0);
	T_EQ(m.mtype, 6);
	T_EQ(m.mtext[0], 0x7f);

	/* A message that fits comes whole. */
	T_EQ(T_OK(B->msgrcv(id, &m, 50, 0, MSG_NOERROR)), 20);
	T_EQ(m.mtype, 7);
	T_EQ(T_OK(B->msgrcv(id, &m, 100, 0, MSG_NOERROR)), 100);
	T_EQ(m.mtype, 8);
	T_EQ(m.mtext[99], 99);
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 0);
	T_EQ(ds.msg_cbytes, 0);
	return T_EXIT_PASS;
}
