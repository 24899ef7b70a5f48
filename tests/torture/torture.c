/*
 * torture.c - the kill torture harness (issue 9, part 1).
 *
 * Worker processes run a mixed workload on ipckit while this process, the
 * killer, SIGKILLs random workers at random moments and starts
 * replacements; some replacements also carry an IPCKIT_FAULT crash point,
 * so they die at a chosen instruction inside the library. After each round
 * the workers are stopped and every invariant is checked exactly:
 *
 * - bounds: every call a worker makes has a timeout (msgtimedsnd,
 *   msgtimedrcv, semtimedop) or cannot block; a worker found inside a
 *   call longer than its bound plus --grace-ms is a failure;
 * - messages: each sender incarnation numbers its messages; every message
 *   whose msgsnd returned is received exactly once or still queued, with
 *   the right content; the one loss allowed is a message a receiver had
 *   copied out when it was killed, and then its copy must be found in
 *   that receiver's buffer (see "Messages" below);
 * - semaphores: the SEM_UNDO set comes back to its initial values once
 *   its holders are gone, and equals the initial values minus what the
 *   parked workers hold; the counted set equals its initial values plus
 *   every operation known to have happened, with no uncertainty left
 *   (see "Semaphores" below);
 * - shared memory: shm_nattch equals the parked workers' attaches, and 0
 *   once they are gone; a destroyed segment's file holds no data blocks
 *   after its last detach; attached memory is shared and never mixed up;
 * - after the round's objects are removed and ipckit_gc() ran, the
 *   namespace directory holds nothing but the <kind>.ids files.
 *
 * usage: torture [--seconds S] [--rounds N] [--round-seconds S]
 *                [--workers N] [--seed X] [--kill-ms MS] [--grace-ms MS]
 *                [--no-faults | --fault POINT] [--verbose]
 * With no option: about 40 s in 5 rounds, as `make test` runs it. The seed
 * is printed first; --seed replays the same choices (the timing of a
 * machine never replays exactly, so a failure may need a few tries).
 * --fault gives every crash-point replacement the same point; --verbose
 * counts the deaths at each point. Exit 0 when every check held, else 1.
 * docs/RELIABILITY.md says what the runs found.
 *
 * Messages. A receiver does not receive into private memory but into its
 * slot of the shared ledger, and announces first which log entry the
 * message will be recorded in (rstate, ridx). After it is killed, the
 * killer looks at the slot: an announced receive whose log entry is empty
 * but whose buffer holds a complete, well-formed message was copied out
 * and never recorded. That message is then either still queued (killed
 * before the unlink: it is drained later, found once) or gone (killed
 * after it: the allowed loss, counted and reported, and only accepted for
 * the very message found in the buffer). A sender announces the sequence
 * number it is sending before the call and records it as acknowledged
 * after; a sender killed in between leaves one message that may or may
 * not exist. Nothing else is allowed: not one acknowledged message lost
 * without its copy in a dead receiver's buffer, not one duplicate, not one
 * message that was never sent.
 *
 * Semaphores. A process killed after semop returned but before it wrote
 * down that it did leaves an operation of unknown outcome; counting those
 * windows would leave the check a +-1 per kill. Instead each operation on
 * the counted set also flips a witness semaphore that only its worker
 * slot touches (+1 on odd, -1 on even operations, in the same semop, so
 * atomically with it): after a death, the witness's value says whether
 * the last announced operation happened, and the killer completes the
 * ledger before starting the replacement. The check is then equality. A
 * witness moves between 2 and 3, never 0: an operation wrongly given back
 * after the next one would otherwise be clamped at 0 and go unseen.
 */
#include "helpers.h"

#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "layout.h"

#define MAX_WORKERS 64
#define NQUEUES	    2
#define NTYPES	    4	 /* message types 1..NTYPES */
#define QBYTES	    8192 /* msg_qbytes: small, so senders block */
#define MSG_MAX	    2048 /* largest mtext sent */
#define NSEMA	    4	 /* the SEM_UNDO set */
#define INIT_A	    2
#define NSEMB	    4 /* counted semaphores; witnesses follow */
#define INIT_B	    50
#define WITNESS_0   2	       /* a witness is WITNESS_0 or WITNESS_0 + 1 */
#define NSEGS	    4	       /* the segment table */
#define MAX_ATT	    4	       /* attaches one worker holds at most */
#define MAX_INC	    65536      /* worker incarnations per round */
#define LOG_CAP	    (1u << 22) /* received messages per round */
#define MAX_FDS	    400	       /* segment files watched per round */
#define OP_MAX_MS   20	       /* longest timeout a worker asks for */
#define CHURN_KEY   0x5a000000

/* A message's text begins with this; the rest is derived from it. */
struct tmsg_hdr {
	uint32_t round;
	uint32_t inc;	/* sender incarnation */
	uint32_t seq;	/* 1, 2, ... per incarnation */
	uint32_t queue; /* index of the queue it was sent to */
	uint32_t len;	/* mtext bytes in all */
	uint32_t pad;
	int64_t mtype;
	uint64_t sum; /* hash of the fields above */
};

struct tmsg {
	long mtype;
	unsigned char mtext[MSG_MAX];
};

/* One sender incarnation: what it announced and what was acknowledged. */
struct inc_rec {
	_Atomic uint32_t sending;
	_Atomic uint32_t acked;
};

/* Operations, for the report of a worker stuck in one. */
enum {
	OP_NONE,
	OP_SEND,
	OP_RECV,
	OP_COPY,
	OP_SEMA,
	OP_SEMB,
	OP_SHMAT,
	OP_SHMDT,
	OP_ROTATE,
	OP_CHURN,
	OP_STAT,
};
static const char *const op_names[] = {
    "none",
    "msgsnd",
    "msgrcv",
    "msgrcv(MSG_COPY)",
    "semop(undo set)",
    "semop(counted set)",
    "shmat",
    "shmdt",
    "rotate segment",
    "create/remove",
    "ctl",
};

/* What a parked worker does when released. */
enum { FATE_KILL, FATE_EXIT, FATE__EXIT, FATE_CLEAN, NFATES };

/* The ledger of one worker slot, in memory shared with the killer. */
struct wslot {
	_Atomic int pid;
	uint32_t inc;
	int fault; /* index in fault_points, or -1 */
	_Atomic uint32_t parked;
	uint32_t fate;
	_Atomic int64_t deadline; /* ns, CLOCK_MONOTONIC; 0: not in a call */
	_Atomic uint32_t op;
	char fail[256];

	/* Receiving (see "Messages" above). */
	_Atomic uint32_t rstate; /* 1: a receive into rbuf is announced */
	uint32_t rqueue;
	uint64_t ridx;

	/* The SEM_UNDO set: decrements held. Exact while parked. */
	uint32_t held[NSEMA];

	/*
	 * The counted set, kept across the slot's incarnations: m operations
	 * happened, adding totals[]. bstate 1: operation bn (deltas bdelta
	 * on bsem, with totals bbase before it) is in flight; 2: it returned
	 * and is being written down.
	 */
	uint64_t m;
	int64_t totals[NSEMB];
	_Atomic uint32_t bstate;
	uint64_t bn;
	uint32_t bcount;
	uint32_t bsem[2];
	int32_t bdelta[2];
	int64_t bbase[2];

	/* Attaches held. Exact while parked. */
	uint32_t natt;
	int32_t att_id[MAX_ATT];

	/* Counts for the report, per incarnation. */
	uint64_t nsend, nrecv, nsemop, nattach, nrotate, nchurn, nlate;
	uint64_t nover;

	struct tmsg rbuf;
};

struct shared {
	uint32_t round;
	int qid[NQUEUES];
	int sema, semb;
	_Atomic uint32_t stop;
	_Atomic uint32_t full;	     /* the log or the incarnations ran out */
	_Atomic uint64_t seg[NSEGS]; /* gen << 32 | id */
	_Atomic uint64_t log_n;
	struct wslot w[MAX_WORKERS];
	struct inc_rec inc[MAX_INC];
};

static struct shared *S;
/* Received messages: 1 << 63 | queue << 56 | inc << 32 | seq, 0 unused. */
static _Atomic uint64_t *LOG;

/*
 * The library's crash points (grep ipckit__fault and SMA_FAULT in src/)
 * that this workload passes. shm-fork-* are left out: workers never fork.
 */
