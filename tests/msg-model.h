/*
 * msg-model.h - what the msg-rcv-type-*.c tests share: a model of one
 * message queue, the queue as the test expects it to be, and the checks
 * that hold the real queue to it.
 *
 * A test fills the queue with thousands of 4-byte messages of mixed types
 * (send_one, fill), then receives with some msgtyp and flags (check_rcv):
 * model_find says, from the man page alone, which message that receive
 * takes, and check_rcv fails unless the back end takes that one. The
 * random types come from a fixed-seed PRNG, so every run, on every back
 * end, sends and asks for the same sequence.
 *
 * The model is file-scope state (q, qn, id, ...): each test is one
 * program with one queue, and includes this header once.
 */
#ifndef T_MSG_MODEL_H
#define T_MSG_MODEL_H

#include "helpers.h"

#include <limits.h>

#define NMAX 4000

/* The queue as the test expects it to be, oldest first. */
static struct entry {
	long type;
	int seq;
} q[NMAX];
static int qn, next_seq, id;

/*
 * xorshift64 from a fixed seed: every run, on either back end, sends the
 * same queue and asks for the same types, so a failure repeats.
 */
static uint64_t rnd_state = 0x9e3779b97f4a7c15u;

/* A number in [0, n). */
static inline unsigned rnd(unsigned n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (unsigned)(rnd_state % n);
}

/* Mostly small types, some mid ones, a few at the very top. */
static inline long rnd_type(void)
{
	unsigned r = rnd(100);
	if (r < 80)
		return 1 + rnd(40);
	if (r < 95)
		return 1000 + rnd(5);
	return LONG_MAX - rnd(3);
}

/* Sends one message of `type` carrying the next sequence number. */
static inline void send_one(long type)
{
	struct {
		long mtype;
		int seq;
	} m = {type, next_seq};
	T_OK(B->msgsnd(id, &m, sizeof(int), IPC_NOWAIT));
	q[qn].type = type;
	q[qn].seq = next_seq++;
	qn++;
}

/* Fills the queue with `n` messages in runs of one type each. */
static inline void fill(int n)
{
	while (qn < n) {
		long type = rnd_type();
		for (unsigned run = 1 + rnd(8); run && qn < n; run--)
			send_one(type);
	}
}

/* Which message msgrcv(msgtyp, flags) takes, as the man page says. */
static inline int model_find(long msgtyp, int flags)
{
	if (msgtyp == 0)
		return qn ? 0 : -1;
	if (msgtyp < 0) {
		/* The lowest type <= |msgtyp|, the first of equals. */
		long bound = msgtyp == LONG_MIN ? LONG_MAX : -msgtyp;
		int best = -1;
		for (int i = 0; i < qn; i++)
			if (q[i].type <= bound &&
			    (best < 0 || q[i].type < q[best].type))
				best = i;
		return best;
	}
	bool except = flags & MSG_EXCEPT;
	for (int i = 0; i < qn; i++)
		if ((q[i].type != msgtyp) == except)
			return i;
	return -1;
}

/* Receives without waiting and checks it got what the model says. */
static inline void check_rcv(long msgtyp, int flags)
{
	struct {
		long mtype;
		int seq;
	} m;
	int i = model_find(msgtyp, flags);
	if (i < 0) {
		T_FAIL_ERRNO(
		    B->msgrcv(id, &m, sizeof(int), msgtyp, flags | IPC_NOWAIT),
		    ENOMSG);
		return;
	}
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(int), msgtyp, flags | IPC_NOWAIT)),
	     sizeof(int));
	if (m.mtype != q[i].type || m.seq != q[i].seq)
		t_fail(__FILE__, __LINE__,
		       "msgrcv(%ld, %#x) took type %ld seq %d, expected "
		       "type %ld seq %d",
		       msgtyp, flags, m.mtype, m.seq, q[i].type, q[i].seq);
	memmove(&q[i], &q[i + 1], (size_t)(qn - i - 1) * sizeof(q[0]));
	qn--;
}

/* msg_qnum and msg_cbytes agree with the model. */
static inline void check_stat(void)
{
	struct msqid_ds ds;
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, qn);
	T_EQ(ds.msg_cbytes, (long)qn * (long)sizeof(int));
}

/* As many 4-byte messages as the default msg_qbytes holds, up to NMAX. */
static inline int capacity(void)
{
	struct msqid_ds ds;
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	long n = (long)ds.msg_qbytes / (long)sizeof(int);
	if (n < 1000)
		t_skip("msg_qbytes %lu is too small for thousands of messages",
		       (unsigned long)ds.msg_qbytes);
	return n < NMAX ? (int)n : NMAX;
}

#endif
