/*
 * run.c - one trial of one mechanism: the processes, the loops that move
 * and verify messages, the clock, and the driver's watch over it all.
 *
 * The driver process makes the objects, forks the measuring process
 * (side 0) and, for a channel, its peer (side 1), then only waits: for
 * both to exit 0, for one to fail (it has said why on stderr), for the
 * trial limit to pass, or for an interrupt. In every case it is the one
 * that removes the objects, in its normal context, after killing whatever
 * is left. The children die with it (PR_SET_PDEATHSIG) if it is killed.
 *
 * The peer is an echo: it verifies each message it receives, answers
 * those marked BENCH_MSG_REPLY and exits on BENCH_MSG_STOP. So the
 * measuring process alone decides how many messages to send, from what it
 * measured while warming up, and the peer needs no plan.
 */
#include "bench.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* Payload patterns a sender cycles through, so consecutive messages differ. */
#define NPAT 4

/* What the forked processes hand back, in memory shared with the driver. */
struct trial_out {
	struct bench_result rtt, stream, op; /* filled by side 0 */
	long sent;			     /* by side 0, STOP included */
	long peer_verified;		     /* by side 1 */
};

/* One forked process's end of a trial. */
struct proc {
	const struct bench_opts *o;
	struct bench_chan *c;
	const char *who;
	unsigned char *out; /* NPAT messages, each BENCH_HEADROOM in */
	size_t stride;
	uint64_t out_seq;
	unsigned char *in; /* the receive buffer, BENCH_HEADROOM in */
	uint64_t in_seq;
	long verified;
};

static sigset_t driver_sigs; /* blocked in the driver, waited for */
static sigset_t orig_mask;
static int interrupted;	     /* the signal that stopped the run, or 0 */

void bench_signals_block(void)
{
	sigemptyset(&driver_sigs);
	sigaddset(&driver_sigs, SIGCHLD);
	sigaddset(&driver_sigs, SIGINT);
	sigaddset(&driver_sigs, SIGTERM);
	sigaddset(&driver_sigs, SIGHUP);
	/* SIG_IGN would reap the children before waitpid could see them. */
	signal(SIGCHLD, SIG_DFL);
	sigprocmask(SIG_BLOCK, &driver_sigs, &orig_mask);
}

void bench_signals_restore(void)
{
	if (interrupted)
		raise(interrupted); /* pending until the mask allows it */
	sigprocmask(SIG_SETMASK, &orig_mask, NULL);
}

int bench_interrupted(void)
{
	static const int stops[] = {SIGINT, SIGTERM, SIGHUP};
	sigset_t pending;

	if (interrupted || sigpending(&pending) < 0)
		return interrupted;
	for (int i = 0; i < 3; i++) {
		if (sigismember(&pending, stops[i]))
			interrupted = stops[i];
	}
	return interrupted;
}

static void trial_name(const struct bench_chan *c, char *buf, size_t len)
{
	char size[24];

	if (c->mech->kind == BENCH_OP) {
		snprintf(buf, len, "%s", c->mech->name);
		return;
	}
	bench_fmt_size(size, sizeof(size), c->size);
	snprintf(buf, len, "%s %s", c->mech->name, size);
}

__attribute__((noreturn, format(printf, 2, 3))) static void
proc_fail(const struct proc *p, const char *fmt, ...)
{
	char name[64], msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	trial_name(p->c, name, sizeof(name));
	fprintf(stderr, "\nbench: FAILED: %s, %s: %s\n", name, p->who, msg);
	_exit(1);
}

/* xorshift64: payload bytes that differ per side and pattern. */
static uint64_t payload_next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void proc_init(struct proc *p, const struct bench_opts *o,
		      struct bench_chan *c)
{
	size_t size = c->size, body = size - sizeof(struct bench_msghdr);