static const char *const fault_points[] = {
    "msgsnd-filled",	      "msgrcv-copied",	       "msgrcv-unlinked",
    "msgrcv-handed-copied",   "msg-handoff-claimed",   "msg-reap-moved",
    "create-built",	      "create-keyed",	       "create-slotted",
    "remove-marked",	      "shm-rec-add",	       "shm-destroy-punched",
    "shm-sync-counted",	      "shm-reap-dropped",      "shm-attach-counted",
    "shm-attach-mapped",      "shm-detach-unmapped",   "shm-rmid-dest",
    "sem-semop-filled",	      "sem-semop-committed",   "sem-semop-applying",
    "sem-semop-applied",      "sem-undo-filled",       "sem-undo-committed",
    "sem-undo-applying",      "sem-undo-applied",      "sem-rollback-filled",
    "sem-rollback-committed", "sem-rollback-applying", "sem-rollback-applied",
    "sem-handoff-filled",     "sem-handoff-committed", "sem-handoff-applying",
    "sem-handoff-applied",    "sem-waiter-filled",     "sem-undo-taken",
};
#define NFAULTS (int)(sizeof(fault_points) / sizeof(fault_points[0]))

/* ---- options ------------------------------------------------------------- */

static struct {
	double seconds;
	double round_seconds;
	unsigned rounds;
	unsigned workers;
	uint64_t seed;
	unsigned kill_ms;
	unsigned grace_ms;
	bool faults;
	int fault; /* --fault: the only crash point used, or -1 */
	bool verbose;
} opt = {0, 8.0, 0, 8, 0, 10, 3000, true, -1, false};

/* ---- small things -------------------------------------------------------- */

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	r->s = mix64(r->s);
	return r->s;
}

/* Uniform in [0, n). */
static uint32_t rnd_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(rnd(r) % n);
}

static struct timespec ts_ms(uint32_t ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
	return ts;
}

/* ---- messages ------------------------------------------------------------ */

static uint64_t hdr_sum(const struct tmsg_hdr *h)
{
	uint64_t x = mix64(((uint64_t)h->round << 32) | h->inc);
	x = mix64(x ^ (((uint64_t)h->seq << 32) | h->queue));
	x = mix64(x ^ (((uint64_t)h->len << 32) | h->pad));
	return mix64(x ^ (uint64_t)h->mtype);
}

/* The byte at `i` of the text of message (inc, seq). */
static uint8_t body_byte(uint64_t base, uint32_t i)
{
	return (uint8_t)(mix64(base + i / 8) >> (8 * (i % 8)));
}

static uint64_t body_base(uint32_t round, uint32_t inc, uint32_t seq)
{
	return mix64(((uint64_t)round << 48) ^ ((uint64_t)inc << 24) ^ seq);
}

static size_t msg_build(struct tmsg *m, uint32_t inc, uint32_t seq,
			uint32_t queue, long mtype, struct rng *r)
{
	uint32_t len = sizeof(struct tmsg_hdr);
	/* Mostly small, sometimes large enough to fill a queue quickly. */
	len += rnd_below(r, 8) ? rnd_below(r, 200)
			       : rnd_below(r, MSG_MAX - len + 1);
	struct tmsg_hdr h = {S->round, inc, seq, queue, len, 0, mtype, 0};
	h.sum = hdr_sum(&h);
	m->mtype = mtype;
	memcpy(m->mtext, &h, sizeof(h));
	uint64_t base = body_base(S->round, inc, seq);
	for (uint32_t i = sizeof(h); i < len; i++)
		m->mtext[i] = body_byte(base, i);
	return len;
}

/*
 * Checks a received message: NULL if it is whole and well-formed, else
 * what is wrong with it.
 */
static const char *msg_check(const struct tmsg *m, ssize_t n,
			     struct tmsg_hdr *out)
{
	struct tmsg_hdr h;
	if (n < (ssize_t)sizeof(h))
		return "shorter than its header";
	memcpy(&h, m->mtext, sizeof(h));
	if (h.sum != hdr_sum(&h))
		return "header checksum";
	if (h.len != (uint32_t)n)
		return "length differs from the header's";
	if (h.mtype != m->mtype)
		return "mtype differs from the header's";
	if (h.round != S->round)
		return "from another round";
	if (h.queue >= NQUEUES || h.inc >= MAX_INC || h.seq == 0)
		return "impossible header";
	uint64_t base = body_base(h.round, h.inc, h.seq);
	for (uint32_t i = sizeof(h); i < h.len; i++)
		if (m->mtext[i] != body_byte(base, i))
			return "body corrupted";
	if (out)
		*out = h;
	return NULL;
}

static uint64_t log_entry(const struct tmsg_hdr *h)
{
	return 1ull << 63 | (uint64_t)h->queue << 56 | (uint64_t)h->inc << 32 |
	       h->seq;
}

/* ---- the worker ---------------------------------------------------------- */

static struct wslot *W;
static unsigned wk; /* this worker's slot */
static struct rng wr;
static void *att_addr[MAX_ATT]; /* this process's attaches, as in W->att_id */
static bool att_rdonly[MAX_ATT];
static uint32_t seg_word; /* this incarnation's writes to segments */
static uint64_t rsv_idx = UINT64_MAX; /* reserved log entry, unused yet */

__attribute__((noreturn, format(printf, 1, 2))) static void
wfail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(W->fail, sizeof(W->fail), fmt, ap);
	va_end(ap);
	fprintf(stderr, "torture: worker %u (pid %d, incarnation %u): %s\n", wk,
		(int)getpid(), W->inc, W->fail);
	_exit(3);
}

/* Announces a call that must be over within `ms` milliseconds. */
static void call_begin(uint32_t op, uint32_t ms)
{
	atomic_store(&W->op, op);
	atomic_store(&W->deadline, now_ns() + (int64_t)ms * 1000000);
}

static void call_end(void)
{
	int64_t late = now_ns() - atomic_load(&W->deadline);
	/* A timeout may end a little after its deadline; note who is late. */
	if (late > 10000000)
		W->nlate++;
	atomic_store(&W->deadline, 0);
	atomic_store(&W->op, OP_NONE);
}

/* A timeout of 0..OP_MAX_MS ms, or IPC_NOWAIT one time in eight. */
static uint32_t pick_timeout(int *flg)
{
	if (!rnd_below(&wr, 8)) {
		*flg |= IPC_NOWAIT;
		return 0;
	}
	return rnd_below(&wr, OP_MAX_MS + 1);
}

static void do_send(void)
{
	struct inc_rec *I = &S->inc[W->inc];
	uint32_t seq = atomic_load(&I->acked) + 1;
	uint32_t q = rnd_below(&wr, NQUEUES);
	long mtype = 1 + (long)rnd_below(&wr, NTYPES);
	struct tmsg m;
	size_t len = msg_build(&m, W->inc, seq, q, mtype, &wr);
	int flg = 0;
	uint32_t ms = pick_timeout(&flg);
	struct timespec ts = ts_ms(ms);

	atomic_store(&I->sending, seq);
	call_begin(OP_SEND, ms);
	int rc = ipckit_msgtimedsnd(S->qid[q], &m, len, flg, &ts);
	int e = errno;
	call_end();
	if (rc == 0) {
		atomic_store(&I->acked, seq);
		W->nsend++;
	} else if (e == EAGAIN) {
		/* Definitely not queued: the number is free again. */
		atomic_store(&I->sending, seq - 1);
	} else {
		wfail("msgtimedsnd: %s", strerror(e));
	}
}

/* msgtyp and flags of a receive: each selector msgrcv has. */
static long pick_selector(int *flg)
{
	long t = 1 + (long)rnd_below(&wr, NTYPES);
	switch (rnd_below(&wr, 4)) {
	case 0:
		return 0;
	case 1:
		return t;
	case 2:
		return -t;
	default:
		*flg |= MSG_EXCEPT;
		return t;
	}
}

static bool selector_matches(long msgtyp, int flg, long mtype)
{
	if (msgtyp == 0)
		return true;
	if (msgtyp < 0)
		return mtype <= -msgtyp;
	return (flg & MSG_EXCEPT) ? mtype != msgtyp : mtype == msgtyp;
}

