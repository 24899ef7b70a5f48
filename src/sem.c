/*
 * sem.c - System V semaphore sets: semget, semop, semtimedop, semctl, with
 * the kernel's semantics (ipc/sem.c) on a set file in the namespace.
 *
 * A set file holds the values, a journal, a table of blocked semops and a
 * table of SEM_UNDO records (layout.h, "Semaphore sets"). An uncontended
 * semop is lock, check, apply, unlock: no system call.
 *
 * Locking: h_lock guards the whole body. A waiter's w_state and w_result
 * are also read by their owner without the lock (spinning, futex); others
 * write them only under the lock; the owner writes SMA_W_SPIN ->
 * SMA_W_SLEEP (the announcement that a wake needs a system call) and
 * SMA_W_DONE -> SMA_W_FREE (taking its result) without it. s_event is a
 * futex word. Wakes happen after unlocking (struct sma_wakes collects
 * them). The per-process list of sets holding our undo records
 * (undo_list_lock) is taken inside h_lock or alone, never the reverse.
 *
 * Hand-off (the kernel's update_queue()): whoever changes values completes,
 * under the lock, every recorded waiter whose whole operation can now
 * proceed - wait-for-zero callers first, then the others in arrival order,
 * starting over after each completion, since it changed values - and only
 * then wakes them with the result. So a value given to a waiter is taken
 * before the giver returns, GETNCNT and GETZCNT count the operation that
 * blocks each waiter now, and a waiter cannot be starved by callers that
 * arrive later, all as in the kernel.
 *
 * Undo: one record per process (pid and start time) per set, in the file.
 * Applied when the process ends: by the library's destructor at exit() and
 * return from main (for the sets this program image used with SEM_UNDO),
 * and for every other end (_exit, SIGKILL, records made before an exec)
 * by whoever next finds the owner dead: a caller about to block or fail
 * with EAGAIN, a waiter checking every SMA_SLICE_MS while another process
 * holds an undo record, GETVAL, GETALL, GETNCNT, GETZCNT, GETPID,
 * IPC_STAT, SEM_STAT, semget opening the set, ipckit_gc. differs from
 * kernel: a semop that succeeds without waiting does not look for the
 * dead, so it may run before a dead holder's adjustments are applied
 * (they are then applied to the new value, clamped).
 *
 * Crash safety: see "The journal" below.
 */
#include "internal.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The kernel's compile-time constants reported by IPC_INFO. */
#define K_SEMMNU 1024000000 /* SEMMNS */
#define K_SEMMAP 1024000000 /* SEMMNS */
#define K_SEMUME 500	    /* SEMOPM */
#define K_SEMUSZ 20
#define K_SEMAEM 32767

/* Operations copied to the stack; more are copied to the heap. */
#define SMA_OPS_FAST 16
/*
 * A waiter sleeps at most this long at a time while another process holds
 * an undo record on the set, then checks the holders for death: the value
 * a killed holder had taken comes back within 2 * SMA_SLICE_MS.
 */
#define SMA_SLICE_MS 50
/* Processes remembered by one reap (each costs a /proc read). */
#define SMA_DEAD_CACHE 16
/* Pause-loops a waker watches a missed sleeper for (about 2 us). */
#define SMA_ACK_SPIN 60

_Static_assert(sizeof(struct sembuf) == sizeof(struct sma_op) &&
		       offsetof(struct sembuf, sem_op) ==
			       offsetof(struct sma_op, o_op) &&
		       offsetof(struct sembuf, sem_flg) ==
			       offsetof(struct sma_op, o_flg),
	       "struct sembuf is struct sma_op");

/*
 * Crash points for tests (ipckit__fault). SMA_FAULT costs one load and a
 * branch unless $IPCKIT_FAULT was set when this process (or, after fork,
 * child) first looked: the fast path passes four of them.
 */
static int faults_on = -1;

static void faults_after_fork(void)
{
	faults_on = -1;
}

static void undo_list_prepare(void);
static void undo_list_parent(void);

/* fork() handlers: the crash-point cache and the undo list's mutex. */
__attribute__((constructor)) static void sma_atfork_init(void)
{
	pthread_atfork(NULL, NULL, faults_after_fork);
	pthread_atfork(undo_list_prepare, undo_list_parent, undo_list_parent);
}

static bool faults_enabled(void)
{
	int on = __atomic_load_n(&faults_on, __ATOMIC_RELAXED);
	if (on < 0) {
		on = getenv("IPCKIT_FAULT") != NULL;
		__atomic_store_n(&faults_on, on, __ATOMIC_RELAXED);
	}
	return on;
}

#define SMA_FAULT(point)                                                       \
	do {                                                                   \
		if (faults_enabled())                                          \
			ipckit__fault(point);                                  \
	} while (0)

/*
 * Their names: "sem-<journal kind>-<step>", "handoff" for a semop that a
 * waker completes for a waiter.
 */
#define SMA_FAULT_HANDOFF 6
static const char *const fault_points[7][4] = {
	{"", "", "", ""},
	{"sem-semop-filled", "sem-semop-committed", "sem-semop-applying",
	 "sem-semop-applied"},
	{"sem-setval-filled", "sem-setval-committed", "sem-setval-applying",
	 "sem-setval-applied"},
	{"sem-setall-filled", "sem-setall-committed", "sem-setall-applying",
	 "sem-setall-applied"},
	{"sem-undo-filled", "sem-undo-committed", "sem-undo-applying",
	 "sem-undo-applied"},
	{"sem-rollback-filled", "sem-rollback-committed",
	 "sem-rollback-applying", "sem-rollback-applied"},
	{"sem-handoff-filled", "sem-handoff-committed", "sem-handoff-applying",
	 "sem-handoff-applied"},
};

static uint32_t fault_kind(uint32_t kind, uint32_t entry)
{
	if (kind == SMA_J_SEMOP && entry != SMA_NONE)
		return SMA_FAULT_HANDOFF;
	return kind <= SMA_J_ROLLBACK ? kind : 0;
}

/*
 * A process dies between two instructions, never inside one, and the
 * kernel makes all its stores visible before it marks the lock's owner
 * dead. So what a repairer sees is a prefix of the dead holder's stores in
 * program order; this keeps the compiler from moving stores across the
 * commit points that the order matters for.
 */
#define SMA_CRASH_FENCE() atomic_signal_fence(memory_order_seq_cst)

/*
 * Pointers into one mapped set and its sizes, all from the geometry
 * validated when this process mapped it (o->geom), never from the shared
 * body, which another process may rewrite at any time.
 */
struct sma {
	struct ipckit_obj *o;
	struct sma_body *b;
	struct sma_sem *sem;
	struct sma_scratch *scr;
	struct sma_waiter *w;
	struct sma_op *pool;
	char *undo;
	uint32_t nsems, nundo, usize;
};

/* Indices into o->geom. */
enum { G_NSEMS, G_NUNDO, G_USIZE, G_SEM, G_SCR, G_WAIT, G_POOL, G_UNDO };

/* A waiter finished under the lock, to be woken after unlocking. */
struct sma_wake {
	uint32_t i, gen;
	int32_t result;
	struct ipckit_proc_rec proc;
};

struct sma_wakes {
	uint32_t n;
	bool event;	/* bump s_event's sleepers (unrecorded waiters) */
	bool nudge;	/* wake every sleeping waiter to look again */
	struct sma_wake w[SMA_WAITERS];
};

/* ---- geometry ------------------------------------------------------------ */

struct sma_geom {
	uint32_t nsems, nundo, usize;
	uint64_t sem_off, scr_off, wait_off, pool_off, undo_off, size;
};

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* Undo records: SMA_UNDO_MAX, fewer for big sets, at least SMA_UNDO_MIN. */
static uint32_t sma_nundo(uint32_t nsems)
{
	uint64_t n = SMA_UNDO_BUDGET / (2ull * nsems);
	if (n > SMA_UNDO_MAX)
		n = SMA_UNDO_MAX;
	if (n < SMA_UNDO_MIN)
		n = SMA_UNDO_MIN;
	return (uint32_t)n;
}

static void geom_for(uint32_t nsems, struct sma_geom *g)
{
	g->nsems = nsems;
	g->nundo = sma_nundo(nsems);
	g->usize = (uint32_t)align_up(sizeof(struct sma_undo) + 2ull * nsems,
				      64);
	g->sem_off = IPCKIT_BODY_OFFSET + sizeof(struct sma_body);
	g->scr_off = g->sem_off + (uint64_t)nsems * sizeof(struct sma_sem);
	g->wait_off = align_up(g->scr_off +
				       (uint64_t)nsems *
					       sizeof(struct sma_scratch),
			       64);
	g->pool_off = g->wait_off +
		      (uint64_t)SMA_WAITERS * sizeof(struct sma_waiter);
	g->undo_off = align_up(g->pool_off + (uint64_t)SMA_POOL *
						     sizeof(struct sma_op),
			       64);
	g->size = align_up(g->undo_off + (uint64_t)g->nundo * g->usize, 4096);
}

/*
 * differs from kernel: sets of more than 65535 semaphores (possible only
 * with semmsl raised that far) cannot be made, EINVAL: sem_num could not
 * name the rest anyway.
 */
static uint64_t sma_file_size(uint64_t nsems)
{
	struct sma_geom g;
	if (nsems == 0 || nsems > SMA_NSEMS_MAX)
		return 0;
	geom_for((uint32_t)nsems, &g);
	return g.size;
}

static struct sma_body *sma_body_of(struct ipckit_obj *o)
{
	return (struct sma_body *)((char *)o->hdr + IPCKIT_BODY_OFFSET);
}

/* The offsets must be the ones s_nsems implies, inside the mapping. */
static int sma_validate(struct ipckit_obj *o)
{
	struct sma_body *b = sma_body_of(o);
	struct sma_geom g;
	if (o->size < IPCKIT_BODY_OFFSET + sizeof(*b))
		return -EINVAL;
	uint32_t nsems = b->s_nsems;
	if (nsems == 0 || nsems > SMA_NSEMS_MAX)
		return -EINVAL;
	geom_for(nsems, &g);
	if (b->s_nwait != SMA_WAITERS || b->s_npool != SMA_POOL ||
	    b->s_nundo != g.nundo || b->s_usize != g.usize ||
	    b->s_sem_off != g.sem_off || b->s_scr_off != g.scr_off ||
	    b->s_wait_off != g.wait_off || b->s_pool_off != g.pool_off ||
	    b->s_undo_off != g.undo_off || g.size > o->size)
		return -EINVAL;
	o->geom[G_NSEMS] = g.nsems;
	o->geom[G_NUNDO] = g.nundo;
	o->geom[G_USIZE] = g.usize;
	o->geom[G_SEM] = g.sem_off;
	o->geom[G_SCR] = g.scr_off;
	o->geom[G_WAIT] = g.wait_off;
	o->geom[G_POOL] = g.pool_off;
	o->geom[G_UNDO] = g.undo_off;
	return 0;
}