	memset(p, 0, sizeof(*p));
	p->o = o;
	p->c = c;
	p->who = c->side ? "peer" : "measuring process";
	if (c->mech->kind == BENCH_OP)
		return;
	p->stride = (BENCH_HEADROOM + size + 63) & ~(size_t)63;
	p->out = aligned_alloc(64, NPAT * p->stride);
	p->in = aligned_alloc(64, p->stride);
	if (!p->out || !p->in)
		proc_fail(p, "out of memory");
	p->in += BENCH_HEADROOM;
	for (int k = 0; k < NPAT; k++) {
		unsigned char *m = p->out + k * p->stride + BENCH_HEADROOM;
		struct bench_msghdr h = {.seq = 0, .sum = 0, .flags = 0};
		uint64_t x = 0x9e3779b97f4a7c15ull *
			     (uint64_t)(2 * k + c->side + 1);

		for (size_t i = 0; i < body; i += 8) {
			uint64_t w = payload_next(&x);
			memcpy(m + sizeof(h) + i, &w,
			       body - i < 8 ? body - i : 8);
		}
		h.sum = bench_sum(m + sizeof(h), body);
		memcpy(m, &h, sizeof(h));
	}
}

static void msg_send(struct proc *p, uint32_t flags)
{
	unsigned char *m = p->out + (p->out_seq % NPAT) * p->stride +
			   BENCH_HEADROOM;
	struct bench_msghdr h;
	int rc;

	memcpy(&h, m, sizeof(h));
	h.seq = p->out_seq;
	h.flags = flags;
	memcpy(m, &h, sizeof(h));
	rc = p->c->mech->send(p->c, m);
	if (rc)
		proc_fail(p, "send: %s", strerror(-rc));
	p->out_seq++;
}

/* Receives, verifies and releases one message; returns its flags. */
static uint32_t msg_recv(struct proc *p)
{
	const struct bench_mech *m = p->c->mech;
	size_t body = p->c->size - sizeof(struct bench_msghdr);
	struct bench_msghdr h;
	const void *msg;
	uint32_t sum;
	int rc;

	rc = m->recv(p->c, p->in, &msg);
	if (rc)
		proc_fail(p, "receive: %s", strerror(-rc));
	memcpy(&h, msg, sizeof(h));
	sum = bench_sum((const unsigned char *)msg + sizeof(h), body);
	if (h.seq != p->in_seq)
		proc_fail(p, "message %llu arrived as number %llu (%s)",
			  (unsigned long long)h.seq,
			  (unsigned long long)p->in_seq,
			  h.seq < p->in_seq ? "duplicated or stale"
					    : "messages lost");
	if (h.sum != sum)
		proc_fail(p,
			  "message %llu is corrupt: checksum %08x, sent as "
			  "%08x",
			  (unsigned long long)h.seq, sum, h.sum);
	if (h.flags & ~(BENCH_MSG_REPLY | BENCH_MSG_STOP))
		proc_fail(p, "message %llu has unknown flags %#x",
			  (unsigned long long)h.seq, h.flags);
	if (m->release) {
		rc = m->release(p->c);
		if (rc)
			proc_fail(p, "release: %s", strerror(-rc));
	}
	p->in_seq++;
	p->verified++;
	return h.flags;
}

static void peer_serve(struct proc *p, struct trial_out *out)
{
	for (;;) {
		uint32_t flags = msg_recv(p);
		if (flags & BENCH_MSG_STOP)
			break;
		if (flags & BENCH_MSG_REPLY)
			msg_send(p, 0);
	}
	out->peer_verified = p->verified;
}

static void round_trip(struct proc *p)
{
	msg_send(p, BENCH_MSG_REPLY);
	if (msg_recv(p) != 0)
		proc_fail(p, "the peer's reply has flags set");
}

static long clamp(double v, long lo, long hi)
{
	return v < lo ? lo : v > hi ? hi : (long)v;
}

/*
 * Warming up: a quarter of a run the first time, when the warm-up also
 * sizes the runs; a tenth in later rounds, which reuse that size so that
 * every run of a figure counts the same work.
 */
static double warm_ns(const struct bench_opts *o, const struct bench_result *r)
{
	return r->count ? o->run_ns / 10 : o->run_ns / 4;
}

/*
 * One run of round trips, timed one by one with one clock read each (so
 * each sample holds one clock read, which the report states); its median
 * and 99th percentile are the run's figures.
 */