static void do_recv(void)
{
	uint32_t q = rnd_below(&wr, NQUEUES);
	int flg = 0;
	long msgtyp = pick_selector(&flg);
	uint32_t ms = pick_timeout(&flg);
	struct timespec ts = ts_ms(ms);

	/* An entry of the log, kept for the next receive if this one fails. */
	if (rsv_idx == UINT64_MAX) {
		rsv_idx = atomic_fetch_add(&S->log_n, 1);
		if (rsv_idx >= LOG_CAP) {
			atomic_store(&S->full, 1);
			rsv_idx = UINT64_MAX;
			return;
		}
	}
	memset(&W->rbuf, 0, sizeof(long) + sizeof(struct tmsg_hdr));
	W->ridx = rsv_idx;
	W->rqueue = q;
	atomic_store(&W->rstate, 1);
	call_begin(OP_RECV, ms);
	ssize_t n =
	    ipckit_msgtimedrcv(S->qid[q], &W->rbuf, MSG_MAX, msgtyp, flg, &ts);
	int e = errno;
	call_end();
	if (n < 0) {
		atomic_store(&W->rstate, 0);
		if (e != ENOMSG)
			wfail("msgtimedrcv: %s", strerror(e));
		return;
	}
	struct tmsg_hdr h;
	const char *bad = msg_check(&W->rbuf, n, &h);
	if (bad)
		wfail("received a bad message from queue %u: %s", q, bad);
	if (h.queue != q)
		wfail("message for queue %u received from queue %u", h.queue,
		      q);
	if (!selector_matches(msgtyp, flg, W->rbuf.mtype))
		wfail("msgtyp %ld%s received type %ld", msgtyp,
		      (flg & MSG_EXCEPT) ? " with MSG_EXCEPT" : "",
		      W->rbuf.mtype);
	atomic_store(&LOG[rsv_idx], log_entry(&h));
	atomic_store(&W->rstate, 0);
	rsv_idx = UINT64_MAX;
	W->nrecv++;
}

/* MSG_COPY: a message is read and stays queued. */
static void do_copy(void)
{
	uint32_t q = rnd_below(&wr, NQUEUES);
	struct tmsg m;
	call_begin(OP_COPY, 0);
	ssize_t n =
	    ipckit_msgrcv(S->qid[q], &m, MSG_MAX, (long)rnd_below(&wr, 4),
			  MSG_COPY | IPC_NOWAIT);
	int e = errno;
	call_end();
	if (n < 0) {
		if (e != ENOMSG)
			wfail("msgrcv(MSG_COPY): %s", strerror(e));
		return;
	}
	const char *bad = msg_check(&m, n, NULL);
	if (bad)
		wfail("MSG_COPY of a bad message: %s", bad);
}

static int semtimed(int id, struct sembuf *ops, size_t n, uint32_t op,
		    uint32_t ms)
{
	struct timespec ts = ts_ms(ms);
	call_begin(op, ms);
	int rc = ipckit_semtimedop(id, ops, n, &ts);
	int e = errno;
	call_end();
	errno = e;
	return rc;
}

/* The SEM_UNDO set: P and V pairs, one or two semaphores at a time. */
static void do_sema(void)
{
	uint32_t holding = 0;
	for (int i = 0; i < NSEMA; i++)
		holding += W->held[i];
	struct sembuf ops[2];
	int flg = SEM_UNDO;
	if (holding && (holding >= 2 || rnd_below(&wr, 2))) {
		uint32_t s = rnd_below(&wr, NSEMA);
		while (!W->held[s])
			s = (s + 1) % NSEMA;
		ops[0] = (struct sembuf){(unsigned short)s, 1, SEM_UNDO};
		if (semtimed(S->sema, ops, 1, OP_SEMA, 0) < 0)
			wfail("V with SEM_UNDO: %s", strerror(errno));
		W->held[s]--;
		W->nsemop++;
		return;
	}
	uint32_t ms = pick_timeout(&flg);
	uint32_t a = rnd_below(&wr, NSEMA), b = (a + 1) % NSEMA;
	size_t n = holding == 0 && rnd_below(&wr, 3) == 0 ? 2 : 1;
	ops[0] = (struct sembuf){(unsigned short)a, -1, (short)flg};
	ops[1] = (struct sembuf){(unsigned short)b, -1, (short)flg};
	if (semtimed(S->sema, ops, n, OP_SEMA, ms) < 0) {
		if (errno != EAGAIN)
			wfail("P with SEM_UNDO: %s", strerror(errno));
		return;
	}
	W->held[a]++;
	if (n == 2)
		W->held[b]++;
	W->nsemop++;
}

/*
 * The counted set: increments and decrements without SEM_UNDO, each with
 * this slot's witness flip in the same call (see "Semaphores" above).
 */
static void do_semb(void)
{
	struct sembuf ops[3];
	uint64_t n = W->m + 1;
	uint32_t cnt = rnd_below(&wr, 4) ? 1 : 2;
	uint32_t s0 = rnd_below(&wr, NSEMB);
	int flg = 0;
	uint32_t ms = pick_timeout(&flg);
	for (uint32_t i = 0; i < cnt; i++) {
		int32_t d = 1 + (int32_t)rnd_below(&wr, 3);
		if (rnd_below(&wr, 2))
			d = -d;
		W->bsem[i] = (s0 + i) % NSEMB;
		W->bdelta[i] = d;
		W->bbase[i] = W->totals[W->bsem[i]];
		ops[i] = (struct sembuf){(unsigned short)W->bsem[i], (short)d,
					 (short)flg};
	}
	ops[cnt] = (struct sembuf){(unsigned short)(NSEMB + wk),
				   (short)(n & 1 ? 1 : -1), (short)flg};
	W->bcount = cnt;
	W->bn = n;
	atomic_store(&W->bstate, 1);
	if (semtimed(S->semb, ops, cnt + 1, OP_SEMB, ms) < 0) {
		if (errno != EAGAIN && errno != ERANGE)
			wfail("semop on the counted set: %s", strerror(errno));
		atomic_store(&W->bstate, 0);
		return;
	}
	atomic_store(&W->bstate, 2);
	for (uint32_t i = 0; i < cnt; i++)
		W->totals[W->bsem[i]] = W->bbase[i] + W->bdelta[i];
	W->m = n;
	atomic_store(&W->bstate, 0);
	W->nsemop++;
}

static size_t seg_size(uint32_t j)
{
	return (j + 1) * 6000;
}

static key_t seg_key(uint32_t j, uint32_t gen)
{
	return (key_t)(0x40000000 | (S->round & 0xff) << 22 | j << 18 |
		       (gen & 0x3ffff));
}

/* Word 0 of a segment: which table entry it was made for. */
static uint64_t seg_marker(uint32_t j, uint32_t gen)
{
	return 1ull << 63 | (uint64_t)S->round << 40 | (uint64_t)j << 32 | gen;
}

/* Word 1 + k: slot k's last write, a value and its own hash. */
static uint64_t seg_value(uint32_t x)
{
	return (uint64_t)x << 32 | (uint32_t)mix64(x);
}

static void seg_verify(const _Atomic uint64_t *p, int i)
{
	for (unsigned k = 0; k < MAX_WORKERS; k++) {
		uint64_t v = atomic_load(&p[1 + k]);
		if (v && v != seg_value((uint32_t)(v >> 32)))
			wfail("segment %d: slot %u's word reads %#" PRIx64,
			      W->att_id[i], k, v);
	}
}

static void do_shmat(void)
{
	uint32_t j = rnd_below(&wr, NSEGS);
	uint64_t e = atomic_load(&S->seg[j]);
	int id = (int)(uint32_t)e;
	uint32_t gen = (uint32_t)(e >> 32);
	bool rdonly = rnd_below(&wr, 4) == 0;
	call_begin(OP_SHMAT, 0);
	void *p = ipckit_shmat(id, NULL, rdonly ? SHM_RDONLY : 0);
	int err = errno;
	call_end();
	if (p == (void *)-1) {
		/* The table moved on: the segment was removed. */
		if (err == EINVAL || err == EIDRM)
			return;
		wfail("shmat %d: %s", id, strerror(err));
	}
	uint32_t i = W->natt;
	att_addr[i] = p;
	att_rdonly[i] = rdonly;
	W->att_id[i] = id;
	W->natt = i + 1;
	W->nattach++;
	_Atomic uint64_t *w = p;
	uint64_t want = seg_marker(j, gen), zero = 0;
	if (!rdonly)
		atomic_compare_exchange_strong(&w[0], &zero, want);
	uint64_t got = atomic_load(&w[0]);
	if (got && got != want)
		wfail("segment %d made for %#" PRIx64 " reads %#" PRIx64, id,
		      want, got);
	seg_verify(w, (int)i);
}