/* Everything else starts as zeros: values, free waiters and records. */
static int sma_init(struct ipckit_obj *o, uint64_t nsems)
{
	struct sma_body *b = sma_body_of(o);
	struct sma_geom g;
	geom_for((uint32_t)nsems, &g);
	b->s_nsems = g.nsems;
	b->s_nwait = SMA_WAITERS;
	b->s_npool = SMA_POOL;
	b->s_nundo = g.nundo;
	b->s_usize = g.usize;
	b->s_sem_off = g.sem_off;
	b->s_scr_off = g.scr_off;
	b->s_wait_off = g.wait_off;
	b->s_pool_off = g.pool_off;
	b->s_undo_off = g.undo_off;
	b->j_undo = SMA_NONE;
	b->j_entry = SMA_NONE;
	return sma_validate(o);
}

static void sma_view(struct ipckit_obj *o, struct sma *q)
{
	char *base = (char *)o->hdr;
	q->o = o;
	q->b = sma_body_of(o);
	q->sem = (struct sma_sem *)(base + o->geom[G_SEM]);
	q->scr = (struct sma_scratch *)(base + o->geom[G_SCR]);
	q->w = (struct sma_waiter *)(base + o->geom[G_WAIT]);
	q->pool = (struct sma_op *)(base + o->geom[G_POOL]);
	q->undo = base + o->geom[G_UNDO];
	q->nsems = (uint32_t)o->geom[G_NSEMS];
	q->nundo = (uint32_t)o->geom[G_NUNDO];
	q->usize = (uint32_t)o->geom[G_USIZE];
}

static uint64_t sma_units(struct ipckit_obj *o)
{
	return o->geom[G_NSEMS];
}

static struct sma_undo *undo_rec(const struct sma *q, uint32_t r)
{
	return (struct sma_undo *)(q->undo + (uint64_t)r * q->usize);
}

static bool waiter_waits(uint32_t state)
{
	return state == SMA_W_SPIN || state == SMA_W_SLEEP;
}

/*
 * A waiter's operations, or NULL if its record points outside the pool
 * (the file was damaged).
 */
static const struct sma_op *waiter_ops(const struct sma *q,
				       const struct sma_waiter *w,
				       uint32_t *n)
{
	uint32_t off = w->w_ops, len = w->w_nsops;
	if (len == 0 || off + len > SMA_POOL)
		return NULL;
	*n = len;
	return q->pool + off;
}

/* The waiter's undo record, if it is still the owner's; else NULL. */
static struct sma_undo *waiter_undo(const struct sma *q,
				    const struct sma_waiter *w)
{
	/* Read once: the file may change between a check and a use. */
	uint32_t undo = w->w_undo;
	if (undo >= q->nundo)
		return NULL;
	struct sma_undo *u = undo_rec(q, undo);
	if (atomic_load_explicit(&u->u_state, memory_order_relaxed) !=
		    SMA_U_USED ||
	    !ipckit__proc_same(&u->u_proc, &w->w_proc))
		return NULL;
	return u;
}

/*
 * Waiter slots and undo records from these bounds on are free, so scans
 * stop there: taking the lowest free slot keeps them near the number in
 * use. A bound is raised before a slot is taken (a crash between leaves it
 * too high, which is harmless) and lowered by highs_trim(). The shared
 * values are clamped: they are input.
 */
static uint32_t whigh(const struct sma *q)
{
	uint32_t h = __atomic_load_n(&q->b->s_whigh, __ATOMIC_RELAXED);
	return h < SMA_WAITERS ? h : SMA_WAITERS;
}

static uint32_t uhigh(const struct sma *q)
{
	uint32_t h = __atomic_load_n(&q->b->s_uhigh, __ATOMIC_RELAXED);
	return h < q->nundo ? h : q->nundo;
}

/*
 * Lowers the bounds past free slots and records at the top. A slot's owner
 * frees it without the lock, but only the lock's holder takes one, so what
 * is seen free here stays free. Called with h_lock held.
 */
static void highs_trim(struct sma *q)
{
	uint32_t h = whigh(q);
	while (h && atomic_load_explicit(&q->w[h - 1].w_state,
					 memory_order_relaxed) == SMA_W_FREE)
		h--;
	q->b->s_whigh = h;
	h = uhigh(q);
	while (h && atomic_load_explicit(&undo_rec(q, h - 1)->u_state,
					 memory_order_relaxed) != SMA_U_USED)
		h--;
	q->b->s_uhigh = h;
}

/* ---- the journal --------------------------------------------------------- */

/*
 * Crash safety. Any process may die between any two instructions while
 * holding h_lock, and the next locker then runs sma_repair(). Every change
 * of values, sempids, adjustments, otime and ctime goes through the
 * journal in the body, a redo log:
 *
 * 1. Compute. The new value (and adjustment) of each semaphore the change
 *    touches is written into the scratch area, one line per semaphore,
 *    with the journal's parameters (kind, sempid to write, undo record,
 *    waiter to finish, time). Nothing a reader sees has changed yet: a
 *    holder killed here leaves the set as it was (its semop never
 *    returned, so it did not happen).
 * 2. Commit: one store, j_state = SMA_J_COMMITTED.
 * 3. Apply: write each line's value and sempid (and adjustment), then
 *    what the kind adds (otime; a finished waiter's state; ctime and the
 *    cleared adjustments of SETVAL and SETALL; a freed undo record). Each
 *    store sets a field to a value computed in step 1, never adds to one,
 *    so applying twice is applying once.
 * 4. j_state = SMA_J_IDLE.
 *
 * sma_repair() finds j_state: IDLE, and the dead holder's change either
 * never started or is complete; COMMITTED, and it applies the journal
 * again, completing the change. Either way no half of a semop, of a
 * SETALL, or of an undo application is ever seen. Then it recounts the
 * derived counts (s_wcount, s_ucount, which single stores beside the
 * journal keep and a crash can leave off by one) and completes any waiter
 * that can now proceed (the dead holder may have died before its own
 * wake-up pass).
 *
 * Taking a waiter slot or an undo record commits with one store of its
 * state, after the rest of it is written; freeing one is one store. A
 * holder killed before the store leaves the slot free.
 *
 * Designs rejected: an undo log of (address, old value) pairs (a SETALL
 * on a large set, with the adjustments of every record cleared, needs a
 * log as big as the file); applying operations one by one with a progress
 * counter (an add applied twice after a crash is wrong, so every step
 * would need its own before-image); declaring the set lost after any
 * crash inside a change (a killed process would destroy everyone's set).
 */

/* Steps 2-4: commits the scratch area and applies it. */
static uint32_t journal_apply(struct sma *q);

static uint32_t journal_run(struct sma *q, uint32_t kind, uint32_t count,
			    int32_t pid, uint32_t undo, uint32_t entry)
{
	struct sma_body *b = q->b;
	b->j_kind = kind;
	b->j_count = count;
	b->j_pid = pid;
	b->j_undo = undo;
	b->j_entry = entry;
	b->j_time = ipckit__now();
	SMA_FAULT(fault_points[fault_kind(kind, entry)][0]);
	/* pairs with nothing: program order is what a repairer sees */
	atomic_store_explicit(&b->j_state, SMA_J_COMMITTED,
			      memory_order_release);
	SMA_CRASH_FENCE();
	SMA_FAULT(fault_points[fault_kind(kind, entry)][1]);
	uint32_t old = journal_apply(q);
	SMA_FAULT(fault_points[fault_kind(kind, entry)][3]);
	atomic_store_explicit(&b->j_state, SMA_J_IDLE, memory_order_release);
	SMA_CRASH_FENCE();
	return old;
}

/*
 * Marks waiter i finished with `result`; returns its previous state. The
 * result is stored before the state: its owner reads it after seeing DONE.
 */
static uint32_t waiter_finish(struct sma *q, uint32_t i, int32_t result)
{
	struct sma_waiter *w = &q->w[i];
	struct ipckit_proc_rec self;
	ipckit__self(&self);
	w->w_result = result;
	w->w_waker = self.p_pid;
	uint32_t old = atomic_exchange_explicit(&w->w_state, SMA_W_DONE,
						memory_order_acq_rel);
	if (waiter_waits(old) && q->b->s_wcount)
		q->b->s_wcount--;
	return old;
}

/*
 * Step 3, also run by sma_repair(). Returns the state the finished waiter
 * (SMA_J_SEMOP with j_entry) had before, else SMA_W_FREE. Called with
 * h_lock held; j_count, j_undo and j_entry checked by the caller or, in
 * repair, just before.
 */
