/*
 * msg-stream-handover: a long stream from one process to another, broken
 * into by everything else a queue allows, keeps the kernel's order and
 * counts. On ipckit such a stream runs through the queue's lane (msg.c),
 * and each intruder - IPC_STAT, a receiver with a type, a second sender,
 * a second receiver, IPC_RMID - must find every message where the kernel
 * would have it: exact msg_qnum and msg_cbytes, each sender's messages in
 * the order sent, none lost, none twice.
 */
#include "helpers.h"

#define SIZE 64

struct msg {
	long mtype;
	long seq;
	char fill[SIZE - sizeof(long)];
};

static void put(int id, long mtype, long seq)
{
	struct msg m = {.mtype = mtype, .seq = seq};
	memset(m.fill, (int)(seq & 0x7f), sizeof(m.fill));
	T_OK(B->msgsnd(id, &m, SIZE, 0));
}

/* Receives one message of selector `type`; checks its bytes. */
static struct msg get(int id, long type, int flags)
{
	struct msg m;
	T_EQ(T_OK(B->msgrcv(id, &m, SIZE, type, flags)), SIZE);
	for (size_t i = 0; i < sizeof(m.fill); i++)
		T_EQ(m.fill[i], m.seq & 0x7f);
	return m;
}

/* The producer's messages: seq s has type 1 + s % 5. */
static void produce(int id, long from, long to)
{
	for (long s = from; s < to; s++)
		put(id, 1 + s % 5, s);
}

static void stat_is(int id, long qnum, pid_t lspid, pid_t lrpid)
{
	struct msqid_ds ds;
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, qnum);
	T_EQ(ds.msg_cbytes, qnum * SIZE);
	T_EQ(ds.msg_lspid, lspid);
	T_EQ(ds.msg_lrpid, lrpid);
}

/* Receives n / 2 of messages 0..n-1, each later than the last, marking
 * each in seen[]. */
static void take_half(int id, unsigned char *seen, long n)
{
	long last = -1;
	for (long i = 0; i < n / 2; i++) {
		struct msg m = get(id, 0, 0);
		T_ASSERT(m.seq > last && m.seq < n);
		last = m.seq;
		seen[m.seq]++;
	}
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	struct msqid_ds ds;
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	/* Phase 1 leaves 200 messages queued. */
	if (ds.msg_qbytes < 200 * SIZE)
		t_skip("msg_qbytes %lu holds fewer than 200 messages",
		       (unsigned long)ds.msg_qbytes);
	struct t_barrier *bar = t_barrier_create(2);

	/* 1. Received while it is sent, then stopped and looked at. */
	pid_t p = t_fork();
	if (p == 0) {
		produce(id, 0, 400);
		t_barrier_wait(bar); /* 400 sent */
		t_barrier_wait(bar); /* the parent looked */
		produce(id, 400, 1500);
		_exit(0);
	}
	for (long s = 0; s < 200; s++)
		T_EQ(get(id, 0, 0).seq, s);
	t_barrier_wait(bar);
	stat_is(id, 200, p, getpid());
	/* A typed receive takes the first of its type, 202; FIFO goes on. */
	T_EQ(get(id, 3, IPC_NOWAIT).seq, 202);
	stat_is(id, 199, p, getpid());
	for (long s = 200; s < 210; s++)
		if (s != 202)
			T_EQ(get(id, 0, 0).seq, s);

	/* 2. A second sender joins the stream: each keeps its own order. */
	pid_t s2 = t_fork();
	if (s2 == 0) {
		for (long s = 0; s < 100; s++)
			put(id, 7, 100000 + s);
		_exit(0);
	}
	t_barrier_wait(bar);
	long next = 210, next2 = 100000;
	while (next < 1500 || next2 < 100100) {
		struct msg m = get(id, 0, 0);
		if (m.mtype == 7) {
			T_EQ(m.seq, next2);
			next2++;
		} else {
			T_EQ(m.seq, next);
			T_EQ(m.mtype, 1 + m.seq % 5);
			next++;
		}
	}
	t_wait_ok(p);
	t_wait_ok(s2);
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 0);
	T_EQ(ds.msg_cbytes, 0);
	T_ASSERT(ds.msg_lspid == p || ds.msg_lspid == s2);
	T_EQ(ds.msg_lrpid, getpid());

	/*
	 * 3. A second receiver joins: between them they get every message
	 * once, each in the order sent.
	 */
	enum { N3 = 3000 };
	unsigned char *seen = t_shared_alloc(N3);
	p = t_fork();
	if (p == 0) {
		produce(id, 0, N3);
		_exit(0);
	}
	pid_t r2 = t_fork();
	if (r2 == 0) {
		take_half(id, seen, N3);
		_exit(0);
	}
	take_half(id, seen, N3);
	t_wait_ok(p);
	t_wait_ok(r2);
	for (int s = 0; s < N3; s++)
		T_EQ(seen[s], 1);
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 0);
	T_EQ(ds.msg_cbytes, 0);
	T_EQ(ds.msg_lspid, p);
	T_ASSERT(ds.msg_lrpid == getpid() || ds.msg_lrpid == r2);

	/* 4. IPC_RMID reaches the stream's receiver, waiting on it empty. */
	p = t_fork();
	if (p == 0) {
		produce(id, 0, 200);
		t_barrier_wait(bar); /* all 200 taken */
		t_wait_blocked(getppid());
		T_OK(B->msgctl(id, IPC_RMID, NULL));
		_exit(0);
	}
	for (long s = 0; s < 200; s++)
		T_EQ(get(id, 0, 0).seq, s);
	t_barrier_wait(bar);
	struct msg m;
	T_FAIL_ERRNO(B->msgrcv(id, &m, SIZE, 0, 0), EIDRM);
	t_wait_ok(p);
	return T_EXIT_PASS;
}