static void do_shmdt(void)
{
	uint32_t i = rnd_below(&wr, W->natt);
	seg_verify(att_addr[i], (int)i);
	call_begin(OP_SHMDT, 0);
	int rc = ipckit_shmdt(att_addr[i]);
	int e = errno;
	call_end();
	if (rc < 0)
		wfail("shmdt: %s", strerror(e));
	uint32_t last = W->natt - 1;
	W->natt = last;
	att_addr[i] = att_addr[last];
	att_rdonly[i] = att_rdonly[last];
	W->att_id[i] = W->att_id[last];
}

/*
 * Writes this slot's word through one attach and reads it back through
 * every attach of the same segment: the memory is one.
 */
static void do_shm_write(void)
{
	uint32_t i = rnd_below(&wr, W->natt);
	if (att_rdonly[i])
		return;
	uint64_t v = seg_value(++seg_word);
	atomic_store(&((_Atomic uint64_t *)att_addr[i])[1 + wk], v);
	for (uint32_t k = 0; k < W->natt; k++) {
		if (W->att_id[k] != W->att_id[i])
			continue;
		uint64_t got =
		    atomic_load(&((_Atomic uint64_t *)att_addr[k])[1 + wk]);
		if (got != v)
			wfail("segment %d: wrote %#" PRIx64 ", another attach "
			      "reads %#" PRIx64,
			      W->att_id[i], v, got);
	}
	seg_verify(att_addr[i], (int)i);
}

/*
 * Replaces a table entry by a new segment: removes the old one (attached
 * elsewhere, it lives on as SHM_DEST), makes the next generation's key,
 * and installs it unless another rotator got there first.
 */
static void do_rotate(void)
{
	uint32_t j = rnd_below(&wr, NSEGS);
	uint64_t e = atomic_load(&S->seg[j]);
	uint32_t gen = (uint32_t)(e >> 32) + 1;
	int old = (int)(uint32_t)e;
	call_begin(OP_ROTATE, 0);
	if (ipckit_shmctl(old, IPC_RMID, NULL) < 0 && errno != EINVAL &&
	    errno != EIDRM)
		wfail("IPC_RMID of segment %d: %s", old, strerror(errno));
	int id = ipckit_shmget(seg_key(j, gen), seg_size(j), IPC_CREAT | 0600);
	if (id < 0)
		wfail("shmget: %s", strerror(errno));
	uint64_t next = (uint64_t)gen << 32 | (uint32_t)id;
	if (!atomic_compare_exchange_strong(&S->seg[j], &e, next) &&
	    (int)(uint32_t)e != id && ipckit_shmctl(id, IPC_RMID, NULL) < 0 &&
	    errno != EINVAL && errno != EIDRM)
		wfail("IPC_RMID of segment %d: %s", id, strerror(errno));
	call_end();
	W->nrotate++;
}

/* An object of each kind made, used once and removed, under kill. */
static void do_churn(void)
{
	key_t key = (key_t)(CHURN_KEY | (S->round & 0xff) << 12 | wk << 2);
	struct tmsg m = {1, "x"};
	call_begin(OP_CHURN, 0);
	switch (rnd_below(&wr, 3)) {
	case 0: {
		int id = ipckit_msgget(key, IPC_CREAT | 0600);
		if (id < 0 || ipckit_msgsnd(id, &m, 1, IPC_NOWAIT) < 0 ||
		    ipckit_msgrcv(id, &m, MSG_MAX, 0, IPC_NOWAIT) < 0 ||
		    ipckit_msgctl(id, IPC_RMID, NULL) < 0)
			wfail("queue create/remove: %s", strerror(errno));
		break;
	}
	case 1: {
		int id = ipckit_semget(key + 1, 2, IPC_CREAT | 0600);
		struct sembuf op = {0, 1, SEM_UNDO};
		if (id < 0 || ipckit_semop(id, &op, 1) < 0 ||
		    ipckit_semctl(id, 0, IPC_RMID) < 0)
			wfail("set create/remove: %s", strerror(errno));
		break;
	}
	default: {
		int id = ipckit_shmget(key + 2, 4096, IPC_CREAT | 0600);
		if (id < 0)
			wfail("segment create: %s", strerror(errno));
		char *p = ipckit_shmat(id, NULL, 0);
		if (p == (void *)-1)
			wfail("segment attach: %s", strerror(errno));
		p[0] = 1;
		if (ipckit_shmctl(id, IPC_RMID, NULL) < 0 ||
		    ipckit_shmdt(p) < 0)
			wfail("segment remove/detach: %s", strerror(errno));
		break;
	}
	}
	call_end();
	W->nchurn++;
}

/* The ctl calls, which reap the dead, and what holds at any moment. */
static void do_stat(void)
{
	call_begin(OP_STAT, 0);
	struct msqid_ds mds;
	uint32_t q = rnd_below(&wr, NQUEUES);
	if (ipckit_msgctl(S->qid[q], IPC_STAT, &mds) < 0)
		wfail("IPC_STAT of queue: %s", strerror(errno));
	/*
	 * A message handed to a receiver that died before taking it goes
	 * back on the queue even if the queue is full (it must not be lost),
	 * so msg_cbytes may exceed msg_qbytes by one message per receiver;
	 * the kernel loses such a message instead. Counted for the report.
	 */
	if (mds.msg_cbytes > mds.msg_qbytes)
		W->nover++;
	if (mds.msg_cbytes > mds.msg_qbytes + MAX_WORKERS * MSG_MAX ||
	    mds.msg_qbytes != QBYTES)
		wfail("queue: msg_cbytes %lu, msg_qbytes %lu",
		      (unsigned long)mds.msg_cbytes,
		      (unsigned long)mds.msg_qbytes);
	unsigned short vals[NSEMA];
	union semun arg = {.array = vals};
	if (ipckit_semctl(S->sema, 0, GETALL, arg) < 0)
		wfail("GETALL: %s", strerror(errno));
	for (int i = 0; i < NSEMA; i++)
		if (vals[i] > INIT_A)
			wfail("undo set: semaphore %d is %u, above %d", i,
			      vals[i], INIT_A);
	struct shmid_ds sds;
	uint64_t e = atomic_load(&S->seg[rnd_below(&wr, NSEGS)]);
	if (ipckit_shmctl((int)(uint32_t)e, IPC_STAT, &sds) == 0 &&
	    sds.shm_nattch > (shmatt_t)(MAX_WORKERS * MAX_ATT))
		wfail("shm_nattch %lu", (unsigned long)sds.shm_nattch);
	call_end();
}

/* Gives back everything held, for a worker told to end cleanly. */
static void worker_release(void)
{
	for (int s = 0; s < NSEMA; s++) {
		while (W->held[s]) {
			struct sembuf op = {(unsigned short)s, 1, SEM_UNDO};
			if (ipckit_semop(S->sema, &op, 1) < 0)
				wfail("V with SEM_UNDO: %s", strerror(errno));
			W->held[s]--;
		}
	}
	while (W->natt)
		do_shmdt();
}

static void worker_park(int fd)
{
	char c;
	atomic_store(&W->parked, 1);
	/* EOF when the killer closes its end: the release. */
	while (read(fd, &c, 1) < 0 && errno == EINTR)
		;
	switch (W->fate) {
	case FATE__EXIT:
		_exit(0);
	case FATE_CLEAN:
		worker_release();
		exit(0);
	default:
		/* exit() runs ipckit's SEM_UNDO at exit. */
		exit(0);
	}
}

__attribute__((noreturn)) static void worker_main(unsigned k, int park_fd)
{
	wk = k;
	W = &S->w[k];
	wr.s = mix64(opt.seed ^ ((uint64_t)S->round << 40) ^
		     ((uint64_t)W->inc << 8) ^ k);
	if (W->fault >= 0)
		setenv("IPCKIT_FAULT", fault_points[W->fault], 1);
	for (;;) {
		if (atomic_load(&S->stop))
			worker_park(park_fd);
		uint32_t x = rnd_below(&wr, 100);
		if (x < 24)
			do_send();
		else if (x < 48)
			do_recv();
		else if (x < 50)
			do_copy();
		else if (x < 64)
			do_sema();
		else if (x < 78)
			do_semb();
		else if (x < 84 && W->natt < MAX_ATT)
			do_shmat();
		else if (x < 89 && W->natt)
			do_shmdt();
		else if (x < 95 && W->natt)
			do_shm_write();
		else if (x < 96)
			do_rotate();
		else if (x < 97)
			do_churn();
		else if (x < 98)
			do_stat();
	}
}