static void measure_rtt(struct proc *p, struct bench_result *r)
{
	const struct bench_opts *o = p->o;
	uint64_t t0, t, prev;
	long n = 0;
	double *s;

	if (o->verify_only) {
		for (long i = 0; i < o->verify_msgs; i++)
			round_trip(p);
		r->count = o->verify_msgs;
		return;
	}
	bench_progress("round trip: warming up");
	t0 = bench_now();
	do {
		round_trip(p);
		n++;
		t = bench_now();
	} while (n < 20 || (double)(t - t0) < warm_ns(o, r));
	if (!r->count)
		r->count = clamp(o->run_ns * (double)n / (double)(t - t0),
				 o->quick ? 200 : 1000, 2000000);
	s = malloc((size_t)r->count * sizeof(*s));
	if (!s)
		proc_fail(p, "out of memory");
	bench_progress("round trip: measuring");
	prev = bench_now();
	for (long i = 0; i < r->count; i++) {
		round_trip(p);
		t = bench_now();
		s[i] = (double)(t - prev);
		prev = t;
	}
	r->run[r->nruns] = bench_quantile(s, (size_t)r->count, 0.5);
	r->p99[r->nruns] = bench_quantile(s, (size_t)r->count, 0.99);
	r->nruns++;
	free(s);
}

/*
 * n messages one way, the last one answered: the burst ends when the peer
 * has received and verified them all.
 */
static void burst(struct proc *p, long n)
{
	for (long i = 1; i < n; i++)
		msg_send(p, 0);
	round_trip(p);
}

/*
 * One run of a one-way stream: a burst sized to last a run. The first
 * time, bursts growing fourfold until one lasts an eighth of a run are the
 * warm-up and the sizing. The rate counts the messages of the burst over
 * its time, which includes the one reply that ends it.
 */
static void measure_stream(struct proc *p, struct bench_result *r)
{
	const struct bench_opts *o = p->o;
	uint64_t t0, dt;

	if (o->verify_only) {
		burst(p, o->verify_msgs);
		r->count = o->verify_msgs;
		return;
	}
	bench_progress("one way: warming up");
	if (r->count) {
		burst(p, r->count / 10 + 1);
	} else {
		long n = 16;
		for (;;) {
			t0 = bench_now();
			burst(p, n);
			dt = bench_now() - t0;
			if ((double)dt >= o->run_ns / 8 || n >= (1L << 26))
				break;
			n *= 4;
		}
		r->count = clamp(o->run_ns * (double)n / (double)dt, 1000,
				 100000000);
	}
	bench_progress("one way: measuring");
	t0 = bench_now();
	burst(p, r->count);
	dt = bench_now() - t0;
	r->run[r->nruns++] = (double)r->count * 1e9 / (double)dt;
}

static void op_do(struct proc *p, long n)
{
	int rc = p->c->mech->op(p->c, n);

	if (rc == -EBADMSG)
		proc_fail(p, "the operation's result is wrong");
	if (rc)
		proc_fail(p, "%s", strerror(-rc));
}

/* As measure_stream, with ns per op as the figure. */
static void measure_op(struct proc *p, struct bench_result *r)
{
	const struct bench_opts *o = p->o;
	uint64_t t0, dt;

	if (o->verify_only) {
		long n = p->c->mech->op_bytes ? 2 : o->verify_msgs;
		op_do(p, n);
		r->count = r->verified = n;
		return;
	}
	bench_progress("warming up");
	if (r->count) {
		op_do(p, r->count / 10 + 1);
	} else {
		long n = 1;
		for (;;) {
			t0 = bench_now();
			op_do(p, n);
			dt = bench_now() - t0;
			if ((double)dt >= o->run_ns / 8 || n >= (1L << 30))
				break;
			n *= 4;
		}
		r->count = clamp(o->run_ns * (double)n / (double)dt, 1,
				 1L << 30);
	}
	bench_progress("measuring");
	t0 = bench_now();
	op_do(p, r->count);
	dt = bench_now() - t0;
	r->run[r->nruns++] = (double)dt / (double)r->count;
	r->verified += r->count;
}