static uint32_t journal_apply(struct sma *q)
{
	struct sma_body *b = q->b;
	uint32_t kind = b->j_kind, n = b->j_count, undo = b->j_undo,
		 entry = b->j_entry;
	int32_t pid = b->j_pid;
	struct sma_undo *u = undo < q->nundo ? undo_rec(q, undo) : NULL;
	uint32_t old = SMA_W_FREE;
	if (n > q->nsems)
		n = q->nsems;
	for (uint32_t i = 0; i < n; i++) {
		struct sma_scratch c = q->scr[i];
		if (c.c_num >= q->nsems)
			continue;
		q->sem[c.c_num].s_val = c.c_val;
		q->sem[c.c_num].s_pid = pid;
		if ((c.c_flags & SMA_C_ADJ) && u)
			u->u_adj[c.c_num] = c.c_adj;
		if (i == 0)
			SMA_FAULT(fault_points[fault_kind(kind, entry)][2]);
	}
	switch (kind) {
	case SMA_J_SEMOP:
		b->s_otime = b->j_time;
		/*
		 * Only a waiter still waiting: when repair redoes a journal
		 * whose waker died after finishing it, the waiter may have
		 * taken its result and freed the slot already (its owner
		 * does that without the lock). The slot cannot have been
		 * taken again: that needs the lock, whose first holder after
		 * the death runs this repair.
		 */
		if (entry < SMA_WAITERS &&
		    waiter_waits(atomic_load_explicit(&q->w[entry].w_state,
						      memory_order_acquire)))
			old = waiter_finish(q, entry, 0);
		break;
	case SMA_J_SETVAL:
	case SMA_J_SETALL:
		for (uint32_t r = 0; r < q->nundo; r++) {
			struct sma_undo *x = undo_rec(q, r);
			if (atomic_load_explicit(&x->u_state,
						 memory_order_relaxed) !=
			    SMA_U_USED)
				continue;
			if (kind == SMA_J_SETALL) {
				memset(x->u_adj, 0, 2ull * q->nsems);
				continue;
			}
			for (uint32_t i = 0; i < n; i++) {
				/* Read once: checked and used as one value. */
				uint32_t num = q->scr[i].c_num;
				if (num < q->nsems)
					x->u_adj[num] = 0;
			}
		}
		q->o->hdr->h_ctime = b->j_time;
		break;
	case SMA_J_UNDO:
		b->s_otime = b->j_time;
		if (u && atomic_exchange_explicit(&u->u_state, SMA_U_FREE,
						  memory_order_relaxed) ==
				 SMA_U_USED &&
		    b->s_ucount)
			b->s_ucount--;
		break;
	case SMA_J_ROLLBACK:
		if (entry < SMA_WAITERS)
			atomic_store_explicit(&q->w[entry].w_state,
					      SMA_W_FREE,
					      memory_order_relaxed);
		break;
	}
	return old;
}

/* ---- evaluating operations ----------------------------------------------- */

/*
 * The kernel's perform_atomic_semop(): tries `n` operations in array order
 * against the current values, as if applied one after the other, writing
 * into the scratch area the value (and, for SEM_UNDO, the adjustment in
 * record `u`) each named semaphore would end with. Changes nothing a
 * reader sees. Returns 0 when every operation can proceed (*lines lines
 * filled), 1 when operation *block must wait, -ERANGE for a value above
 * SMA_VMX or an adjustment out of range (whichever comes first in array
 * order, as the kernel), -EIDRM when the set is damaged. Called with
 * h_lock held. O(n^2) up to SMA_OPS_FAST operations, O(n) above (an index
 * on the heap).
 */
static int sma_try(struct sma *q, const struct sma_op *ops, uint32_t n,
		   struct sma_undo *u, uint32_t *lines, uint32_t *block)
{
	uint16_t *map = NULL;
	uint32_t used = 0;
	int rc = 0;
	if (n > SMA_OPS_FAST)
		map = calloc(q->nsems, sizeof(*map));
	for (uint32_t i = 0; i < n; i++) {
		uint32_t num = ops[i].o_num, k = used;
		if (num >= q->nsems) {
			rc = -EIDRM;
			break;
		}
		if (map) {
			if (map[num])
				k = map[num] - 1u;
		} else {
			for (uint32_t j = 0; j < used; j++)
				if (q->scr[j].c_num == num) {
					k = j;
					break;
				}
		}
		struct sma_scratch *c = &q->scr[k];
		if (k == used) {
			int32_t v = q->sem[num].s_val;
			if (v < 0 || v > SMA_VMX) {
				rc = -EIDRM;
				break;
			}
			c->c_num = (uint16_t)num;
			c->c_val = (uint16_t)v;
			c->c_adj = u ? u->u_adj[num] : 0;
			c->c_flags = 0;
			used++;
			if (map)
				map[num] = (uint16_t)used;
		}
		int op = ops[i].o_op;
		if (op == 0) {
			if (c->c_val) {
				*block = i;
				rc = 1;
				break;
			}
			continue;
		}
		int r = c->c_val + op;
		if (r < 0) {
			*block = i;
			rc = 1;
			break;
		}
		if (r > SMA_VMX) {
			rc = -ERANGE;
			break;
		}
		if (ops[i].o_flg & SEM_UNDO) {
			if (!u) {
				rc = -EIDRM;
				break;
			}
			int a = c->c_adj - op;
			if (a < -SMA_AEM - 1 || a > SMA_AEM) {
				rc = -ERANGE;
				break;
			}
			c->c_adj = (int16_t)a;
			c->c_flags |= SMA_C_ADJ;
		}
		c->c_val = (uint16_t)r;
	}
	free(map);
	*lines = used;
	return rc;
}

/* ---- waking -------------------------------------------------------------- */

static void wakes_init(struct sma_wakes *wk)
{
	wk->n = 0;
	wk->event = false;
	wk->nudge = false;
}

/* Notes that waiter i, finished now, must be woken if it was asleep. */
static void wakes_add(struct sma *q, struct sma_wakes *wk, uint32_t i,
		      uint32_t old, int32_t result)
{
	if (old != SMA_W_SLEEP)
		return;
	if (wk->n == SMA_WAITERS) {
		wk->nudge = true;
		return;
	}
	struct sma_wake *e = &wk->w[wk->n++];
	e->i = i;
	e->gen = q->w[i].w_gen;
	e->result = result;
	e->proc = q->w[i].w_proc;
}

/*
 * Wakes what a critical section noted, under the lock: only repair(),
 * reap() and removed() do, as the foundation calls them with h_lock held.
 * Dead sleepers are then left for the next reap.
 */
static void wakes_flush_locked(struct sma *q, struct sma_wakes *wk)
{
	for (uint32_t k = 0; k < wk->n; k++)
		ipckit__futex_wake(&q->w[wk->w[k].i].w_state, INT_MAX);
	if (wk->nudge)
		for (uint32_t i = 0; i < SMA_WAITERS; i++)
			if (atomic_load(&q->w[i].w_state) == SMA_W_SLEEP)
				ipckit__futex_wake(&q->w[i].w_state, INT_MAX);
	if (wk->event)
		ipckit__futex_wake(&q->b->s_event, INT_MAX);
	wakes_init(wk);
}

static void sma_update(struct sma *q, struct sma_wakes *wk);
static void waiter_rollback(struct sma *q, uint32_t i);
static void undo_apply(struct sma *q, uint32_t r);

/*
 * True if waiter e, woken by nobody, turns out dead. It had announced
 * sleeping but was not asleep in the kernel: either it is between the
 * announcement and the futex wait (it will find its result at once and
 * take it) or it died asleep. Watching for it to take the result for a
 * few microseconds settles the first case without a system call; /proc
 * settles the rest.
 */
static bool wake_missed_dead(struct sma *q, const struct sma_wake *e)
{
	struct sma_waiter *w = &q->w[e->i];
	for (unsigned k = 0; k < SMA_ACK_SPIN; k++) {
		if (atomic_load_explicit(&w->w_state, memory_order_relaxed) !=
			    SMA_W_DONE ||
		    w->w_gen != e->gen)
			return false;
		/* Halfway, let it run if it shares our CPU. */
		if (k == SMA_ACK_SPIN / 2)
			sched_yield();
		ipckit__cpu_relax();
	}
	return ipckit__proc_is_dead(&e->proc);
}

/*
 * Wakes what a critical section noted, after unlocking. A waiter that died
 * asleep never took what it was handed: it is given back (waiter_rollback,
 * unless others have taken it on already) and handed on. Finding it costs
 * a /proc read, paid only when a wake found nobody asleep, not per
 * hand-off.
 */
static void sma_flush(struct sma *q, struct sma_wakes *wk)
{
	for (int round = 0; round <= (int)SMA_WAITERS; round++) {
		struct sma_wake dead[8];
		uint32_t ndead = 0;
		for (uint32_t k = 0; k < wk->n; k++) {
			struct sma_wake *e = &wk->w[k];
			if (ipckit__futex_wake(&q->w[e->i].w_state, INT_MAX) ==
				    0 &&
			    e->result == 0 && ndead < 8 &&
			    wake_missed_dead(q, e))
				dead[ndead++] = *e;
		}
		if (wk->nudge)
			for (uint32_t i = 0; i < SMA_WAITERS; i++)
				if (atomic_load(&q->w[i].w_state) ==
				    SMA_W_SLEEP)
					ipckit__futex_wake(&q->w[i].w_state,
							   INT_MAX);
		if (wk->event)
			ipckit__futex_wake(&q->b->s_event, INT_MAX);
		wakes_init(wk);
		if (!ndead || ipckit__obj_lock(q->o) < 0)
			return;
		bool changed = false;
		for (uint32_t k = 0; k < ndead; k++) {
			struct sma_waiter *w = &q->w[dead[k].i];
			if (w->w_gen != dead[k].gen ||
			    atomic_load(&w->w_state) != SMA_W_DONE ||
			    w->w_result != 0 ||
			    !ipckit__proc_same(&w->w_proc, &dead[k].proc))
				continue;
			waiter_rollback(q, dead[k].i);
			/* What it took with SEM_UNDO: back by its record. */
			for (uint32_t r = 0; r < q->nundo; r++) {
				struct sma_undo *u = undo_rec(q, r);
				if (atomic_load(&u->u_state) == SMA_U_USED &&
				    ipckit__proc_same(&u->u_proc, &dead[k].proc))
					undo_apply(q, r);
			}
			changed = true;
		}
		if (changed)
			sma_update(q, wk);
		ipckit__obj_unlock(q->o);
	}
}

/* ---- waiters ------------------------------------------------------------- */

/*
 * Records a blocked semop in a free slot, its operations in a free run of
 * the pool, as SMA_W_SPIN. Returns the slot, or SMA_NONE when the
 * table or the pool is full. O(waiters^2) compares at worst (insertion
 * sorts of 128), only before blocking.
 * Called with h_lock held.
 */