/* ---- the killer ---------------------------------------------------------- */

static struct {
	uint64_t kills, fault_deaths, incarnations, rounds, failures;
	uint64_t sent, received, lost_to_dead, salvaged_queued, in_doubt;
	uint64_t semops, attaches, rotations, churns, late, swept[4];
	uint64_t over_qbytes;
	uint64_t resolved_applied, resolved_not;
	uint64_t fault_hits[NFAULTS];
	int64_t worst_overrun_ns;
} tot;

static uint32_t ninc; /* incarnations this round */
static bool killed_by_us[MAX_WORKERS];
static int park_pipe[2];
static struct rng kr;
static unsigned nfails_round;

/* Messages found in dead receivers' buffers: (inc << 32 | seq). */
static uint64_t *salvage;
static uint32_t nsalvage;

/* Segment files watched until the end of the round. */
static struct {
	int fd;
	int id;
} watch[MAX_FDS];
static unsigned nwatch;

__attribute__((format(printf, 1, 2))) static void pfail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr,
		"torture: FAIL (seed %#" PRIx64 ", round %u): ", opt.seed,
		S->round);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	tot.failures++;
	nfails_round++;
}

static unsigned live_workers(void)
{
	unsigned n = 0;
	for (unsigned k = 0; k < opt.workers; k++)
		n += atomic_load(&S->w[k].pid) > 0;
	return n;
}

static void spawn(unsigned k, bool faults)
{
	struct wslot *w = &S->w[k];
	w->inc = ninc++;
	w->fault = -1;
	if (faults && rnd_below(&kr, 4) == 0)
		w->fault =
		    opt.fault >= 0 ? opt.fault : (int)rnd_below(&kr, NFAULTS);
	atomic_store(&w->parked, 0);
	atomic_store(&w->deadline, 0);
	atomic_store(&w->rstate, 0);
	memset(w->held, 0, sizeof(w->held));
	w->natt = 0;
	w->fail[0] = 0;
	w->nsend = w->nrecv = w->nsemop = w->nattach = 0;
	w->nrotate = w->nchurn = w->nlate = w->nover = 0;
	atomic_store(&S->inc[w->inc].sending, 0);
	atomic_store(&S->inc[w->inc].acked, 0);
	killed_by_us[k] = false;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		pfail("fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		/* Workers must not outlive a harness that died. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			_exit(3);
		/* The killer must keep its pace on a machine they saturate. */
		if (nice(5) < 0)
			_exit(3);
		close(park_pipe[1]);
		worker_main(k, park_pipe[0]);
	}
	atomic_store(&w->pid, pid);
	tot.incarnations++;
}

/* The value of semaphore `num` of `id`; GETVAL reaps the dead first. */
static int semval(int id, int num)
{
	int v = ipckit_semctl(id, num, GETVAL);
	if (v < 0)
		pfail("GETVAL %d/%d: %s", id, num, strerror(errno));
	return v;
}

/*
 * Completes slot k's counted-set ledger after its worker died: an
 * operation in flight happened exactly when the witness says so.
 */
static void resolve_semb(unsigned k)
{
	struct wslot *w = &S->w[k];
	uint32_t st = atomic_load(&w->bstate);
	int v = semval(S->semb, NSEMB + (int)k);
	if (v < 0)
		return;
	bool applied = st == 2;
	if (st == 1) {
		if (v != WITNESS_0 && v != WITNESS_0 + 1)
			pfail("witness %u is %d", k, v);
		applied = (uint64_t)(v - WITNESS_0) == (w->bn & 1);
		if (applied)
			tot.resolved_applied++;
		else
			tot.resolved_not++;
	}
	if (applied) {
		for (uint32_t i = 0; i < w->bcount; i++)
			w->totals[w->bsem[i]] = w->bbase[i] + w->bdelta[i];
		w->m = w->bn;
	}
	atomic_store(&w->bstate, 0);
	if ((uint64_t)v != WITNESS_0 + (w->m & 1))
		pfail("slot %u: witness %d after %" PRIu64 " operations "
		      "(incarnation %u, %s, operation %" PRIu64 " %s)",
		      k, v, w->m, w->inc,
		      w->fault >= 0 ? fault_points[w->fault] : "no crash point",
		      w->bn,
		      st == 0	? "finished"
		      : st == 1 ? "in flight"
				: "returned");
}

/* Looks at a dead receiver's buffer (see "Messages" at the top). */
static void salvage_recv(unsigned k)
{
	struct wslot *w = &S->w[k];
	if (!atomic_load(&w->rstate))
		return;
	atomic_store(&w->rstate, 0);
	if (w->ridx >= LOG_CAP || atomic_load(&LOG[w->ridx]))
		return;
	struct tmsg_hdr h;
	memcpy(&h, w->rbuf.mtext, sizeof(h));
	/* A copy cut short by the kill fails the check: not taken yet. */
	if (h.len > MSG_MAX || msg_check(&w->rbuf, h.len, &h))
		return;
	if (h.queue != w->rqueue) {
		pfail("dead receiver %u holds a message of queue %u, "
		      "received from queue %u",
		      k, h.queue, w->rqueue);
		return;
	}
	salvage[nsalvage++] = (uint64_t)h.inc << 32 | h.seq;
}

/* A worker is gone: account for it, and replace it if asked to. */
static void reaped(unsigned k, int status, bool replace)
{
	struct wslot *w = &S->w[k];
	atomic_store(&w->pid, 0);
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
		if (killed_by_us[k]) {
			tot.kills++;
		} else if (w->fault >= 0) {
			tot.fault_deaths++;
			tot.fault_hits[w->fault]++;
		} else {
			pfail("worker %u died of SIGKILL nobody sent", k);
		}
	} else if (WIFSIGNALED(status)) {
		pfail("worker %u (incarnation %u) died of signal %d (%s)", k,
		      w->inc, WTERMSIG(status), strsignal(WTERMSIG(status)));
	} else if (WEXITSTATUS(status) != 0) {
		pfail("worker %u (incarnation %u) failed: %s", k, w->inc,
		      w->fail[0] ? w->fail : "(no message)");
	}
	tot.sent += w->nsend;
	tot.received += w->nrecv;
	tot.semops += w->nsemop;
	tot.attaches += w->nattach;
	tot.rotations += w->nrotate;
	tot.churns += w->nchurn;
	tot.late += w->nlate;
	tot.over_qbytes += w->nover;
	w->nsend = w->nrecv = w->nsemop = w->nattach = 0;
	w->nrotate = w->nchurn = w->nlate = w->nover = 0;
	salvage_recv(k);
	resolve_semb(k);
	memset(w->held, 0, sizeof(w->held));
	w->natt = 0;
	if (replace && ninc < MAX_INC)
		spawn(k, opt.faults);
}

static int slot_of(pid_t pid)
{
	for (unsigned k = 0; k < opt.workers; k++)
		if (atomic_load(&S->w[k].pid) == pid)
			return (int)k;
	return -1;
}

/* Reaps every worker that ended; with `block`, waits for one first. */
static void reap_all(bool replace, bool block)
{
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, block ? 0 : WNOHANG)) > 0) {
		block = false;
		int k = slot_of(pid);
		if (k < 0)
			pfail("waitpid gave unknown pid %d", (int)pid);
		else
			reaped((unsigned)k, status, replace);
	}
}

static void kill_worker(unsigned k, bool replace)
{
	pid_t pid = atomic_load(&S->w[k].pid);
	if (pid <= 0)
		return;
	killed_by_us[k] = true;
	kill(pid, SIGKILL);
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			pfail("waitpid %d: %s", (int)pid, strerror(errno));
			return;
		}
	reaped(k, status, replace);
}

/* Prints what a stuck process is doing, for the failure report. */
static void dump_proc(pid_t pid)
{
	static const char *const files[] = {"syscall", "wchan", "stack"};
	for (size_t i = 0; i < 3; i++) {
		char path[64], buf[1024];
		snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, files[i]);
		int fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		ssize_t n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0) {
			buf[n] = 0;
			fprintf(stderr, "    %s: %s%s", files[i], buf,
				buf[n - 1] == '\n' ? "" : "\n");
		}
	}
}

