/*
 * bench.h - the benchmark: what a mechanism provides, what the driver does
 * with it, and the helpers the mechanisms share.
 *
 * A mechanism is one way two processes can move a message (a pipe, a
 * System V message queue, ...), or one single-process operation (a P+V
 * pair, a shmget..IPC_RMID cycle). It knows how to make its objects, how a
 * process sends and receives one message, and how to remove its objects;
 * everything else is the driver's: the processes (made with fork), the
 * ping-pong and streaming loops, the sequence numbers and checksums every
 * receiver verifies, the clock, the statistics and the output. So every
 * mechanism is measured by the same loop, and the ratios between them
 * compare the mechanisms, not the loops.
 *
 * One trial runs in three processes. The driver process makes the
 * mechanism's objects (setup), forks a measuring process (side 0) and,
 * for a channel, an echoing peer (side 1), waits for both, and then removes
 * the objects (teardown). The driver itself never blocks in a mechanism, so
 * whatever goes wrong in the other two (a bad message, a crash, a hang, a
 * ^C) it can kill them and remove every kernel object in its own, normal
 * context rather than in a signal handler.
 *
 * Adding a mechanism: a file bench/mech-NAME.c defining its struct
 * bench_mech, declared below and listed in registry.c and BENCH_SRCS.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Every message begins with this header, followed by payload bytes. The
 * receiver checks that seq is the next one of its direction and that sum is
 * the checksum of the payload it got; the sender varies the payload from
 * one message to the next, so a stale or torn message cannot pass.
 */
struct bench_msghdr {
	uint64_t seq;	/* per direction, counted from 0 */
	uint32_t sum;	/* bench_sum() of the payload */
	uint32_t flags; /* BENCH_MSG_* */
};
#define BENCH_MSG_REPLY 1u /* the peer answers this message with one */
#define BENCH_MSG_STOP 2u  /* the peer's last message: it exits */

/*
 * Bytes a mechanism may write just before a message it sends or a buffer
 * it receives into, for its own framing (the mtype of a System V message),
 * so that no mechanism needs a copy of its own. A multiple of the cache
 * line, so messages stay aligned.
 */
#define BENCH_HEADROOM 64

enum bench_kind {
	BENCH_CHANNEL, /* two processes exchange messages */
	BENCH_OP,      /* one process repeats an operation */
};

/* How the side that waits for a message waits (the table says which). */
enum bench_wait {
	BENCH_SLEEP,  /* sleeps in the kernel at once */
	BENCH_SPIN,   /* polls shared memory a while, then sleeps */
	BENCH_NOWAIT, /* single-process operations: nothing to wait for */
};

/* What a channel is measured in (bench_mech.modes). */
#define BENCH_RTT 1u	/* ping-pong: round trip, a message each way */
#define BENCH_STREAM 2u /* one way: messages per second */

/* One trial of a mechanism; passed to every callback. */
struct bench_chan {
	const struct bench_mech *mech;
	size_t size; /* bytes per message, header included (0: an op) */
	int side;    /* after fork: 0 the measuring process, 1 its peer */
	void *priv;  /* the mechanism's own state, made by setup */
};

/*
 * A mechanism. Callbacks return 0 or -errno; the driver names the
 * mechanism, the size and the callback when one fails, and fails the run.
 */
struct bench_mech {
	const char *name; /* unique, short: "pipe", "ipckit-msg-spin" */
	const char *what; /* one line for the legend */
	/*
	 * The mechanism this one's ratio is computed against in the same run:
	 * for an ipckit mechanism the kernel object it replaces, for the
	 * other channels the kernel's System V message queue. NULL: none.
	 */
	const char *ref;
	enum bench_kind kind;
	enum bench_wait wait;
	unsigned modes;	 /* channels: BENCH_RTT | BENCH_STREAM */
	size_t op_bytes; /* ops: bytes moved per op (for MB/s), else 0 */
	const void *arg; /* the mechanism's own parameters */
	int opt;	 /* a mechanism-specific option, e.g. SEM_UNDO */

