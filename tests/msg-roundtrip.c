/*
 * msg-roundtrip: what msgsnd queues, msgrcv returns byte for byte: every
 * size from 0 to msgmax, with its type, and msgrcv returns the length of
 * mtext it copied (never counting mtype).
 */
#include "helpers.h"

#include <limits.h>

static unsigned char pattern(size_t size, size_t i)
{
	return (unsigned char)(size * 31 + i * 7 + 1);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	long msgmax = t_sysctl("msgmax");
	long msgmnb = t_sysctl("msgmnb");
	T_ASSERT(msgmax <= msgmnb);

	struct {
		long mtype;
		unsigned char mtext[65536];
	} *snd = malloc(sizeof(*snd)), *rcv = malloc(sizeof(*rcv));
	T_ASSERT(snd && rcv && msgmax <= (long)sizeof(snd->mtext));

	int id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	size_t sizes[] = {0, 1, 2, 7, 8, 63, 64, 65, 4095, 4096, 4097};
	size_t n = sizeof(sizes) / sizeof(sizes[0]);

	for (size_t k = 0; k <= n; k++) {
		size_t size = k < n ? sizes[k] : (size_t)msgmax;
		if (size > (size_t)msgmax)
			continue;
		snd->mtype = (long)k + 1;
		for (size_t i = 0; i < size; i++)
			snd->mtext[i] = pattern(size, i);
		T_OK(B->msgsnd(id, snd, size, IPC_NOWAIT));

		memset(rcv, 0xee, sizeof(*rcv));
		T_EQ(
		    T_OK(B->msgrcv(id, rcv, sizeof(rcv->mtext), 0, IPC_NOWAIT)),
		    size);
		T_EQ(rcv->mtype, (long)k + 1);
		for (size_t i = 0; i < size; i++)
			T_EQ(rcv->mtext[i], pattern(size, i));
		/* Nothing beyond the message's length is written. */
		T_EQ(rcv->mtext[size], 0xee);
	}

	/* The largest message also fits in a buffer of exactly its size. */
	snd->mtype = LONG_MAX;
	T_OK(B->msgsnd(id, snd, (size_t)msgmax, 0));
	T_EQ(T_OK(B->msgrcv(id, rcv, (size_t)msgmax, LONG_MAX, 0)), msgmax);
	T_EQ(rcv->mtype, LONG_MAX);

	struct msqid_ds ds;
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 0);
	T_EQ(ds.msg_cbytes, 0);
	free(snd);
	free(rcv);
	return T_EXIT_PASS;
}