/* Fails (and kills) every worker that is in a call past its bound. */
static void check_bounds(bool replace)
{
	int64_t now = now_ns();
	int64_t grace = (int64_t)(opt.grace_ms * 1e6 * t_time_mult());
	for (unsigned k = 0; k < opt.workers; k++) {
		struct wslot *w = &S->w[k];
		int64_t d = atomic_load(&w->deadline);
		if (atomic_load(&w->pid) <= 0 || !d)
			continue;
		if (now - d > tot.worst_overrun_ns)
			tot.worst_overrun_ns = now - d;
		if (now - d <= grace)
			continue;
		pfail("worker %u (pid %d) blocked in %s %.0f ms past its "
		      "bound",
		      k, (int)atomic_load(&w->pid),
		      op_names[atomic_load(&w->op)], (now - d) / 1e6);
		dump_proc(atomic_load(&w->pid));
		kill_worker(k, replace);
	}
}

/* Opens the file of each segment in the table, to watch its blocks. */
static void watch_segments(void)
{
	for (unsigned j = 0; j < NSEGS; j++) {
		int id = (int)(uint32_t)atomic_load(&S->seg[j]);
		unsigned i;
		for (i = 0; i < nwatch && watch[i].id != id; i++)
			;
		if (i < nwatch || nwatch == MAX_FDS)
			continue;
		char path[600];
		snprintf(path, sizeof(path), "%s/shm.%d", t_dir,
			 id % IPCKIT_SLOTS);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		int32_t hid;
		if (pread(fd, &hid, sizeof(hid),
			  offsetof(struct ipckit_hdr, h_id)) != sizeof(hid) ||
		    hid != id) {
			close(fd);
			continue;
		}
		watch[nwatch].fd = fd;
		watch[nwatch].id = id;
		nwatch++;
	}
}

static void nap_ms(uint32_t ms)
{
	struct timespec ts = ts_ms(ms);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* ---- a round ------------------------------------------------------------- */

static void objects_create(void)
{
	for (int q = 0; q < NQUEUES; q++) {
		S->qid[q] = T_OK(ipckit_msgget(IPC_PRIVATE, IPC_CREAT | 0600));
		struct msqid_ds ds;
		T_OK(ipckit_msgctl(S->qid[q], IPC_STAT, &ds));
		ds.msg_qbytes = QBYTES;
		T_OK(ipckit_msgctl(S->qid[q], IPC_SET, &ds));
	}
	S->sema = T_OK(ipckit_semget(IPC_PRIVATE, NSEMA, IPC_CREAT | 0600));
	unsigned short a[NSEMA], b[NSEMB + MAX_WORKERS];
	for (int i = 0; i < NSEMA; i++)
		a[i] = INIT_A;
	for (int i = 0; i < NSEMB + MAX_WORKERS; i++)
		b[i] = i < NSEMB ? INIT_B : WITNESS_0;
	union semun arg = {.array = a};
	T_OK(ipckit_semctl(S->sema, 0, SETALL, arg));
	S->semb = T_OK(
	    ipckit_semget(IPC_PRIVATE, NSEMB + MAX_WORKERS, IPC_CREAT | 0600));
	arg.array = b;
	T_OK(ipckit_semctl(S->semb, 0, SETALL, arg));
	for (uint32_t j = 0; j < NSEGS; j++) {
		int id = T_OK(ipckit_shmget(seg_key(j, 0), seg_size(j),
					    IPC_CREAT | IPC_EXCL | 0600));
		atomic_store(&S->seg[j], (uint32_t)id);
	}
}

/* Waits until every live worker is parked, within its bound. */
static void wait_parked(void)
{
	for (;;) {
		reap_all(false, false);
		check_bounds(false);
		unsigned waiting = 0;
		for (unsigned k = 0; k < opt.workers; k++)
			if (atomic_load(&S->w[k].pid) > 0 &&
			    !atomic_load(&S->w[k].parked))
				waiting++;
		if (!waiting)
			return;
		nap_ms(1);
	}
}

/* While parked, nothing is in flight: every count is exact. */
static void check_parked(void)
{
	unsigned short a[NSEMA], b[NSEMB + MAX_WORKERS];
	union semun arg = {.array = a};
	T_OK(ipckit_semctl(S->sema, 0, GETALL, arg));
	for (int i = 0; i < NSEMA; i++) {
		long want = INIT_A;
		for (unsigned k = 0; k < opt.workers; k++)
			if (atomic_load(&S->w[k].pid) > 0)
				want -= S->w[k].held[i];
		if (a[i] != want)
			pfail("parked: undo set semaphore %d is %u, holders "
			      "imply %ld",
			      i, a[i], want);
	}
	arg.array = b;
	T_OK(ipckit_semctl(S->semb, 0, GETALL, arg));
	for (int i = 0; i < NSEMB; i++) {
		int64_t want = INIT_B;
		for (unsigned k = 0; k < opt.workers; k++)
			want += S->w[k].totals[i];
		if (b[i] != want)
			pfail("parked: counted semaphore %d is %u, the ledger "
			      "says %" PRId64,
			      i, b[i], want);
	}
	for (unsigned k = 0; k < opt.workers; k++)
		if (b[NSEMB + k] != WITNESS_0 + (S->w[k].m & 1))
			pfail("parked: witness %u is %u after %" PRIu64
			      " operations",
			      k, b[NSEMB + k], S->w[k].m);

	/* shm_nattch of every segment someone holds or the table names. */
	int ids[NSEGS + MAX_WORKERS * MAX_ATT];
	unsigned nids = 0;
	for (unsigned j = 0; j < NSEGS; j++)
		ids[nids++] = (int)(uint32_t)atomic_load(&S->seg[j]);
	for (unsigned k = 0; k < opt.workers; k++)
		for (uint32_t i = 0;
		     atomic_load(&S->w[k].pid) > 0 && i < S->w[k].natt; i++)
			ids[nids++] = S->w[k].att_id[i];
	for (unsigned x = 0; x < nids; x++) {
		unsigned want = 0;
		for (unsigned k = 0; k < opt.workers; k++)
			for (uint32_t i = 0;
			     atomic_load(&S->w[k].pid) > 0 && i < S->w[k].natt;
			     i++)
				want += S->w[k].att_id[i] == ids[x];
		struct shmid_ds ds;
		if (ipckit_shmctl(ids[x], IPC_STAT, &ds) < 0) {
			/*
			 * A segment nobody holds may be gone: rotated out, or
			 * still in the table because its rotator was killed
			 * between removing it and installing the next.
			 */
			if (want || (errno != EINVAL && errno != EIDRM))
				pfail("parked: IPC_STAT of segment %d (%u "
				      "attaches): %s",
				      ids[x], want, strerror(errno));
			continue;
		}
		if (ds.shm_nattch != want)
			pfail("parked: segment %d has shm_nattch %lu, parked "
			      "workers hold %u",
			      ids[x], (unsigned long)ds.shm_nattch, want);
	}
}

/* Ends the workers: some killed, some exit, some _exit, some clean up. */
static void release_workers(void)
{
	for (unsigned k = 0; k < opt.workers; k++)
		S->w[k].fate = rnd_below(&kr, NFATES);
	for (unsigned k = 0; k < opt.workers; k++)
		if (S->w[k].fate == FATE_KILL)
			kill_worker(k, false);
	close(park_pipe[1]);
	while (live_workers())
		reap_all(false, true);
	close(park_pipe[0]);
}

/* Everything the ended round must show. */
static void check_final(void)
{
	unsigned short a[NSEMA], b[NSEMB + MAX_WORKERS];
	union semun arg = {.array = a};
	T_OK(ipckit_semctl(S->sema, 0, GETALL, arg));
	for (int i = 0; i < NSEMA; i++)
		if (a[i] != INIT_A)
			pfail("undo set semaphore %d is %u after its holders "
			      "ended, not %d",
			      i, a[i], INIT_A);
	arg.array = b;
	T_OK(ipckit_semctl(S->semb, 0, GETALL, arg));
	for (int i = 0; i < NSEMB; i++) {
		int64_t want = INIT_B;
		for (unsigned k = 0; k < opt.workers; k++)
			want += S->w[k].totals[i];
		if (b[i] != want)
			pfail("counted semaphore %d is %u, the ledger says "
			      "%" PRId64,
			      i, b[i], want);
	}
	for (unsigned k = 0; k < opt.workers; k++)
		if (b[NSEMB + k] != WITNESS_0 + (S->w[k].m & 1))
			pfail("witness %u is %u after %" PRIu64 " operations",
			      k, b[NSEMB + k], S->w[k].m);
	for (unsigned j = 0; j < NSEGS; j++) {
		int id = (int)(uint32_t)atomic_load(&S->seg[j]);
		struct shmid_ds ds;
		if (ipckit_shmctl(id, IPC_STAT, &ds) < 0) {
			/* Removed by a rotator killed before replacing it. */
			if (errno != EINVAL && errno != EIDRM)
				pfail("IPC_STAT of segment %d: %s", id,
				      strerror(errno));
		} else if (ds.shm_nattch != 0)
			pfail("segment %d: shm_nattch %lu with every worker "
			      "gone",
			      id, (unsigned long)ds.shm_nattch);
	}
}

struct sender {
	uint32_t sending, acked;
	/* [seq]: bits 0-2 times received by workers, bits 3-5 times
	 * drained after the round (each saturating at 7), bit 7 held by a
	 * dead receiver. */
	uint8_t *cnt;
};

#define CNT_RECEIVED(c) ((c) & 7u)
#define CNT_DRAINED(c) (((c) >> 3) & 7u)
#define CNT_HELD 0x80u

static void count_msg(struct sender *snd, uint64_t inc, uint64_t seq,
		      bool drained)
{
	const char *where = drained ? "drained" : "received";
	if (inc >= ninc || seq == 0 || seq > snd[inc].sending) {
		pfail("%s: message %" PRIu64 "/%" PRIu64 " was never sent",
		      where, inc, seq);
		return;
	}
	uint8_t *c = &snd[inc].cnt[seq];
	if (drained && CNT_DRAINED(*c) < 7)
		*c += 8;
	else if (!drained && CNT_RECEIVED(*c) < 7)
		*c += 1;
}

/* Drains the queues and checks that every message is accounted for. */
static void check_messages(void)
{
	struct sender *snd = calloc(ninc, sizeof(*snd));
	T_ASSERT(snd);
	for (uint32_t i = 0; i < ninc; i++) {
		snd[i].sending = atomic_load(&S->inc[i].sending);
		snd[i].acked = atomic_load(&S->inc[i].acked);
		if (snd[i].acked > snd[i].sending ||
		    snd[i].sending > snd[i].acked + 1)
			pfail("sender %u: sending %u, acknowledged %u", i,
			      snd[i].sending, snd[i].acked);
		snd[i].cnt = calloc(snd[i].sending + 2, 1);
		T_ASSERT(snd[i].cnt);
	}
	uint64_t n = atomic_load(&S->log_n);
	if (n > LOG_CAP)
		n = LOG_CAP;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t v = atomic_load(&LOG[i]);
		if (v)
			count_msg(snd, (v >> 32) & 0xffffff, (uint32_t)v,
				  false);
	}
	for (int q = 0; q < NQUEUES; q++) {
		struct msqid_ds ds;
		T_OK(ipckit_msgctl(S->qid[q], IPC_STAT, &ds));
		unsigned long queued = ds.msg_qnum, drained = 0;
		struct tmsg m;
		ssize_t len;
		while ((len = ipckit_msgrcv(S->qid[q], &m, MSG_MAX, 0,
					    IPC_NOWAIT)) >= 0) {
			struct tmsg_hdr h;
			const char *bad = msg_check(&m, len, &h);
			drained++;
			if (bad)
				pfail("drained a bad message from queue %d: "
				      "%s",
				      q, bad);
			else if (h.queue != (uint32_t)q)
				pfail("message for queue %u drained from "
				      "queue %d",
				      h.queue, q);
			else
				count_msg(snd, h.inc, h.seq, true);
		}
		if (errno != ENOMSG)
			pfail("draining queue %d: %s", q, strerror(errno));
		T_OK(ipckit_msgctl(S->qid[q], IPC_STAT, &ds));
		if (drained != queued || ds.msg_qnum || ds.msg_cbytes)
			pfail("queue %d: msg_qnum %lu before draining, %lu "
			      "drained, then msg_qnum %lu msg_cbytes %lu",
			      q, queued, drained, (unsigned long)ds.msg_qnum,
			      (unsigned long)ds.msg_cbytes);
	}
	for (uint32_t i = 0; i < nsalvage; i++) {
		uint64_t inc = salvage[i] >> 32, seq = (uint32_t)salvage[i];
		if (inc < ninc && seq && seq <= snd[inc].sending)
			snd[inc].cnt[seq] |= CNT_HELD;
		else
			pfail("a dead receiver holds message %" PRIu64
			      "/%" PRIu64 ", never sent",
			      inc, seq);
	}
	for (uint32_t i = 0; i < ninc; i++) {
		for (uint32_t seq = 1; seq <= snd[i].sending; seq++) {
			uint8_t rc = CNT_RECEIVED(snd[i].cnt[seq]);
			uint8_t dc = CNT_DRAINED(snd[i].cnt[seq]);
			uint8_t c = rc + dc;
			bool held = snd[i].cnt[seq] & CNT_HELD;
			if (held && c)
				tot.salvaged_queued++;
			if (c > 1)
				pfail("message %u/%u found %u times (received "
				      "%u, drained %u%s)",
				      i, seq, c, rc, dc,
				      held ? ", held by a dead receiver" : "");
			else if (c == 0 && held)
				tot.lost_to_dead++;
			else if (c == 0 && seq <= snd[i].acked)
				pfail("message %u/%u lost: msgsnd returned 0",
				      i, seq);
			else if (seq > snd[i].acked)
				tot.in_doubt++;
		}
		free(snd[i].cnt);
	}
	free(snd);
}