static uint32_t waiter_add(struct sma *q, const struct sma_op *ops,
			   uint32_t n, uint32_t undo, uint32_t block,
			   bool alter, const struct ipckit_proc_rec *self)
{
	struct {
		uint32_t off, len;
	} runs[SMA_WAITERS];
	uint32_t slot = SMA_NONE, nruns = 0;
	if (n > SMA_POOL)
		return SMA_NONE;
	highs_trim(q);
	/* Past the bound every slot is free: stop at the first there. */
	for (uint32_t i = 0; i < SMA_WAITERS; i++) {
		struct sma_waiter *w = &q->w[i];
		if (atomic_load_explicit(&w->w_state, memory_order_acquire) ==
		    SMA_W_FREE) {
			if (slot == SMA_NONE)
				slot = i;
			if (i >= whigh(q))
				break;
			continue;
		}
		uint32_t len;
		if (waiter_ops(q, w, &len)) {
			/* Insertion sort by offset: at most SMA_WAITERS. */
			uint32_t k = nruns++;
			while (k > 0 && runs[k - 1].off > w->w_ops) {
				runs[k] = runs[k - 1];
				k--;
			}
			runs[k].off = w->w_ops;
			runs[k].len = len;
		}
	}
	if (slot == SMA_NONE)
		return SMA_NONE;
	uint32_t pos = 0;
	for (uint32_t k = 0; k < nruns && runs[k].off < pos + n; k++)
		if (runs[k].off + runs[k].len > pos)
			pos = runs[k].off + runs[k].len;
	if (pos + n > SMA_POOL)
		return SMA_NONE;
	struct sma_waiter *w = &q->w[slot];
	memcpy(q->pool + pos, ops, n * sizeof(*ops));
	w->w_result = 0;
	w->w_proc = *self;
	w->w_seq = q->b->s_seq++;
	w->w_gen = ++q->b->s_gen;
	w->w_ops = (uint16_t)pos;
	w->w_nsops = (uint16_t)n;
	w->w_undo = undo;
	w->w_block = (uint16_t)block;
	w->w_flags = alter ? SMA_WF_ALTER : 0;
	w->w_waker = 0;
	if (slot >= q->b->s_whigh)
		q->b->s_whigh = slot + 1;
	SMA_FAULT("sem-waiter-filled");
	atomic_store_explicit(&w->w_state, SMA_W_SPIN, memory_order_release);
	SMA_CRASH_FENCE();
	q->b->s_wcount++;
	return slot;
}

/* Frees a waiting (not finished) slot. Called with h_lock held. */
static void waiter_del(struct sma *q, uint32_t i)
{
	uint32_t old = atomic_exchange_explicit(&q->w[i].w_state, SMA_W_FREE,
						memory_order_acq_rel);
	if (waiter_waits(old) && q->b->s_wcount)
		q->b->s_wcount--;
}

/*
 * Re-evaluates waiter i against the current values and completes it if
 * its whole operation can run (through the journal, as its own semop
 * would), or fails it (ERANGE; EAGAIN when the operation that blocks it
 * now has IPC_NOWAIT; EIDRM for a damaged record). Returns 0
 * when it completed, 1 when it still waits (its blocking operation
 * updated, for GETNCNT and GETZCNT), < 0 when it failed. Called with
 * h_lock held.
 */
static int waiter_try(struct sma *q, uint32_t i, struct sma_wakes *wk)
{
	struct sma_waiter *w = &q->w[i];
	uint32_t n, lines, block;
	const struct sma_op *ops = waiter_ops(q, w, &n);
	struct sma_undo *u = waiter_undo(q, w);
	int rc = ops ? sma_try(q, ops, n, u, &lines, &block) : -EIDRM;
	/* Blocked now by an operation with IPC_NOWAIT: EAGAIN (kernel). */
	if (rc == 1 && (ops[block].o_flg & IPC_NOWAIT))
		rc = -EAGAIN;
	if (rc == 1) {
		w->w_block = (uint16_t)block;
		return 1;
	}
	uint32_t old;
	if (rc < 0)
		old = waiter_finish(q, i, rc);
	else
		old = journal_run(q, SMA_J_SEMOP, lines, w->w_proc.p_pid,
				  u ? w->w_undo : SMA_NONE, i);
	wakes_add(q, wk, i, old, rc);
	return rc;
}

/*
 * The kernel's do_smart_update() and update_queue(), for every recorded
 * waiter: completes, under the lock, each whose whole operation can now
 * proceed - those that only wait for zero first, then the others in
 * arrival order - and starts over after each completion that changed
 * values, until a round completes nobody. Called with h_lock held after
 * any change of values.
 *
 * Cost: O(waiters x their operations) per round, and a round per
 * completion: one round over every waiter for each change made while
 * anyone waits, O(waiters^2) at worst when a change lets many through.
 */
static void sma_update(struct sma *q, struct sma_wakes *wk)
{
	struct sma_body *b = q->b;
	if (b->s_unrec) {
		atomic_fetch_add_explicit(&b->s_event, 1, memory_order_release);
		wk->event = true;
	}
	if (!b->s_wcount)
		return;
	uint32_t order[SMA_WAITERS], n = 0;
	for (uint32_t i = 0; i < whigh(q); i++) {
		if (!waiter_waits(atomic_load_explicit(&q->w[i].w_state,
						       memory_order_relaxed)))
			continue;
		/* Insertion sort by arrival; w_seq wraps, so compare deltas. */
		uint32_t k = n++;
		while (k > 0 && (int32_t)(q->w[order[k - 1]].w_seq -
					  q->w[i].w_seq) > 0) {
			order[k] = order[k - 1];
			k--;
		}
		order[k] = i;
	}
	for (uint32_t round = 0; round <= SMA_WAITERS; round++) {
		bool again = false;
		for (uint32_t alter = 0; alter < 2 && !again; alter++) {
			for (uint32_t k = 0; k < n; k++) {
				struct sma_waiter *w = &q->w[order[k]];
				if (!waiter_waits(atomic_load_explicit(
					    &w->w_state,
					    memory_order_relaxed)) ||
				    !(w->w_flags & SMA_WF_ALTER) != !alter)
					continue;
				if (waiter_try(q, order[k], wk) == 0 && alter) {
					again = true;
					break;
				}
			}
		}
		if (!again)
			break;
	}
}

/*
 * A waiter that died before it took what it was handed (found by
 * sma_flush() or a reap): its semop never returned, so it did not happen.
 * What it took without SEM_UNDO is given back; what it took with SEM_UNDO
 * is in its undo record, which the reap of its dead owner gives back.
 * sempid of those semaphores names the process that handed it on (the
 * kernel would show that process, not the dead one, had the waiter died
 * first).
 *
 * Unless that cannot be done exactly: what the semop added may have been
 * taken since (the pass that completed it went on to the waiters it let
 * through, and they may have returned), so that giving it back needs a
 * value below 0, or above SMA_VMX for what it took. Clamped, the set
 * would gain or lose units nobody gave or took. The semop then stands, as
 * if its owner had died just after it returned, which the kernel allows
 * too; only the slot is freed (one store: a crash before it leaves the
 * decision to the next reap). Called with h_lock held.
 */
static void waiter_rollback(struct sma *q, uint32_t i)
{
	struct sma_waiter *w = &q->w[i];
	uint32_t n = 0, lines = 0;
	const struct sma_op *ops = waiter_ops(q, w, &n);
	for (uint32_t k = 0; ops && k < n; k++) {
		uint32_t num = ops[k].o_num, j;
		if (num >= q->nsems || (ops[k].o_flg & SEM_UNDO) ||
		    !ops[k].o_op)
			continue;
		for (j = 0; j < lines && q->scr[j].c_num != num; j++)
			;
		if (j < lines)
			continue;
		int32_t v = q->sem[num].s_val;
		for (uint32_t m = k; m < n; m++)
			if (ops[m].o_num == num && !(ops[m].o_flg & SEM_UNDO))
				v -= ops[m].o_op;
		if (v < 0 || v > SMA_VMX) {
			atomic_store_explicit(&w->w_state, SMA_W_FREE,
					      memory_order_release);
			return;
		}
		q->scr[lines].c_num = (uint16_t)num;
		q->scr[lines].c_val = (uint16_t)v;
		q->scr[lines].c_adj = 0;
		q->scr[lines].c_flags = 0;
		lines++;
	}
	journal_run(q, SMA_J_ROLLBACK, lines, w->w_waker, SMA_NONE, i);
}

/* ---- undo records -------------------------------------------------------- */

/*
 * Applies undo record r of a process that has ended, as the kernel's
 * exit_sem(): each adjustment added to its value, clamped to [0, SMA_VMX]
 * (Linux caps both ways), sempid set to the owner, otime to now; then the
 * record is free. One journal entry: a crash half-way is redone. Called
 * with h_lock held; the caller runs sma_update() after.
 */
static void undo_apply(struct sma *q, uint32_t r)
{
	struct sma_undo *u = undo_rec(q, r);
	uint32_t lines = 0;
	for (uint32_t num = 0; num < q->nsems; num++) {
		int32_t a = u->u_adj[num];
		if (!a)
			continue;
		int32_t v = q->sem[num].s_val + a;
		q->scr[lines].c_num = (uint16_t)num;
		q->scr[lines].c_val =
			(uint16_t)(v < 0 ? 0 : v > SMA_VMX ? SMA_VMX : v);
		q->scr[lines].c_adj = 0;
		q->scr[lines].c_flags = 0;
		lines++;
	}
	journal_run(q, SMA_J_UNDO, lines, u->u_proc.p_pid, r, SMA_NONE);
}

/*
 * Per process: the sets where this process may hold an undo record, for
 * the destructor to apply at exit. Only grows (a removed set is skipped
 * then); reset in a child, whose records are its own.
 */
static pthread_mutex_t undo_list_lock = PTHREAD_MUTEX_INITIALIZER;
static int *undo_ids;
static uint32_t undo_nids, undo_cap;
static int32_t undo_pid;

/* fork() while another thread holds the list's mutex: the child's is free. */
static void undo_list_prepare(void)
{
	pthread_mutex_lock(&undo_list_lock);
}

static void undo_list_parent(void)
{
	pthread_mutex_unlock(&undo_list_lock);
}

static void undo_note(int id)
{
	struct ipckit_proc_rec self;
	ipckit__self(&self);
	pthread_mutex_lock(&undo_list_lock);
	if (undo_pid != self.p_pid) {
		undo_nids = 0;
		undo_pid = self.p_pid;
	}
	uint32_t k;
	for (k = 0; k < undo_nids && undo_ids[k] != id; k++)
		;
	if (k == undo_nids) {
		if (undo_nids == undo_cap) {
			uint32_t cap = undo_cap ? 2 * undo_cap : 16;
			int *p = realloc(undo_ids, cap * sizeof(*p));
			if (p) {
				undo_ids = p;
				undo_cap = cap;
			}
		}
		/* Out of memory: the record is applied at death instead. */
		if (undo_nids < undo_cap)
			undo_ids[undo_nids++] = id;
	}
	pthread_mutex_unlock(&undo_list_lock);
}