	/*
	 * Whether a channel carries `size`-byte messages; when it does not,
	 * writes the reason into why (the limit, and where it is set) and
	 * returns false. NULL: every size.
	 */
	bool (*fits)(const struct bench_mech *m, size_t size, char *why,
		     size_t len);
	/*
	 * In the driver process, before fork: make the objects and c->priv.
	 * On failure, undo what it made. Objects that can be removed while
	 * in use (names of FIFOs and queues, a segment once attached) are
	 * removed here, so a killed run leaves nothing behind.
	 */
	int (*setup)(struct bench_chan *c);
	/*
	 * Optional: in each forked process, c->side set, before any message:
	 * take its own ends, drop the others, set how it waits.
	 */
	int (*attach)(struct bench_chan *c);
	/*
	 * Send c->size bytes at msg in the direction of c->side, blocking
	 * while there is no room. It may write the BENCH_HEADROOM bytes
	 * before msg, never the message.
	 */
	int (*send)(struct bench_chan *c, void *msg);
	/*
	 * Receive the next c->size-byte message from the other side, blocking
	 * until there is one: either into buf (BENCH_HEADROOM writable bytes
	 * before it) or in place; *msg is set to where it is. A message of
	 * another size is an error (-EMSGSIZE).
	 */
	int (*recv)(struct bench_chan *c, void *buf, const void **msg);
	/* Optional: done with the message recv returned (frees its slot). */
	int (*release)(struct bench_chan *c);
	/*
	 * Ops: perform the operation n times, checking that it worked;
	 * -EBADMSG says it did not. setup and teardown are optional for ops.
	 */
	int (*op)(struct bench_chan *c, long n);
	/* In the driver process, after a trial set up: remove everything. */
	void (*teardown)(struct bench_chan *c);
};

/* The mechanisms, one file each (mech-*.c, mech-boost.cpp). */
extern const struct bench_mech bench_pipe, bench_fifo, bench_unix_stream,
	bench_unix_dgram, bench_tcp, bench_posix_mq, bench_boost_mq,
	bench_sysv_msg, bench_sysv_sem, bench_sysv_shm, bench_sysv_sem_pv,
	bench_sysv_sem_pv_undo, bench_sysv_shm_bw, bench_sysv_shm_cycle,
	bench_futex;
extern const struct bench_mech bench_ipckit_msg_spin, bench_ipckit_msg_sleep,
	bench_ipckit_sem_spin, bench_ipckit_sem_sleep, bench_ipckit_shm_spin,
	bench_ipckit_shm_sleep, bench_ipckit_sem_pv, bench_ipckit_sem_pv_undo,
	bench_ipckit_shm_bw, bench_ipckit_shm_cycle;

/* registry.c: every mechanism built in, in the order of the table. */
extern const struct bench_mech *const bench_mechs[];
extern const int bench_nmechs;
/* Mechanisms left out of this build, each with why ("" ends the list). */
extern const char *const bench_unbuilt[];

/* ------------------------------------------------------------------------ */
/*  Results (filled by run.c, reported by report.c and svg.c)              */
/* ------------------------------------------------------------------------ */

#define BENCH_MAX_RUNS 15

enum bench_mode {
	BENCH_MODE_RTT,	   /* figure: median round trip, ns */
	BENCH_MODE_STREAM, /* figure: messages per second */
	BENCH_MODE_OP,	   /* figure: ns per operation */
};

/* The median of repeated runs, and the lowest and highest run. */
struct bench_fig {
	double med, lo, hi;
};

struct bench_result {
	const struct bench_mech *mech;
	enum bench_mode mode;
	size_t size;	/* message bytes; 0 for ops */
	char skip[200]; /* why it was not measured, or "" */
	int nruns;
	double run[BENCH_MAX_RUNS]; /* each run's figure */
	double p99[BENCH_MAX_RUNS]; /* RTT: each run's 99th percentile */
	long count;		    /* round trips, messages or ops per run */
	long verified;		    /* messages (ops) verified, all runs */
	struct bench_fig fig;	    /* of run[] */
	struct bench_fig fig99;	    /* of p99[] */
};