/* Removes every object of the namespace; returns how many were left. */
static unsigned sweep(void)
{
	unsigned n = 0;
	struct msginfo mi;
	int hi = ipckit_msgctl(0, MSG_INFO, (struct msqid_ds *)&mi);
	for (int i = 0; i <= hi; i++) {
		struct msqid_ds ds;
		int id = ipckit_msgctl(i, MSG_STAT_ANY, &ds);
		if (id >= 0 && ipckit_msgctl(id, IPC_RMID, NULL) == 0) {
			n++;
			tot.swept[1]++;
		}
	}
	struct seminfo si;
	union semun arg = {.__buf = &si};
	hi = ipckit_semctl(0, 0, SEM_INFO, arg);
	for (int i = 0; i <= hi; i++) {
		struct semid_ds ds;
		arg.buf = &ds;
		int id = ipckit_semctl(i, 0, SEM_STAT_ANY, arg);
		if (id >= 0 && ipckit_semctl(id, 0, IPC_RMID) == 0) {
			n++;
			tot.swept[2]++;
		}
	}
	struct shm_info hi_shm;
	hi = ipckit_shmctl(0, SHM_INFO, (struct shmid_ds *)&hi_shm);
	for (int i = 0; i <= hi; i++) {
		struct shmid_ds ds;
		int id = ipckit_shmctl(i, SHM_STAT_ANY, &ds);
		if (id >= 0 && ipckit_shmctl(id, IPC_RMID, NULL) == 0) {
			n++;
			tot.swept[3]++;
		}
	}
	return n;
}

/* After removal and gc: only the id files, and no data left anywhere. */
static void check_cleanup(void)
{
	for (int q = 0; q < NQUEUES; q++)
		T_OK(ipckit_msgctl(S->qid[q], IPC_RMID, NULL));
	T_OK(ipckit_semctl(S->sema, 0, IPC_RMID));
	T_OK(ipckit_semctl(S->semb, 0, IPC_RMID));
	for (unsigned j = 0; j < NSEGS; j++) {
		int id = (int)(uint32_t)atomic_load(&S->seg[j]);
		if (ipckit_shmctl(id, IPC_RMID, NULL) < 0 && errno != EINVAL &&
		    errno != EIDRM)
			pfail("IPC_RMID of segment %d: %s", id,
			      strerror(errno));
	}
	sweep();
	if (ipckit_gc() < 0)
		pfail("ipckit_gc: %s", strerror(errno));
	if (sweep())
		pfail("objects appeared after the sweep and gc");

	DIR *d = opendir(t_dir);
	T_ASSERT(d);
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *s = e->d_name;
		if (!strcmp(s, ".") || !strcmp(s, "..") ||
		    !strcmp(s, "msg.ids") || !strcmp(s, "sem.ids") ||
		    !strcmp(s, "shm.ids"))
			continue;
		pfail("left in the namespace after cleanup: %s", s);
	}
	closedir(d);

	/* A destroyed segment keeps no data, even with its file open. */
	for (unsigned i = 0; i < nwatch; i++) {
		struct stat st;
		T_OK(fstat(watch[i].fd, &st));
		if (st.st_nlink != 0)
			pfail("segment %d: its file still has %lu names",
			      watch[i].id, (unsigned long)st.st_nlink);
		if ((uint64_t)st.st_blocks * 512 > SHM_SEG_CTL_SIZE)
			pfail("segment %d: %lld bytes of its file remain "
			      "after its destruction",
			      watch[i].id, (long long)st.st_blocks * 512);
		close(watch[i].fd);
	}
	nwatch = 0;
}