/*
 * Per process: the last undo record found for each slot, as (id << 32 |
 * record), so the fast path finds its record without a scan. A hint is
 * only a hint: it is checked against the record's owner under the lock.
 */
static _Atomic uint64_t undo_hint[IPCKIT_SLOTS];

static void hint_set(const struct sma *q, uint32_t r)
{
	if (q->o->slot >= 0 && q->o->slot < IPCKIT_SLOTS)
		atomic_store_explicit(&undo_hint[q->o->slot],
				      (uint64_t)(uint32_t)q->o->id << 32 | r,
				      memory_order_relaxed);
}

/* True if a process other than `self` holds an undo record on the set. */
static bool undo_others(const struct sma *q,
			const struct ipckit_proc_rec *self)
{
	for (uint32_t r = 0; r < uhigh(q); r++) {
		struct sma_undo *u = undo_rec(q, r);
		if (atomic_load_explicit(&u->u_state, memory_order_relaxed) ==
			    SMA_U_USED &&
		    !ipckit__proc_same(&u->u_proc, self))
			return true;
	}
	return false;
}

/* Deaths already looked up in /proc during one reap. */
struct dead_cache {
	uint32_t n;
	struct {
		struct ipckit_proc_rec p;
		bool dead;
	} e[SMA_DEAD_CACHE];
};

static bool is_dead(struct dead_cache *c, const struct ipckit_proc_rec *p)
{
	for (uint32_t k = 0; k < c->n; k++)
		if (ipckit__proc_same(&c->e[k].p, p))
			return c->e[k].dead;
	bool dead = ipckit__proc_is_dead(p);
	if (c->n < SMA_DEAD_CACHE) {
		c->e[c->n].p = *p;
		c->e[c->n].dead = dead;
		c->n++;
	}
	return dead;
}

/* True if record u adjusts a semaphore that one of `ops` names. */
static bool undo_touches(const struct sma *q, const struct sma_undo *u,
			 const struct sma_op *ops, uint32_t n)
{
	for (uint32_t k = 0; k < n; k++)
		if (ops[k].o_num < q->nsems && u->u_adj[ops[k].o_num])
			return true;
	return false;
}

/*
 * Gives back what dead processes hold in the set. With ops == NULL, all of
 * it: waiter slots (a finished one whose owner never took its result is
 * rolled back), and undo records, applied. With ops, only what can keep
 * those operations blocked: undo records adjusting a semaphore they name,
 * and finished waiters not taken. Then completes the waiters that can now
 * proceed. Returns how many holdings it gave back. Called with h_lock
 * held. Costs a /proc read per other process examined.
 */
static int sma_reap(struct sma *q, const struct sma_op *ops, uint32_t n,
		    const struct ipckit_proc_rec *self, struct sma_wakes *wk)
{
	struct dead_cache dc = {.n = 0};
	int reaped = 0;
	for (uint32_t i = 0; i < whigh(q); i++) {
		struct sma_waiter *w = &q->w[i];
		uint32_t st = atomic_load_explicit(&w->w_state,
						   memory_order_acquire);
		if (st == SMA_W_FREE || ipckit__proc_same(&w->w_proc, self) ||
		    (ops && st != SMA_W_DONE) || !is_dead(&dc, &w->w_proc))
			continue;
		/*
		 * Again, now that the owner is known dead: while /proc was
		 * read it may have taken its result (DONE -> FREE needs no
		 * lock), returned 0, and died waiting for our lock. Rolled
		 * back on the state read before, a semop that returned 0
		 * would be undone. A dead owner's state is final.
		 */
		st = atomic_load_explicit(&w->w_state, memory_order_acquire);
		if (st == SMA_W_FREE)
			continue;
		if (st == SMA_W_DONE && w->w_result == 0)
			waiter_rollback(q, i);
		else
			waiter_del(q, i);
		reaped++;
	}
	for (uint32_t r = 0; r < uhigh(q); r++) {
		struct sma_undo *u = undo_rec(q, r);
		if (atomic_load_explicit(&u->u_state, memory_order_relaxed) !=
			    SMA_U_USED ||
		    ipckit__proc_same(&u->u_proc, self) ||
		    (ops && !undo_touches(q, u, ops, n)) ||
		    !is_dead(&dc, &u->u_proc))
			continue;
		undo_apply(q, r);
		reaped++;
	}
	if (reaped) {
		highs_trim(q);
		sma_update(q, wk);
	}
	return reaped;
}

/*
 * When the table is full: records of dead processes are applied and
 * freed; records of live ones with nothing to undo and no waiter using
 * them are freed too (an all-zero record and no record mean the same; the
 * owner takes another when it next needs one). Called with h_lock held.
 */
static void undo_reclaim(struct sma *q, const struct ipckit_proc_rec *self,
			 struct sma_wakes *wk)
{
	sma_reap(q, NULL, 0, self, wk);
	for (uint32_t r = 0; r < q->nundo; r++) {
		struct sma_undo *u = undo_rec(q, r);
		if (atomic_load_explicit(&u->u_state, memory_order_relaxed) !=
		    SMA_U_USED)
			continue;
		bool zero = true, referenced = false;
		for (uint32_t num = 0; num < q->nsems && zero; num++)
			zero = !u->u_adj[num];
		for (uint32_t i = 0; i < SMA_WAITERS && zero && !referenced;
		     i++)
			referenced = atomic_load(&q->w[i].w_state) !=
					     SMA_W_FREE &&
				     q->w[i].w_undo == r;
		if (zero && !referenced) {
			atomic_store_explicit(&u->u_state, SMA_U_FREE,
					      memory_order_relaxed);
			if (q->b->s_ucount)
				q->b->s_ucount--;
		}
	}
}

/*
 * This process's undo record on the set, found through the hint, else by
 * a scan, else taken (kernel's find_alloc_undo()). -ENOMEM when the table
 * is full even after reclaiming, as the kernel's allocation can fail.
 * Waiters asleep when a new record appears are nudged: they now sleep in
 * slices, since its owner may die holding what they wait for. Called with
 * h_lock held.
 */
static int undo_get(struct sma *q, const struct ipckit_proc_rec *self,
		    uint32_t *out, struct sma_wakes *wk)
{
	uint32_t r = SMA_NONE;
	if (q->o->slot >= 0 && q->o->slot < IPCKIT_SLOTS) {
		uint64_t h = atomic_load_explicit(&undo_hint[q->o->slot],
						  memory_order_relaxed);
		if ((uint32_t)(h >> 32) == (uint32_t)q->o->id)
			r = (uint32_t)h;
	}
	if (r < q->nundo) {
		struct sma_undo *u = undo_rec(q, r);
		if (atomic_load_explicit(&u->u_state, memory_order_relaxed) ==
			    SMA_U_USED &&
		    ipckit__proc_same(&u->u_proc, self)) {
			*out = r;
			return 0;
		}
	}
	uint32_t free_r = SMA_NONE;
	for (r = 0; r < q->nundo; r++) {
		struct sma_undo *u = undo_rec(q, r);
		uint32_t st = atomic_load_explicit(&u->u_state,
						   memory_order_relaxed);
		if (st == SMA_U_USED && ipckit__proc_same(&u->u_proc, self))
			break;
		if (st != SMA_U_USED && free_r == SMA_NONE)
			free_r = r;
	}
	if (r == q->nundo) {
		if (free_r == SMA_NONE) {
			undo_reclaim(q, self, wk);
			for (r = 0; r < q->nundo; r++)
				if (atomic_load(&undo_rec(q, r)->u_state) !=
				    SMA_U_USED)
					break;
			if (r == q->nundo)
				return -ENOMEM;
			free_r = r;
		}
		r = free_r;
		struct sma_undo *u = undo_rec(q, r);
		u->u_proc = *self;
		memset(u->u_adj, 0, 2ull * q->nsems);
		if (r >= q->b->s_uhigh)
			q->b->s_uhigh = r + 1;
		SMA_FAULT("sem-undo-taken");
		atomic_store_explicit(&u->u_state, SMA_U_USED,
				      memory_order_release);
		SMA_CRASH_FENCE();
		q->b->s_ucount++;
		if (q->b->s_wcount || q->b->s_unrec) {
			wk->nudge = true;
			wk->event = q->b->s_unrec != 0;
			atomic_fetch_add(&q->b->s_event, 1);
		}
	}
	hint_set(q, r);
	undo_note(q->o->id);
	*out = r;
	return 0;
}

/* ---- kind operations ----------------------------------------------------- */

/*
 * After a holder died inside its critical section (crash safety: "The
 * journal" above). A committed journal is applied again; an idle one means
 * nothing was half-done. Then the derived counts are recounted from the
 * waiter slots and undo records, the waiters that can proceed are
 * completed, and every waiter is woken to look again - under the lock,
 * since the foundation calls this with it held; it happens once per crash.
 * A journal whose fields are out of range declares the set lost (-EIDRM).
 */
static int sma_repair(struct ipckit_obj *o)
{
	struct sma q;
	struct sma_wakes wk;
	if (sma_validate(o) < 0)
		return -EIDRM;
	sma_view(o, &q);
	wakes_init(&wk);
	struct sma_body *b = q.b;
	uint32_t st = atomic_load(&b->j_state);
	if (st == SMA_J_COMMITTED) {
		if (b->j_kind < SMA_J_SEMOP || b->j_kind > SMA_J_ROLLBACK ||
		    b->j_count > q.nsems ||
		    (b->j_undo != SMA_NONE && b->j_undo >= q.nundo) ||
		    (b->j_entry != SMA_NONE && b->j_entry >= SMA_WAITERS))
			return -EIDRM;
		journal_apply(&q);
	} else if (st != SMA_J_IDLE) {
		return -EIDRM;
	}
	atomic_store(&b->j_state, SMA_J_IDLE);
	uint32_t waiting = 0, used = 0;
	for (uint32_t i = 0; i < SMA_WAITERS; i++) {
		uint32_t s = atomic_load(&q.w[i].w_state);
		if (s > SMA_W_DONE)
			atomic_store(&q.w[i].w_state, SMA_W_FREE);
		else if (waiter_waits(s))
			waiting++;
	}
	for (uint32_t r = 0; r < q.nundo; r++) {
		struct sma_undo *u = undo_rec(&q, r);
		uint32_t s = atomic_load(&u->u_state);
		if (s != SMA_U_USED && s != SMA_U_FREE)
			atomic_store(&u->u_state, SMA_U_FREE);
		else if (s == SMA_U_USED)
			used++;
	}
	b->s_wcount = waiting;
	b->s_ucount = used;
	b->s_whigh = SMA_WAITERS;
	b->s_uhigh = q.nundo;
	highs_trim(&q);
	sma_update(&q, &wk);
	wk.nudge = true;
	wk.event = true;
	for (uint32_t i = 0; i < SMA_WAITERS; i++)
		if (atomic_load(&q.w[i].w_state) == SMA_W_DONE)
			ipckit__futex_wake(&q.w[i].w_state, INT_MAX);
	wakes_flush_locked(&q, &wk);
	return 0;
}

