/*
 * msg-stream-kill: a stream from one process to another, both killed with
 * SIGKILL at random moments and restarted, for a few seconds. On ipckit
 * the stream runs through the queue's lane, and some incarnations die at
 * one of its crash points instead. Conservation, as the issue states it:
 * every message whose msgsnd returned is received exactly once or still
 * queued, except one a receiver took in its last instructions, which is
 * then in that receiver's buffer; a message whose sender died inside
 * msgsnd is received at most once; each receiver sees the stream in order.
 */
#include "helpers.h"

#include <signal.h>
#include <stdatomic.h>
#include <time.h>

#define SIZE 48
#define MAXSEQ 4000000

struct msg {
	long mtype;
	long seq;
	long check;
	char fill[SIZE - 2 * sizeof(long)];
};

#define TEXT (sizeof(struct msg) - sizeof(long))

struct shared {
	_Atomic long next;	/* the producer's next seq */
	_Atomic long doubt;	/* a seq whose msgsnd had not returned, or -1 */
	struct msg buf;		/* the consumer's receive buffer */
	_Atomic long logged;	/* the last seq the consumer logged */
	unsigned char count[MAXSEQ];
};

static struct shared *S;

static const char *const points[] = {
	"msgsnd-lane-filled",	   "msgsnd-lane-published",
	"msgrcv-lane-copied",	   "msgrcv-lane-taken",
	"msgctl-lane-off-chained", "msgctl-lane-off-linked",
	"msgsnd-filled",	   "msgrcv-copied",
	"msgrcv-unlinked",
};

static void fill(struct msg *m, long seq)
{
	m->mtype = 1;
	m->seq = seq;
	m->check = seq * 2654435761L;
	memset(m->fill, (int)(seq & 0xff), sizeof(m->fill));
}

static bool intact(const struct msg *m)
{
	if (m->seq < 0 || m->seq >= MAXSEQ || m->mtype != 1 ||
	    m->check != m->seq * 2654435761L)
		return false;
	for (size_t i = 0; i < sizeof(m->fill); i++)
		if ((unsigned char)m->fill[i] != (m->seq & 0xff))
			return false;
	return true;
}

static void maybe_fault(unsigned r)
{
	if (r % 3 == 0)
		setenv("IPCKIT_FAULT",
		       points[(r / 3) % (sizeof(points) / sizeof(points[0]))],
		       1);
}

static pid_t start_producer(int id, unsigned r)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		maybe_fault(r);
		for (;;) {
			long seq = atomic_load(&S->next);
			if (seq >= MAXSEQ)
				pause();
			struct msg m;
			fill(&m, seq);
			atomic_store(&S->doubt, seq);
			T_OK(B->msgsnd(id, &m, TEXT, 0));
			atomic_store(&S->next, seq + 1);
			atomic_store(&S->doubt, -1);
		}
	}
	return pid;
}

/* Logs one received message, checking order within this incarnation. */
static void log_msg(const struct msg *m, long *last)
{
	if (!intact(m))
		t_fail(__FILE__, __LINE__, "corrupted message, seq %ld",
		       m->seq);
	if (m->seq <= *last)
		t_fail(__FILE__, __LINE__, "seq %ld after %ld", m->seq, *last);
	*last = m->seq;
	S->count[m->seq]++;
	atomic_store(&S->logged, m->seq);
}

static pid_t start_consumer(int id, unsigned r)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		maybe_fault(r);
		long last = -1;
		for (;;) {
			S->buf.seq = -1;
			if (B->msgrcv(id, &S->buf, TEXT, 0, 0) < 0)
				t_fail(__FILE__, __LINE__, "msgrcv: %s",
				       strerror(errno));
			log_msg(&S->buf, &last);
		}
	}
	return pid;
}

/*
 * Seqs received at most once rather than exactly once: a sender died in
 * its msgsnd, or a dead receiver's buffer holds the message unlogged
 * (taken in its last instructions, or copied but still queued).
 */
static long doubts[8192];
static int ndoubt;

static void doubt(long seq)
{
	if (ndoubt < (int)(sizeof(doubts) / sizeof(doubts[0])))
		doubts[ndoubt++] = seq;
}

/* After a consumer's death: a message in its buffer, not logged. */
static void salvage(void)
{
	long seq = S->buf.seq;
	if (seq >= 0 && intact(&S->buf) && atomic_load(&S->logged) != seq)
		doubt(seq);
	S->buf.seq = -1;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	S = t_shared_alloc(sizeof(*S));
	atomic_store(&S->doubt, -1);
	atomic_store(&S->logged, -1);
	S->buf.seq = -1;
	int id = T_OK(B->msgget(IPC_PRIVATE, 0600));

	unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
	fprintf(stderr, "seed %u\n", seed);
	srand(seed);
	unsigned r = (unsigned)rand();
	pid_t prod = start_producer(id, r), cons = start_consumer(id, r >> 8);
	struct timespec t0, now;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int kills = 0;
	do {
		usleep((useconds_t)(rand() % 3000));
		/* Either may also have died at its crash point already. */
		bool hit_prod = rand() % 2;
		pid_t victim = hit_prod ? prod : cons;
		kill(victim, SIGKILL);
		T_EQ(t_wait_signal(victim), SIGKILL);
		kills++;
		r = (unsigned)rand();
		if (hit_prod) {
			long d = atomic_load(&S->doubt);
			if (d >= 0) {
				doubt(d);
				/* Sent or not, it is never sent again. */
				atomic_store(&S->next, d + 1);
			}
			atomic_store(&S->doubt, -1);
			prod = start_producer(id, r);
		} else {
			salvage();
			cons = start_consumer(id, r);
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec - t0.tv_sec < 3);
	kill(prod, SIGKILL);
	t_wait_signal(prod);
	kill(cons, SIGKILL);
	t_wait_signal(cons);
	salvage();
	long d = atomic_load(&S->doubt);
	if (d >= 0) {
		doubt(d);
		atomic_store(&S->next, d + 1);
	}

	/* What is still queued, in order, then the ledger. */
	struct msg m;
	long last = -1;
	while (B->msgrcv(id, &m, TEXT, 0, IPC_NOWAIT) >= 0)
		log_msg(&m, &last);
	T_EQ(errno, ENOMSG);
	long next = atomic_load(&S->next);
	fprintf(stderr, "%ld messages, %d kills, %d in doubt\n", next, kills,
		ndoubt);
	T_ASSERT(next > 1000); /* the stream did run */
	for (int i = 0; i < ndoubt; i++)
		T_ASSERT(S->count[doubts[i]] <= 1);
	for (long s = 0; s < next; s++) {
		bool in_doubt = false;
		for (int di = 0; di < ndoubt; di++)
			if (doubts[di] == s)
				in_doubt = true;
		if (!in_doubt && S->count[s] != 1)
			t_fail(__FILE__, __LINE__,
			       "seq %ld received %d times (%d kills)", s,
			       S->count[s], kills);
	}
	for (long s = next; s < MAXSEQ && s < next + 2; s++)
		T_EQ(S->count[s], 0);
	T_OK(B->msgctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