static void side0_run(struct proc *p, struct trial_out *out)
{
	const struct bench_mech *m = p->c->mech;
	long got, sent;

	if (m->kind == BENCH_OP) {
		measure_op(p, &out->op);
		return;
	}
	/* What this process received, and what the peer did (see sent). */
	if (!out->rtt.skip[0]) {
		got = p->verified;
		sent = (long)p->out_seq;
		measure_rtt(p, &out->rtt);
		out->rtt.verified +=
			p->verified - got + (long)p->out_seq - sent;
	}
	if (!out->stream.skip[0]) {
		got = p->verified;
		sent = (long)p->out_seq;
		measure_stream(p, &out->stream);
		out->stream.verified +=
			p->verified - got + (long)p->out_seq - sent;
	}
	msg_send(p, BENCH_MSG_STOP);
	out->sent = (long)p->out_seq;
}

/* The forked process of one side: never returns. */
__attribute__((noreturn)) static void side_main(const struct bench_opts *o,
					       struct bench_chan *c, int side,
					       pid_t driver,
					       struct trial_out *out)
{
	struct proc p;
	int rc;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != driver)
		_exit(1); /* the driver is already gone */
	sigprocmask(SIG_SETMASK, &orig_mask, NULL);
	c->side = side;
	proc_init(&p, o, c);
	if (o->cpu[side] >= 0) {
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET(o->cpu[side], &set);
		if (sched_setaffinity(0, sizeof(set), &set) < 0)
			proc_fail(&p, "cannot run on CPU %d: %s", o->cpu[side],
				  strerror(errno));
	}
	if (c->mech->attach) {
		rc = c->mech->attach(c);
		if (rc)
			proc_fail(&p, "attach: %s", strerror(-rc));
	}
	if (side == 0)
		side0_run(&p, out);
	else
		peer_serve(&p, out);
	_exit(0);
}

static void kill_all(pid_t *pid, int n)
{
	for (int i = 0; i < n; i++) {
		if (pid[i] > 0) {
			kill(pid[i], SIGKILL);
			waitpid(pid[i], NULL, 0);
			pid[i] = -1;
		}
	}
}

/*
 * Waits for the trial's processes: 0 when each exited 0; -1 after saying
 * why and killing the rest when one did not, when the trial outlived its
 * limit, or when the run was interrupted (then silently).
 */
static int trial_wait(const struct bench_opts *o, const struct bench_chan *c,
		      pid_t *pid, int n)
{
	static const char *const role[] = {"the measuring process", "the peer"};
	uint64_t deadline =
		bench_now() + (uint64_t)o->trial_timeout * 1000000000u;
	int alive = n, failed = 0;
	char name[64];

	trial_name(c, name, sizeof(name));
	while (alive > 0 && !failed) {
		for (int i = 0; i < n; i++) {
			int st = 0;
			pid_t w;

			if (pid[i] <= 0)
				continue;
			w = waitpid(pid[i], &st, WNOHANG);
			if (w == 0)
				continue;
			pid[i] = -1;
			alive--;
			if (w > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0)
				continue;
			failed = 1;
			if (bench_interrupted())
				continue;
			if (w < 0)
				fprintf(stderr,
					"bench: FAILED: %s: %s lost: %s\n",
					name, role[i], strerror(errno));
			else if (WIFSIGNALED(st))
				fprintf(stderr,
					"bench: FAILED: %s: %s killed by "
					"signal %d (%s)\n",
					name, role[i], WTERMSIG(st),
					strsignal(WTERMSIG(st)));
			else
				fprintf(stderr,
					"bench: FAILED: %s: %s exited with "
					"status %d\n",
					name, role[i], WEXITSTATUS(st));
		}
		if (failed || alive == 0)
			break;

		uint64_t now = bench_now();
		if (now >= deadline) {
			fprintf(stderr,
				"\nbench: FAILED: %s: still running after %d "
				"s, taken as hung\n",
				name, o->trial_timeout);
			failed = 1;
			break;
		}
		uint64_t left = deadline - now;
		struct timespec ts = {.tv_sec = (time_t)(left / 1000000000u),
				      .tv_nsec = (long)(left % 1000000000u)};
		int sig = sigtimedwait(&driver_sigs, NULL, &ts);
		if (sig > 0 && sig != SIGCHLD) {
			interrupted = sig;
			failed = 1;
		}
	}
	kill_all(pid, n);
	return failed ? -1 : 0;
}