/* ipckit_gc and the foundation's reaps. Called with h_lock held. */
static int sma_reap_all(struct ipckit_obj *o)
{
	struct sma q;
	struct sma_wakes wk;
	struct ipckit_proc_rec self;
	sma_view(o, &q);
	wakes_init(&wk);
	ipckit__self(&self);
	int n = sma_reap(&q, NULL, 0, &self, &wk);
	wakes_flush_locked(&q, &wk);
	return n;
}

/* Called with h_lock held once the set is removed: EIDRM to everyone. */
static void sma_removed(struct ipckit_obj *o)
{
	struct sma q;
	sma_view(o, &q);
	for (uint32_t i = 0; i < SMA_WAITERS; i++) {
		if (!waiter_waits(atomic_load(&q.w[i].w_state)))
			continue;
		waiter_finish(&q, i, -EIDRM);
		ipckit__futex_wake(&q.w[i].w_state, INT_MAX);
	}
	atomic_fetch_add(&q.b->s_event, 1);
	ipckit__futex_wake(&q.b->s_event, INT_MAX);
}

/*
 * semget on an existing set: more semaphores than it has is EINVAL. The
 * opener also gives back what dead processes hold in it.
 */
static int sma_check_open(struct ipckit_obj *o, uint64_t nsems)
{
	if (nsems > o->geom[G_NSEMS])
		return -EINVAL;
	ipckit__reap_obj(o);
	return 0;
}

const struct ipckit_kind_ops ipckit__sem_ops = {
	.name = "sem",
	.file_size = sma_file_size,
	.ctl_size = sma_file_size,
	.init = sma_init,
	.validate = sma_validate,
	.check_open = sma_check_open,
	.units = sma_units,
	.repair = sma_repair,
	.reap = sma_reap_all,
	.removed = sma_removed,
};

/* ---- semget -------------------------------------------------------------- */

IPCKIT_EXPORT int ipckit_semget(key_t key, int nsems, int semflg)
{
	const struct ipckit_ns *ns;
	int rc = ipckit__ns(&ns);
	if (rc < 0)
		return (int)ipckit__ret(rc);
	if (nsems < 0 || (uint32_t)nsems > ns->lim.semmsl)
		return (int)ipckit__ret(-EINVAL);
	/* semmns binds only if semmni sets of semmsl could pass it. */
	uint64_t max = ns->lim.semmns;
	if ((uint64_t)ns->lim.semmni * ns->lim.semmsl <= max)
		max = 0;
	rc = ipckit__get(IPCKIT_KIND_SEM, key, semflg, (uint64_t)nsems,
			 (uint64_t)nsems, max);
	return (int)ipckit__ret(rc);
}

/* ---- semop --------------------------------------------------------------- */

/*
 * Without undo holders to watch, a waiter still looks up every second: a
 * remover killed between marking the set removed and waking its waiters
 * must not leave them asleep. Death detection, not a cover for lost wakes.
 */
#define SMA_SLICE_IDLE_MS 1000


/*
 * Waits until waiter slot w is finished. Spins first (no system call),
 * then announces SMA_W_SLEEP and sleeps on the slot's own futex word.
 * `slices`: sleep at most SMA_SLICE_MS at a time, because another process
 * holds an undo record and may die holding what we wait for (the caller
 * then reaps and waits again) - death detection, not a cover for lost
 * wakes. Returns 0 when finished, -ETIMEDOUT at the deadline, -EAGAIN
 * when the caller should look again (end of a slice, a nudge), -EINTR
 * after a signal handler, -EIDRM if the mapping became unusable.
 */
static int waiter_wait(struct sma_waiter *w, const struct timespec *deadline,
		       bool slices)
{
	unsigned spin = ipckit__spin_limit();
	for (unsigned k = 0; k < spin; k++) {
		if (atomic_load_explicit(&w->w_state, memory_order_acquire) ==
		    SMA_W_DONE)
			return 0;
		ipckit__cpu_relax();
	}
	uint32_t expected = SMA_W_SPIN;
	if (!atomic_compare_exchange_strong(&w->w_state, &expected,
					    SMA_W_SLEEP) &&
	    expected != SMA_W_SLEEP)
		/* DONE, or the slot was taken from us: a damaged file. */
		return expected == SMA_W_DONE ? 0 : -EIDRM;
	struct timespec slice;
	const struct timespec *until = ipckit__slice_until(
		deadline, &slice, slices ? SMA_SLICE_MS : SMA_SLICE_IDLE_MS);
	int rc = ipckit__futex_wait(&w->w_state, SMA_W_SLEEP, until);
	if (atomic_load_explicit(&w->w_state, memory_order_acquire) ==
	    SMA_W_DONE)
		return 0;
	if (rc == 0)
		return -EAGAIN;
	if (rc == -ETIMEDOUT && until != deadline)
		return -EAGAIN;
	return rc;
}

/* The rest of sma_block(): waits on slot i. Same locking. */
static int sma_wait_recorded(struct sma *q, struct sma_waiter *w, uint32_t i,
			     const struct sma_op *ops, uint32_t n,
			     const struct ipckit_proc_rec *self,
			     const struct timespec *deadline,
			     struct sma_wakes *wk)
{
	struct ipckit_obj *o = q->o;
	bool slices = undo_others(q, self);
	ipckit__obj_unlock(o);
	sma_flush(q, wk);
	int rc;
	for (;;) {
		rc = waiter_wait(w, deadline, slices);
		if (rc == 0)
			break;
		int lrc = ipckit__obj_lock(o);
		if (lrc < 0)
			return lrc;
		if (atomic_load_explicit(&w->w_state, memory_order_acquire) ==
		    SMA_W_DONE) {
			ipckit__obj_unlock(o);
			break;
		}
		if (rc == -EAGAIN) {
			/* A slice ended or a record appeared: reap, re-arm. */
			sma_reap(q, ops, n, self, wk);
			slices = undo_others(q, self);
			ipckit__obj_unlock(o);
			sma_flush(q, wk);
			continue;
		}
		waiter_del(q, i);
		ipckit__obj_unlock(o);
		return rc == -ETIMEDOUT ? -EAGAIN : rc;
	}
	rc = w->w_result;
	/* The acknowledgement: the slot is free again once read. */
	atomic_store_explicit(&w->w_state, SMA_W_FREE, memory_order_release);
	return rc;
}


/*
 * Every waiter slot (or the pool) is taken: wait unrecorded, on s_event,
 * which every change of values bumps while s_unrec > 0, and try again
 * each time. Correct, but not counted by GETNCNT/GETZCNT and not served in
 * arrival order (differs from kernel; needs SMA_WAITERS blocked callers on
 * one set). s_unrec is a count a killed waiter leaves too high: that costs
 * only futex wakes nobody needs. Called with h_lock held; returns with it
 * released.
 */
static int sma_block_unrecorded(struct sma *q, const struct sma_op *ops,
				uint32_t n, uint32_t undo, bool alter,
				const struct ipckit_proc_rec *self,
				const struct timespec *deadline,
				struct sma_wakes *wk)
{
	struct ipckit_obj *o = q->o;
	struct sma_body *b = q->b;
	int rc;
	b->s_unrec++;
	for (;;) {
		uint32_t seen = atomic_load_explicit(&b->s_event,
						     memory_order_acquire);
		bool slices = undo_others(q, self);
		ipckit__obj_unlock(o);
		sma_flush(q, wk);
		struct timespec slice;
		const struct timespec *until = ipckit__slice_until(
			deadline, &slice,
			slices ? SMA_SLICE_MS : SMA_SLICE_IDLE_MS);
		int wrc = ipckit__futex_wait(&b->s_event, seen, until);
		rc = ipckit__obj_lock(o);
		if (rc < 0)
			return rc;
		uint32_t lines, block;
		struct sma_undo *u = undo < q->nundo ? undo_rec(q, undo) : NULL;
		rc = sma_try(q, ops, n, u, &lines, &block);
		if (rc == 0) {
			journal_run(q, SMA_J_SEMOP, lines, self->p_pid, undo,
				    SMA_NONE);
			if (alter)
				sma_update(q, wk);
			break;
		}
		if (rc < 0)
			break;
		if (wrc == -EINTR || wrc == -EIDRM) {
			rc = wrc;
			break;
		}
		if (wrc == -ETIMEDOUT && deadline &&
		    ipckit__expired(deadline)) {
			rc = -EAGAIN;
			break;
		}
		if (wrc == -ETIMEDOUT)
			sma_reap(q, ops, n, self, wk);
	}
	if (b->s_unrec)
		b->s_unrec--;
	ipckit__obj_unlock(o);
	sma_flush(q, wk);
	return rc;
}

/*
 * Blocks a semop that cannot proceed: records it, unlocks, waits for a
 * waker to complete it (or fail it), and returns its result. Called with
 * h_lock held; returns with it released and the wakes flushed.
 */
static int sma_block(struct sma *q, const struct sma_op *ops, uint32_t n,
		     uint32_t undo, uint32_t block, bool alter,
		     const struct ipckit_proc_rec *self,
		     const struct timespec *deadline, struct sma_wakes *wk)
{
	struct ipckit_obj *o = q->o;
	/*
	 * Recorded as spinning even when spinning is off: it announces
	 * sleeping just before its futex wait, so a waker that comes first
	 * needs no system call, and one that comes between the announcement
	 * and the sleep is rare (sma_flush pays a check for it).
	 */
	uint32_t i = waiter_add(q, ops, n, undo, block, alter, self);
	/*
	 * Our own reference while we sleep: the thread's cached one goes if
	 * a signal handler uses another set meanwhile.
	 */
	atomic_fetch_add(&o->refs, 1);
	int rc = i == SMA_NONE
			 ? sma_block_unrecorded(q, ops, n, undo, alter, self,
						deadline, wk)
			 : sma_wait_recorded(q, &q->w[i], i, ops, n, self,
					     deadline, wk);
	ipckit__obj_put(o);
	return rc;
}