static void run_round(uint32_t r, double seconds)
{
	S->round = r;
	atomic_store(&S->stop, 0);
	atomic_store(&S->full, 0);
	uint64_t used = atomic_load(&S->log_n);
	memset((void *)LOG, 0, (used < LOG_CAP ? used : LOG_CAP) * 8);
	atomic_store(&S->log_n, 0);
	memset(S->w, 0, sizeof(S->w));
	ninc = 0;
	nsalvage = 0;
	nfails_round = 0;
	uint64_t kills0 = tot.kills, faults0 = tot.fault_deaths;
	uint64_t lost0 = tot.lost_to_dead;

	objects_create();
	T_OK(pipe(park_pipe));
	for (unsigned k = 0; k < opt.workers; k++)
		spawn(k, false);

	int64_t end = now_ns() + (int64_t)(seconds * 1e9);
	int64_t next_gc = now_ns() + 500000000;
	while (now_ns() < end && !atomic_load(&S->full) &&
	       ninc + opt.workers < MAX_INC && tot.failures < 20) {
		nap_ms(rnd_below(&kr, 2 * opt.kill_ms + 1));
		reap_all(true, false);
		check_bounds(true);
		watch_segments();
		unsigned k = rnd_below(&kr, opt.workers);
		kill_worker(k, true);
		/* gc while everything runs: it must only take the dead's. */
		if (now_ns() > next_gc) {
			if (ipckit_gc() < 0)
				pfail("ipckit_gc: %s", strerror(errno));
			next_gc = now_ns() + 500000000;
		}
	}
	atomic_store(&S->stop, 1);
	wait_parked();
	check_parked();
	release_workers();
	check_final();
	check_messages();
	check_cleanup();
	tot.rounds++;
	printf("round %u: %.1f s, %" PRIu64 " kills, %" PRIu64
	       " crash-point deaths, %u incarnations, %" PRIu64
	       " messages lost to dead receivers (allowed), %u failures\n",
	       r, seconds, tot.kills - kills0, tot.fault_deaths - faults0, ninc,
	       tot.lost_to_dead - lost0, nfails_round);
}

/* ---- main ---------------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr,
		"usage: torture [--seconds S] [--rounds N] [--round-seconds S]"
		"\n               [--workers N] [--seed X] [--kill-ms MS] "
		"[--grace-ms MS]\n               [--no-faults | --fault POINT] "
		"[--verbose]\n");
	exit(2);
}

static void parse_args(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--backend")) {
			i++;
		} else if (!strcmp(a, "--no-faults")) {
			opt.faults = false;
		} else if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
			opt.verbose = true;
		} else if (!v) {
			usage();
		} else if (!strcmp(a, "--seconds")) {
			opt.seconds = atof(v), i++;
		} else if (!strcmp(a, "--round-seconds")) {
			opt.round_seconds = atof(v), i++;
		} else if (!strcmp(a, "--rounds")) {
			opt.rounds = (unsigned)atoi(v), i++;
		} else if (!strcmp(a, "--workers")) {
			opt.workers = (unsigned)atoi(v), i++;
		} else if (!strcmp(a, "--seed")) {
			opt.seed = strtoull(v, NULL, 0), i++;
		} else if (!strcmp(a, "--kill-ms")) {
			opt.kill_ms = (unsigned)atoi(v), i++;
		} else if (!strcmp(a, "--grace-ms")) {
			opt.grace_ms = (unsigned)atoi(v), i++;
		} else if (!strcmp(a, "--fault")) {
			for (int f = 0; f < NFAULTS; f++)
				if (!strcmp(v, fault_points[f]))
					opt.fault = f;
			if (opt.fault < 0)
				usage();
			i++;
		} else {
			usage();
		}
	}
	if (opt.workers < 2 || opt.workers > MAX_WORKERS ||
	    opt.round_seconds <= 0)
		usage();
	/* --seconds alone: rounds of about round_seconds filling it. */
	if (!opt.rounds && !opt.seconds)
		opt.seconds = 40;
	if (!opt.rounds)
		opt.rounds =
		    opt.seconds > opt.round_seconds
			? (unsigned)(opt.seconds / opt.round_seconds + 0.5)
			: 1;
	if (opt.seconds)
		opt.round_seconds = opt.seconds / opt.rounds;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_IPCKIT);
	parse_args(argc, argv);
	if (!opt.seed)
		opt.seed =
		    mix64((uint64_t)time(NULL) << 20 ^ (uint64_t)getpid());
	printf("torture: seed %#" PRIx64 " (replay: --seed %#" PRIx64
	       " --workers %u --rounds %u --round-seconds %.1f --kill-ms %u%s)"
	       "\n",
	       opt.seed, opt.seed, opt.workers, opt.rounds, opt.round_seconds,
	       opt.kill_ms, opt.faults ? "" : " --no-faults");
	kr.s = opt.seed;

	/* The watched segment files, beside the library's own. */
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 1024 &&
	    rl.rlim_max >= 1024) {
		rl.rlim_cur = 1024;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	S = t_shared_alloc(sizeof(*S));
	LOG = mmap(NULL, (size_t)LOG_CAP * 8, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	T_ASSERT(LOG != MAP_FAILED);
	salvage = calloc(MAX_INC, sizeof(*salvage));
	T_ASSERT(salvage);

	int64_t start = now_ns();
	for (uint32_t r = 0; r < opt.rounds && tot.failures < 20; r++)
		run_round(r + 1, opt.round_seconds);
	double took = (now_ns() - start) / 1e9;

	printf("torture: %" PRIu64 " rounds in %.1f s, %u workers; %" PRIu64
	       " SIGKILLs, %" PRIu64 " deaths at crash points, %" PRIu64
	       " incarnations\n",
	       tot.rounds, took, opt.workers, tot.kills, tot.fault_deaths,
	       tot.incarnations);
	printf("torture: %" PRIu64 " messages sent and %" PRIu64
	       " received by workers; %" PRIu64
	       " lost to a dead receiver (allowed), %" PRIu64
	       " found in a dead receiver and still queued, %" PRIu64
	       " in doubt (sender killed in msgsnd)\n",
	       tot.sent, tot.received, tot.lost_to_dead, tot.salvaged_queued,
	       tot.in_doubt);
	printf("torture: %" PRIu64 " semops (%" PRIu64 " in flight at a death: "
	       "%" PRIu64 " had happened, %" PRIu64 " had not), %" PRIu64
	       " attaches, %" PRIu64 " segment rotations, %" PRIu64
	       " objects made and removed\n",
	       tot.semops, tot.resolved_applied + tot.resolved_not,
	       tot.resolved_applied, tot.resolved_not, tot.attaches,
	       tot.rotations, tot.churns);
	printf("torture: swept after rounds (made by killed creators): %" PRIu64
	       " queues, %" PRIu64 " sets, %" PRIu64
	       " segments; worst lateness past a bound %.1f ms; %" PRIu64
	       " calls over 10 ms late\n",
	       tot.swept[1], tot.swept[2], tot.swept[3],
	       tot.worst_overrun_ns / 1e6, tot.late);
	printf("torture: msg_cbytes seen above msg_qbytes %" PRIu64
	       " times (requeued hand-offs of dead receivers)\n",
	       tot.over_qbytes);
	if (opt.verbose)
		for (int i = 0; i < NFAULTS; i++)
			printf("torture: crash point %-24s %" PRIu64
			       " deaths\n",
			       fault_points[i], tot.fault_hits[i]);
	if (tot.failures) {
		printf("torture: %" PRIu64 " failures (seed %#" PRIx64 ")\n",
		       tot.failures, opt.seed);
		return T_EXIT_FAIL;
	}
	printf("torture: every check held\n");
	return T_EXIT_PASS;
}
