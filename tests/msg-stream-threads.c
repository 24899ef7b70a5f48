/*
 * msg-stream-threads: streams between threads. Two threads of one process
 * send (each its own numbered stream), while a thread of the same process
 * and another process receive FIFO, and a third thread of the receiving
 * process now and then takes a type or looks at IPC_STAT. On ipckit the
 * queue's lane belongs to one thread per role and moves as the threads
 * take turns; every message must arrive once, each sender's in the order
 * it sent them as seen by each receiver, and the counts must come out.
 */
#include "helpers.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#define PER_SENDER 20000
#define TEXT 24

struct msg {
	long mtype;
	long sender; /* 0 or 1 */
	long seq;
	long check;
};

static int qid;
static unsigned char *seen; /* shared: [2][PER_SENDER] */
static _Atomic int *taken;  /* shared: messages received so far */

static void *sender(void *arg)
{
	long who = (long)arg;
	for (long s = 0; s < PER_SENDER; s++) {
		struct msg m = {1 + (s % 4 == 3), who, s, ~s ^ who};
		T_OK(B->msgsnd(qid, &m, TEXT, 0));
	}
	return NULL;
}

/* Receives FIFO until every message is taken; checks order per sender. */
static void receive_all(void)
{
	long last[2] = {-1, -1};
	for (;;) {
		if (atomic_load(taken) >= 2 * PER_SENDER)
			return;
		struct msg m;
		ssize_t n = B->msgrcv(qid, &m, TEXT, 0, IPC_NOWAIT);
		if (n < 0) {
			T_EQ(errno, ENOMSG);
			sched_yield();
			continue;
		}
		T_EQ(n, TEXT);
		T_ASSERT(m.sender == 0 || m.sender == 1);
		T_ASSERT(m.seq >= 0 && m.seq < PER_SENDER);
		T_EQ(m.check, ~m.seq ^ m.sender);
		/* FIFO receivers see each sender's messages in order, except
		 * those the typed receiver took out of the stream. */
		T_ASSERT(m.seq > last[m.sender]);
		last[m.sender] = m.seq;
		seen[m.sender * PER_SENDER + m.seq]++;
		atomic_fetch_add(taken, 1);
	}
}

static void *receiver(void *arg)
{
	(void)arg;
	receive_all();
	return NULL;
}

static void *intruder(void *arg)
{
	(void)arg;
	while (atomic_load(taken) < 2 * PER_SENDER) {
		struct msg m;
		if (B->msgrcv(qid, &m, TEXT, 2, IPC_NOWAIT) == TEXT) {
			T_EQ(m.check, ~m.seq ^ m.sender);
			seen[m.sender * PER_SENDER + m.seq]++;
			atomic_fetch_add(taken, 1);
		}
		struct msqid_ds ds;
		T_OK(B->msgctl(qid, IPC_STAT, &ds));
		T_ASSERT(ds.msg_cbytes == ds.msg_qnum * TEXT);
		usleep(500);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	qid = T_OK(B->msgget(IPC_PRIVATE, 0600));
	seen = t_shared_alloc(2 * PER_SENDER);
	taken = t_shared_alloc(sizeof(*taken));

	pid_t other = t_fork();
	if (other == 0) {
		pthread_t r, i;
		T_EQ(pthread_create(&r, NULL, receiver, NULL), 0);
		T_EQ(pthread_create(&i, NULL, intruder, NULL), 0);
		receive_all();
		pthread_join(r, NULL);
		pthread_join(i, NULL);
		_exit(0);
	}
	pthread_t s0, s1, r;
	T_EQ(pthread_create(&s0, NULL, sender, (void *)0L), 0);
	T_EQ(pthread_create(&s1, NULL, sender, (void *)1L), 0);
	T_EQ(pthread_create(&r, NULL, receiver, NULL), 0);
	pthread_join(s0, NULL);
	pthread_join(s1, NULL);
	pthread_join(r, NULL);
	t_wait_ok(other);
	for (int k = 0; k < 2 * PER_SENDER; k++)
		if (seen[k] != 1)
			t_fail(__FILE__, __LINE__, "sender %d seq %d seen %d times",
			       k / PER_SENDER, k % PER_SENDER, seen[k]);
	struct msqid_ds ds;
	T_OK(B->msgctl(qid, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 0);
	T_OK(B->msgctl(qid, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