/*
 * Per thread: the set of the last semop, with a reference, so that the
 * fast path skips the handle table's mutex and reference count (a quarter
 * of an uncontended semop). h_removed is checked on every use; the
 * reference goes at the thread's exit or with the next set it uses.
 */
static _Thread_local struct {
	int id;
	struct ipckit_obj *o;
} tl_set = {-1, NULL};
static pthread_key_t tl_key;
static pthread_once_t tl_once = PTHREAD_ONCE_INIT;

static void tl_drop(void *unused)
{
	if (tl_set.o)
		ipckit__obj_put(tl_set.o);
	tl_set.o = NULL;
	tl_set.id = -1;
}

static void tl_init(void)
{
	pthread_key_create(&tl_key, tl_drop);
}

/* Set `semid`, borrowed from this thread's cache (no put). */
static int sma_get(int semid, struct ipckit_obj **out)
{
	struct ipckit_obj *o = tl_set.o;
	if (o && tl_set.id == semid &&
	    !atomic_load_explicit(&o->hdr->h_removed, memory_order_relaxed)) {
		*out = o;
		return 0;
	}
	int rc = ipckit__obj_get(IPCKIT_KIND_SEM, semid, &o);
	if (rc < 0)
		return rc;
	pthread_once(&tl_once, tl_init);
	/* Any non-NULL value, so that tl_drop runs at thread exit. */
	pthread_setspecific(tl_key, &tl_set);
	tl_drop(NULL);
	tl_set.id = semid;
	tl_set.o = o;
	*out = o;
	return 0;
}

/*
 * The semop itself, after the argument checks: the kernel's
 * __do_semtimedop() from the id lookup on. The common case takes the lock,
 * finds the undo record through the per-process hint, checks permission
 * from the handle's cache, applies through the journal, finds nobody
 * waiting and unlocks: no system call.
 */
static int sma_semop(int semid, struct sma_op *ops, uint32_t n,
		     const struct timespec *deadline)
{
	uint32_t max = 0;
	bool undos = false, alter = false;
	for (uint32_t k = 0; k < n; k++) {
		if (ops[k].o_num > max)
			max = ops[k].o_num;
		undos |= (ops[k].o_flg & SEM_UNDO) != 0;
		alter |= ops[k].o_op != 0;
	}
	/*
	 * differs from kernel: the set file's own mode backs the permission
	 * check, so a caller with no access at all cannot open it and gets
	 * EACCES here, where the kernel would first say EFBIG (or ENOMEM for
	 * a full undo table). A process that already has the set mapped (its
	 * creator, or one that had access before an IPC_SET) is unaffected.
	 */
	struct ipckit_obj *o;
	int rc = sma_get(semid, &o);
	if (rc < 0)
		return rc;
	struct sma q;
	struct sma_wakes wk;
	struct ipckit_proc_rec self;
	sma_view(o, &q);
	wakes_init(&wk);
	ipckit__self(&self);
	uint32_t undo = SMA_NONE;
	/* A semtimedop gives up on a lock a live process keeps past its
	 * timeout (stopped, say), as on the queue it waits for. */
	rc = ipckit__obj_lock_until(o, deadline);
	if (rc == -ETIMEDOUT)
		return -EAGAIN;
	if (rc < 0)
		return rc;
	/* The kernel allocates the undo record before the checks below. */
	if (undos) {
		rc = undo_get(&q, &self, &undo, &wk);
		if (rc < 0)
			goto out_unlock;
	}
	if (max >= q.nsems) {
		rc = -EFBIG;
		goto out_unlock;
	}
	rc = ipckit__perm_cached(o, alter ? 0222 : 0444);
	if (rc < 0)
		goto out_unlock;
	bool reaped = false;
	for (;;) {
		uint32_t lines, block;
		rc = sma_try(&q, ops, n, undo != SMA_NONE ? undo_rec(&q, undo)
							  : NULL,
			     &lines, &block);
		if (rc == 0) {
			journal_run(&q, SMA_J_SEMOP, lines, self.p_pid, undo,
				    SMA_NONE);
			if (alter)
				sma_update(&q, &wk);
			goto out_unlock;
		}
		if (rc < 0)
			goto out_unlock;
		/*
		 * It would block. A dead process may hold what it waits for:
		 * reap what could matter first - always before failing with
		 * EAGAIN, at most every IPCKIT_REAP_MS before sleeping.
		 */
		bool nowait = ops[block].o_flg & IPC_NOWAIT;
		if (!reaped && (nowait || ipckit__reap_due(o))) {
			reaped = true;
			if (sma_reap(&q, ops, n, &self, &wk) > 0)
				continue;
		}
		if (nowait) {
			rc = -EAGAIN;
			goto out_unlock;
		}
		return sma_block(&q, ops, n, undo, block, alter, &self,
				 deadline, &wk);
	}
out_unlock:
	ipckit__obj_unlock(o);
	if (wk.n || wk.event || wk.nudge)
		sma_flush(&q, &wk);
	return rc;
}

/*
 * The kernel's ksys_semtimedop(), do_semtimedop() and the start of
 * __do_semtimedop(): argument checks in their order - the timeout's copy,
 * nsops against semopm then 1, the operations' copy, the id's sign and the
 * timeout's value.
 */
static int sma_semtimedop(int semid, struct sembuf *usops, size_t nsops_arg,
			  const struct timespec *utimeout)
{
	struct timespec ts, deadline;
	bool has_deadline = false;
	int rc;
	if (utimeout) {
		rc = ipckit__copy_from_user(&ts, utimeout, sizeof(ts));
		if (rc < 0)
			return rc;
	}
	/* The system call's nsops is an unsigned int. */
	uint32_t n = (uint32_t)nsops_arg;
	const struct ipckit_ns *ns;
	rc = ipckit__ns(&ns);
	if (rc < 0)
		return rc;
	if (n > ns->lim.semopm)
		return -E2BIG;
	if (n < 1)
		return -EINVAL;
	struct sma_op local[SMA_OPS_FAST], *ops = local;
	if (n > SMA_OPS_FAST) {
		ops = malloc((size_t)n * sizeof(*ops));
		if (!ops)
			return -ENOMEM;
	}
	rc = ipckit__copy_from_user(ops, usops, (size_t)n * sizeof(*ops));
	if (rc == 0 && semid < 0)
		rc = -EINVAL;
	if (rc == 0 && utimeout)
		rc = ipckit__deadline(&ts, false, &deadline, &has_deadline);
	if (rc == 0)
		rc = sma_semop(semid, ops, n, has_deadline ? &deadline : NULL);
	if (ops != local)
		free(ops);
	return rc;
}

IPCKIT_EXPORT int ipckit_semop(int semid, struct sembuf *sops, size_t nsops)
{
	return (int)ipckit__ret(sma_semtimedop(semid, sops, nsops, NULL));
}

IPCKIT_EXPORT int ipckit_semtimedop(int semid, struct sembuf *sops,
				    size_t nsops,
				    const struct timespec *timeout)
{
	return (int)ipckit__ret(sma_semtimedop(semid, sops, nsops, timeout));
}

/* ---- semctl -------------------------------------------------------------- */

/* union semun, which callers define (glibc reads it the same way). */
union sma_arg {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *info;
};

/* Opens and locks set `semid`; the view in *q. */
static int sma_open_locked(int semid, struct sma *q)
{
	struct ipckit_obj *o;
	int rc = ipckit__obj_get(IPCKIT_KIND_SEM, semid, &o);
	if (rc < 0)
		return rc;
	rc = ipckit__obj_lock(o);
	if (rc < 0) {
		ipckit__obj_put(o);
		return rc;
	}
	sma_view(o, q);
	return 0;
}

static void sma_close_locked(struct sma *q, struct sma_wakes *wk)
{
	ipckit__obj_unlock(q->o);
	sma_flush(q, wk);
	ipckit__obj_put(q->o);
}

/* The kernel's semctl_info(): IPC_INFO and SEM_INFO. */
static int sma_info(int cmd, struct seminfo *buf)
{
	const struct ipckit_ns *ns;
	int rc = ipckit__ns(&ns);
	if (rc < 0)
		return rc;
	struct seminfo si;
	memset(&si, 0, sizeof(si));
	si.semmni = (int)ns->lim.semmni;
	si.semmns = (int)ns->lim.semmns;
	si.semmsl = (int)ns->lim.semmsl;
	si.semopm = (int)ns->lim.semopm;
	si.semvmx = SMA_VMX;
	si.semmnu = K_SEMMNU;
	si.semmap = K_SEMMAP;
	si.semume = K_SEMUME;
	int max = -1, count = 0;
	uint64_t units = 0;
	rc = ipckit__obj_scan(IPCKIT_KIND_SEM, &max, &count,
			      cmd == SEM_INFO ? &units : NULL);
	if (rc < 0)
		return rc;
	if (cmd == SEM_INFO) {
		si.semusz = count;
		si.semaem = units > INT32_MAX ? INT32_MAX : (int)units;
	} else {
		si.semusz = K_SEMUSZ;
		si.semaem = K_SEMAEM;
	}
	rc = ipckit__copy_to_user_checked(buf, &si, sizeof(si));
	if (rc < 0)
		return rc;
	return max < 0 ? 0 : max;
}

/*
 * The kernel's semctl_stat(): IPC_STAT by id, SEM_STAT and SEM_STAT_ANY
 * by index (taken modulo 32768, as the kernel's ipcid_to_idx()).
 * differs from kernel: SEM_STAT_ANY by a caller with no access at all
 * cannot open the file: EACCES.
 */
