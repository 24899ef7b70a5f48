/*
 * msg-rcv-pipelined-select: a sent message goes to the first waiting
 * receiver, in the order they started waiting, whose selector matches it
 * (a type, 0, MSG_EXCEPT, a negative bound); receivers that do not match
 * keep waiting, and a message no waiter wants is queued.
 */
#include "helpers.h"

#include <limits.h>

struct msg {
	long mtype;
	char mtext[16];
};

struct waiter {
	long msgtyp;
	int flags;
};

/* Waiters in the order they start waiting. */
static const struct waiter waiters[] = {
    {2, 0},	      /* 0: type 2 */
    {1, 0},	      /* 1: type 1 */
    {3, MSG_EXCEPT},  /* 2: anything but 3 */
    {-2, 0},	      /* 3: lowest type <= 2 */
    {0, 0},	      /* 4: anything */
    {-2, MSG_EXCEPT}, /* 5: MSG_EXCEPT means nothing for msgtyp < 0 */
    {LONG_MIN, 0},    /* 6: lowest type of all */
};
#define NW (int)(sizeof(waiters) / sizeof(waiters[0]))

/* Messages in the order they are sent, and which waiter each goes to. */
static const struct {
	long mtype;
	int to; /* -1: no waiter matches, it is queued */
} sends[] = {
    {1, 1}, {3, 4}, {7, 2}, {3, 6}, {3, -1}, {2, 0}, {1, 3}, {2, 5},
};
#define NS (int)(sizeof(sends) / sizeof(sends[0]))

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct {
		long mtype;
		int seq;
	} *got = t_shared_alloc(NW * sizeof(*got));
	pid_t pids[NW];
	struct msqid_ds ds;
	struct msg m;

	int id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	for (int i = 0; i < NW; i++) {
		pids[i] = t_fork();
		if (pids[i] == 0) {
			struct msg r;
			T_EQ(T_OK(B->msgrcv(id, &r, sizeof(r.mtext),
					    waiters[i].msgtyp,
					    waiters[i].flags)),
			     sizeof(int));
			got[i].mtype = r.mtype;
			memcpy(&got[i].seq, r.mtext, sizeof(int));
			_exit(0);
		}
		t_wait_blocked(pids[i]);
	}

	int queued = 0;
	for (int s = 0; s < NS; s++) {
		m.mtype = sends[s].mtype;
		memcpy(m.mtext, &s, sizeof(int));
		T_OK(B->msgsnd(id, &m, sizeof(int), IPC_NOWAIT));
		if (sends[s].to < 0)
			queued++;
		/* Checked before waiting: a wrong hand-over must not hang. */
		T_OK(B->msgctl(id, IPC_STAT, &ds));
		T_EQ(ds.msg_qnum, queued);
		if (sends[s].to < 0)
			continue;
		T_EQ(ds.msg_lrpid, pids[sends[s].to]);
		t_wait_ok(pids[sends[s].to]);
		T_EQ(got[sends[s].to].mtype, sends[s].mtype);
		T_EQ(got[sends[s].to].seq, s);
	}

	/* Every waiter got its message; the unwanted one is queued. */
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT)),
	     sizeof(int));
	T_EQ(m.mtype, 3);
	int seq;
	memcpy(&seq, m.mtext, sizeof(int));
	T_EQ(seq, 4);
	return T_EXIT_PASS;
}