/* Forks the trial's processes and waits for them. */
static int trial(const struct bench_opts *o, struct bench_chan *c, int n,
		 struct trial_out *out)
{
	pid_t pid[2] = {-1, -1}, driver = getpid();

	fflush(NULL); /* nothing buffered is written twice */
	for (int side = 0; side < n; side++) {
		pid[side] = fork();
		if (pid[side] < 0) {
			fprintf(stderr, "bench: fork: %s\n", strerror(errno));
			kill_all(pid, n);
			return -1;
		}
		if (pid[side] == 0)
			side_main(o, c, side, driver, out);
	}
	return trial_wait(o, c, pid, n);
}

static void result_init(struct bench_result *r, const struct bench_mech *m,
			enum bench_mode mode, size_t size)
{
	memset(r, 0, sizeof(*r));
	r->mech = m;
	r->mode = mode;
	r->size = size;
}

static struct trial_out *out_map(void)
{
	void *p = mmap(NULL, sizeof(struct trial_out), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		fprintf(stderr, "bench: mmap: %s\n", strerror(errno));
		return NULL;
	}
	return p;
}

/*
 * The first round makes the results and decides what cannot be measured;
 * every round adds one run to each figure not skipped.
 */
int bench_run_chan(const struct bench_opts *o, const struct bench_mech *m,
		   size_t size, int round, struct bench_result *rtt,
		   struct bench_result *stream)
{
	struct bench_chan c = {.mech = m, .size = size};
	struct trial_out *out;
	char why[sizeof(rtt->skip)];
	int rc;

	if (round == 0) {
		result_init(rtt, m, BENCH_MODE_RTT, size);
		result_init(stream, m, BENCH_MODE_STREAM, size);
		if (!(m->modes & BENCH_RTT))
			snprintf(rtt->skip, sizeof(rtt->skip), "one way only");
		if (!(m->modes & BENCH_STREAM))
			snprintf(stream->skip, sizeof(stream->skip),
				 "a hand-off is a round trip, with no one-way "
				 "form");
		if (m->fits && !m->fits(m, size, why, sizeof(why))) {
			snprintf(rtt->skip, sizeof(rtt->skip), "%s", why);
			if (!stream->skip[0])
				snprintf(stream->skip, sizeof(stream->skip),
					 "%s", why);
		}
	}
	if (rtt->skip[0] && stream->skip[0])
		return 0;
	out = out_map();
	if (!out)
		return -1;
	out->rtt = *rtt;
	out->stream = *stream;
	rc = m->setup(&c);
	if (rc) {
		snprintf(rtt->skip, sizeof(rtt->skip), "setup failed: %s",
			 strerror(-rc));
		memcpy(stream->skip, rtt->skip, sizeof(rtt->skip));
		munmap(out, sizeof(*out));
		return 0;
	}
	rc = trial(o, &c, 2, out);
	m->teardown(&c);
	if (rc == 0 && out->peer_verified != out->sent) {
		fprintf(stderr,
			"bench: FAILED: %s: the peer verified %ld messages of "
			"%ld sent\n",
			m->name, out->peer_verified, out->sent);
		rc = -1;
	}
	if (rc == 0) {
		*rtt = out->rtt;
		*stream = out->stream;
	}
	munmap(out, sizeof(*out));
	return rc;
}

int bench_run_op(const struct bench_opts *o, const struct bench_mech *m,
		 int round, struct bench_result *r)
{
	struct bench_chan c = {.mech = m, .size = 0};
	struct trial_out *out;
	int rc;

	if (round == 0)
		result_init(r, m, BENCH_MODE_OP, 0);
	if (r->skip[0])
		return 0;
	out = out_map();
	if (!out)
		return -1;
	out->op = *r;
	rc = m->setup ? m->setup(&c) : 0;
	if (rc) {
		snprintf(r->skip, sizeof(r->skip), "setup failed: %s",
			 strerror(-rc));
		munmap(out, sizeof(*out));
		return 0;
	}
	rc = trial(o, &c, 1, out);
	if (m->teardown)
		m->teardown(&c);
	if (rc == 0)
		*r = out->op;
	munmap(out, sizeof(*out));
	return rc;
}