static int sma_stat(int semid, int cmd, struct semid_ds *buf)
{
	struct ipckit_obj *o;
	int rc = cmd == IPC_STAT
			 ? ipckit__obj_get(IPCKIT_KIND_SEM, semid, &o)
			 : ipckit__obj_get_slot(IPCKIT_KIND_SEM,
						semid % IPCKIT_SLOTS, &o);
	if (rc < 0)
		return rc;
	rc = ipckit__obj_lock(o);
	if (rc < 0) {
		ipckit__obj_put(o);
		return rc;
	}
	struct sma q;
	struct sma_wakes wk;
	struct ipckit_proc_rec self;
	sma_view(o, &q);
	wakes_init(&wk);
	ipckit__self(&self);
	struct semid_ds ds;
	int id = o->id;
	rc = cmd == SEM_STAT_ANY ? 0 : ipckit__perm(o->hdr, 0444);
	if (rc == 0) {
		sma_reap(&q, NULL, 0, &self, &wk);
		memset(&ds, 0, sizeof(ds));
		ipckit__fill_perm(o->hdr, &ds.sem_perm);
		ds.sem_otime = (time_t)q.b->s_otime;
		ds.sem_ctime = (time_t)o->hdr->h_ctime;
		ds.sem_nsems = q.nsems;
	}
	sma_close_locked(&q, &wk);
	if (rc < 0)
		return rc;
	rc = ipckit__copy_to_user_checked(buf, &ds, sizeof(ds));
	if (rc < 0)
		return rc;
	return cmd == IPC_STAT ? 0 : id;
}

/* GETNCNT (zero false) and GETZCNT: waiters blocked on semnum now. */
static int sma_count(const struct sma *q, uint32_t semnum, bool zero)
{
	int count = 0;
	for (uint32_t i = 0; i < whigh(q); i++) {
		const struct sma_waiter *w = &q->w[i];
		uint32_t n;
		if (!waiter_waits(atomic_load_explicit(&w->w_state,
						       memory_order_relaxed)))
			continue;
		const struct sma_op *ops = waiter_ops(q, w, &n);
		uint32_t blk = w->w_block; /* read once: checked, then used */
		if (!ops || blk >= n || ops[blk].o_num != semnum)
			continue;
		if (zero ? ops[blk].o_op == 0 : ops[blk].o_op < 0)
			count++;
	}
	return count;
}

/*
 * The kernel's semctl_main(): GETALL, SETALL (semnum ignored), GETVAL,
 * GETPID, GETNCNT, GETZCNT. The readers first give back what dead
 * processes hold, so they see what the kernel would. SETALL reads the
 * user's array under the lock (a system call, but the kernel's order:
 * EACCES, then EFAULT, then ERANGE) and goes through the journal.
 */
static int sma_main(int semid, int semnum, int cmd, unsigned short *array)
{
	struct sma q;
	struct sma_wakes wk;
	struct ipckit_proc_rec self;
	int rc = sma_open_locked(semid, &q);
	if (rc < 0)
		return rc;
	wakes_init(&wk);
	ipckit__self(&self);
	uint16_t *vals = NULL;
	rc = ipckit__perm(q.o->hdr, cmd == SETALL ? 0222 : 0444);
	if (rc < 0)
		goto out;
	if (cmd == GETALL || cmd == SETALL) {
		vals = malloc(2ull * q.nsems);
		if (!vals) {
			rc = -ENOMEM;
			goto out;
		}
	}
	if (cmd == SETALL) {
		rc = ipckit__copy_from_user_checked(vals, array,
						    2ull * q.nsems);
		for (uint32_t k = 0; rc == 0 && k < q.nsems; k++)
			if (vals[k] > SMA_VMX)
				rc = -ERANGE;
		if (rc < 0)
			goto out;
		for (uint32_t k = 0; k < q.nsems; k++) {
			q.scr[k].c_num = (uint16_t)k;
			q.scr[k].c_val = vals[k];
			q.scr[k].c_adj = 0;
			q.scr[k].c_flags = 0;
		}
		journal_run(&q, SMA_J_SETALL, q.nsems, self.p_pid, SMA_NONE,
			    SMA_NONE);
		sma_update(&q, &wk);
		goto out;
	}
	sma_reap(&q, NULL, 0, &self, &wk);
	if (cmd == GETALL) {
		for (uint32_t k = 0; k < q.nsems; k++) {
			int32_t v = q.sem[k].s_val;
			vals[k] = (uint16_t)(v < 0 ? 0 : v > 65535 ? 65535 : v);
		}
		goto out;
	}
	if (semnum < 0 || (uint32_t)semnum >= q.nsems) {
		rc = -EINVAL;
		goto out;
	}
	switch (cmd) {
	case GETVAL:
		rc = q.sem[semnum].s_val;
		break;
	case GETPID:
		rc = q.sem[semnum].s_pid;
		break;
	case GETNCNT:
		rc = sma_count(&q, (uint32_t)semnum, false);
		break;
	case GETZCNT:
		rc = sma_count(&q, (uint32_t)semnum, true);
		break;
	}
out:;
	uint32_t nsems = q.nsems;
	sma_close_locked(&q, &wk);
	if (rc == 0 && cmd == GETALL)
		rc = ipckit__copy_to_user_checked(array, vals, 2ull * nsems);
	free(vals);
	return rc;
}

/*
 * The kernel's semctl_setval(): ERANGE before anything else, then the id,
 * semnum, permission. Clears the semaphore's adjustment in every record.
 */
static int sma_setval(int semid, int semnum, int val)
{
	if (val < 0 || val > SMA_VMX)
		return -ERANGE;
	struct sma q;
	struct sma_wakes wk;
	struct ipckit_proc_rec self;
	int rc = sma_open_locked(semid, &q);
	if (rc < 0)
		return rc;
	wakes_init(&wk);
	ipckit__self(&self);
	if (semnum < 0 || (uint32_t)semnum >= q.nsems)
		rc = -EINVAL;
	else
		rc = ipckit__perm(q.o->hdr, 0222);
	if (rc == 0) {
		q.scr[0].c_num = (uint16_t)semnum;
		q.scr[0].c_val = (uint16_t)val;
		q.scr[0].c_adj = 0;
		q.scr[0].c_flags = 0;
		journal_run(&q, SMA_J_SETVAL, 1, self.p_pid, SMA_NONE,
			    SMA_NONE);
		sma_update(&q, &wk);
	}
	sma_close_locked(&q, &wk);
	return rc;
}

/*
 * The kernel's semctl_down(): IPC_SET and IPC_RMID, for the owner, the
 * creator or CAP_SYS_ADMIN. differs from kernel: an owner whose own class
 * the mode grants nothing cannot open the file (unless it has the set
 * mapped already), and gets EACCES where the kernel lets it through.
 */
static int sma_down(int semid, int cmd, const struct semid_ds *ds)
{
	struct ipckit_obj *o;
	int rc = ipckit__obj_get(IPCKIT_KIND_SEM, semid, &o);
	if (rc < 0)
		return rc;
	rc = ipckit__obj_lock(o);
	if (rc == 0) {
		if (cmd == IPC_RMID) {
			rc = ipckit__may_own(o->hdr);
			if (rc == 0)
				ipckit__obj_remove(o);
		} else {
			rc = ipckit__obj_set(o, &ds->sem_perm);
		}
		ipckit__obj_unlock(o);
	}
	ipckit__obj_put(o);
	return rc;
}

/*
 * The kernel's ksys_semctl(). differs from kernel: a caller with no access
 * at all to a set cannot open its file, so every command on it fails with
 * EACCES at the lookup (before SETVAL's semnum check, for one), and
 * IPC_INFO and SEM_INFO see only the sets the caller can open.
 */
static int sma_ctl(int semid, int semnum, int cmd, union sma_arg arg)
{
	struct semid_ds ds;
	int rc;
	if (semid < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case SEM_INFO:
		return sma_info(cmd, arg.info);
	case IPC_STAT:
	case SEM_STAT:
	case SEM_STAT_ANY:
		return sma_stat(semid, cmd, arg.buf);
	case GETALL:
	case GETVAL:
	case GETPID:
	case GETNCNT:
	case GETZCNT:
	case SETALL:
		return sma_main(semid, semnum, cmd, arg.array);
	case SETVAL:
		return sma_setval(semid, semnum, arg.val);
	case IPC_SET:
		rc = ipckit__copy_from_user_checked(&ds, arg.buf, sizeof(ds));
		if (rc < 0)
			return rc;
		return sma_down(semid, cmd, &ds);
	case IPC_RMID:
		return sma_down(semid, cmd, NULL);
	default:
		return -EINVAL;
	}
}

IPCKIT_EXPORT int ipckit_semctl(int semid, int semnum, int cmd, ...)
{
	union sma_arg arg = {0};
	/* Only the commands that take one read the fourth argument (glibc). */
	switch (cmd) {
	case SETVAL:
	case GETALL:
	case SETALL:
	case IPC_STAT:
	case IPC_SET:
	case SEM_STAT:
	case SEM_STAT_ANY:
	case IPC_INFO:
	case SEM_INFO: {
		va_list ap;
		va_start(ap, cmd);
		arg = va_arg(ap, union sma_arg);
		va_end(ap);
		break;
	}
	}
	return (int)ipckit__ret(sma_ctl(semid, semnum, cmd, arg));
}

/* ---- exit ---------------------------------------------------------------- */

/*
 * exit() and return from main: applies this process's undo records on
 * every set it used with SEM_UNDO (the kernel's exit_sem()), before the
 * process is gone, so a parent's waitpid() sees them applied. Every other
 * way of ending (_exit, a signal, exec into a program without ipckit) is
 * covered by the reaps of those who find the owner dead.
 */
__attribute__((destructor)) static void sma_exit(void)
{
	struct ipckit_proc_rec self;
	ipckit__self(&self);
	pthread_mutex_lock(&undo_list_lock);
	uint32_t n = undo_pid == self.p_pid ? undo_nids : 0;
	int *ids = n ? malloc(n * sizeof(*ids)) : NULL;
	if (ids)
		memcpy(ids, undo_ids, n * sizeof(*ids));
	pthread_mutex_unlock(&undo_list_lock);
	for (uint32_t k = 0; ids && k < n; k++) {
		struct sma q;
		struct sma_wakes wk;
		if (sma_open_locked(ids[k], &q) < 0)
			continue;
		wakes_init(&wk);
		for (uint32_t r = 0; r < q.nundo; r++) {
			struct sma_undo *u = undo_rec(&q, r);
			if (atomic_load(&u->u_state) == SMA_U_USED &&
			    ipckit__proc_same(&u->u_proc, &self)) {
				undo_apply(&q, r);
				sma_update(&q, &wk);
				break;
			}
		}
		sma_close_locked(&q, &wk);
	}
	free(ids);
}