/* Options and the machine, as the driver found them. */
struct bench_opts {
	bool quick, verify_only, json;
	const char *svg;      /* chart file, or NULL */
	int cpu[2];	      /* CPUs of side 0 and side 1; -1: not pinned */
	const char *only;     /* comma-separated names, or NULL */
	int runs;	      /* repeated runs per figure */
	double run_ns;	      /* how long one run lasts, roughly */
	long verify_msgs;     /* --verify-only: messages per mode */
	int trial_timeout;    /* seconds before a trial counts as hung */
	char cpu_model[128];  /* /proc/cpuinfo */
	char kernel[200];     /* uname */
	int cores;	      /* online */
	char date[32];	      /* UTC, ISO 8601 */
	double clock_ns;      /* cost of one clock read */
	double sum_ns;	      /* cost of verifying a 64 KiB message */
	const char *ipckit_spin; /* $IPCKIT_SPIN, or NULL */
};

/* The message sizes measured, smallest first. */
extern const size_t bench_sizes[];
extern const int bench_nsizes;

/*
 * run.c: one trial, which adds one run to each of its figures; round 0
 * makes the results. The driver runs every mechanism once per round, so a
 * burst of noise on the machine costs each figure one run, not all of
 * them. 0, or -1 after saying why on stderr.
 */
int bench_run_chan(const struct bench_opts *o, const struct bench_mech *m,
		   size_t size, int round, struct bench_result *rtt,
		   struct bench_result *stream);
int bench_run_op(const struct bench_opts *o, const struct bench_mech *m,
		 int round, struct bench_result *r);
/*
 * The driver blocks SIGCHLD, SIGINT, SIGTERM and SIGHUP for the whole run
 * (bench_signals_block) and waits for them between trials, so that an
 * interrupted run still removes its objects; bench_interrupted() returns
 * the interrupting signal, or 0. bench_signals_restore() puts the mask
 * back, after which a pending interrupt ends the process as it would have.
 */
void bench_signals_block(void);
void bench_signals_restore(void);
int bench_interrupted(void);

/* tree.c: removes a directory and what it holds (a private namespace). */
void bench_tree_remove(const char *path);

/* stats.c */
double bench_quantile(double *v, size_t n, double q);
void bench_fig_of(struct bench_fig *f, const double *v, int n);
/* Sets fig and fig99 from the runs. */
void bench_result_finish(struct bench_result *r);

/* report.c: the terminal table and the JSON document, on stdout. */
const struct bench_result *bench_find(const struct bench_result *r, int n,
				      const char *name, enum bench_mode mode,
				      size_t size);
bool bench_ratio(const struct bench_result *r, int n,
		 const struct bench_result *x, double *ratio);
void bench_report_table(const struct bench_opts *o,
			const struct bench_result *r, int n);
void bench_report_json(const struct bench_opts *o,
		       const struct bench_result *r, int n);
void bench_fmt_ns(char *buf, size_t len, double ns);
void bench_fmt_size(char *buf, size_t len, size_t size);

/* svg.c: the chart. 0, or -errno. */
int bench_write_svg(const char *path, const struct bench_opts *o,
		    const struct bench_result *r, int n);

/* driver.c */
int bench_main(int argc, char **argv);
__attribute__((format(printf, 1, 2))) void bench_progress(const char *fmt,
							   ...);

/* ------------------------------------------------------------------------ */
/*  Helpers for mechanisms (util.c)                                         */
/* ------------------------------------------------------------------------ */

/* Checksum of n bytes, order-sensitive; about 1.5 us for 64 KiB. */
uint32_t bench_sum(const void *p, size_t n);

/* Monotonic time in ns. */
uint64_t bench_now(void);

/* How many size-byte slots a ring in shared memory gets (2..64). */
unsigned bench_slots(size_t size);

/* Reads a number from a /proc/sys file; -errno if it cannot. */
long bench_read_sysctl(const char *path);

/*
 * A channel over file descriptors: side d writes wr[d] and the other side
 * reads rd[d]. A socketpair puts one fd in two places; attach closes each
 * fd the side does not use exactly once.
 */
struct bench_fdchan {
	int wr[2], rd[2];
	bool dgram; /* one message per datagram, else a byte stream */
};
struct bench_fdchan *bench_fd_create(void); /* all fds -1 */
int bench_fd_attach(struct bench_chan *c);
int bench_fd_send(struct bench_chan *c, void *msg);
int bench_fd_recv(struct bench_chan *c, void *buf, const void **msg);
void bench_fd_teardown(struct bench_chan *c);

#ifdef __cplusplus
}
#endif

#endif /* BENCH_H */
