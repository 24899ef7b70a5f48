/*
 * msg.c - System V message queues: msgget, msgsnd, msgrcv, msgctl, with
 * the kernel's semantics (ipc/msg.c) on a queue file in the namespace.
 *
 * A queue file holds a fixed arena: descriptors, 64-byte payload blocks
 * and waiter records (layout.h, "Message queues"). Its capacity is fixed
 * when the queue is made: msgmnb bytes (msg_qbytes may be lowered, and
 * raised back up to that, but no further; see msq_set).
 *
 * Locking: h_lock guards the whole body. A waiter's w_state is also read
 * by its owner without the lock (spinning, futex); it is written by others
 * only under the lock, and by its owner only under the lock except the
 * WAITING -> SLEEPING step. Wakes happen after the state store; a futex
 * wake (a system call) only when the waiter had announced SLEEPING, so
 * hand-offs between spinning processes make no system call.
 *
 * Hand-off (the kernel's pipelined send): a sender that finds receivers
 * waiting gives its message to the first, in arrival order, whose selector
 * matches, as the kernel does; the message then leaves the queue list and
 * hangs off that receiver's waiter record (w_msg, d_claim) until it copies
 * it out. A waiting receiver whose buffer is too small gets E2BIG instead,
 * also as the kernel does.
 *
 * Crash model (docs/DESIGN.md): every change commits with one store of a
 * list link or a waiter state; counts, the tail and the free lists are
 * derived and rebuilt by msq_repair() after a holder dies. A message
 * leaves the queue only after it was copied to the receiver's buffer, so a
 * receiver killed before that leaves it queued.
 */
#include "internal.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

/* The kernel's compile-time constants reported by IPC_INFO. */
#define K_MSGSSZ 16
#define K_MSGSEG 0xffff
#define K_MSGMAP 16384	/* MSGMNB */
#define K_MSGPOOL 512000 /* MSGMNI * MSGMNB / 1024 */
#define K_MSGTQL 16384	/* MSGMNB */

/*
 * Pointers into one mapped queue and the array sizes, all from the
 * geometry validated when this process mapped it (o->geom), never from
 * the shared body, which another process may rewrite at any time.
 */
struct msq {
	struct ipckit_obj *o;
	struct msq_body *b;
	struct msq_desc *desc;
	uint32_t *bnext;
	uint8_t *blocks;
	struct msq_waiter *w;
	struct msq_lane *lane;
	struct msq_lane_slot *slot;
	uint32_t ndesc, nblocks, nwaiters;
};

/* Indices into o->geom. */
enum {
	G_NDESC,
	G_NBLOCKS,
	G_NWAITERS,
	G_DESC,
	G_NEXT,
	G_BLOCK,
	G_WAITER,
	G_LANE
};

/* ---- geometry ------------------------------------------------------------- */

struct msq_geom {
	uint32_t ndesc, nblocks, nwaiters;
	uint64_t desc_off, next_off, block_off, waiter_off, lane_off, size;
};

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static void geom_layout(struct msq_geom *g)
{
	g->desc_off = IPCKIT_BODY_OFFSET + sizeof(struct msq_body);
	g->next_off = g->desc_off + (uint64_t)g->ndesc * sizeof(struct msq_desc);
	g->block_off = align_up(g->next_off + 4ull * g->nblocks, 64);
	g->waiter_off = g->block_off + (uint64_t)g->nblocks * MSQ_BLOCK;
	g->lane_off = align_up(g->waiter_off + (uint64_t)g->nwaiters *
						       sizeof(struct msq_waiter),
			       64);
	g->size = align_up(g->lane_off + sizeof(struct msq_lane) +
				   (uint64_t)MSQ_LANE_SLOTS *
					   sizeof(struct msq_lane_slot),
			   4096);
}

/*
 * Sizes the arena for `cap` bytes. Queued messages number at most cap
 * (msg_qnum + 1 <= msg_qbytes); one needs blocks only above MSQ_INLINE
 * bytes, so blocks <= cap/64 + cap/9. Handed-off messages are outside
 * msg_cbytes, as in the kernel; headroom for them is one descriptor per
 * waiter and blocks for two msgmax messages, beyond which a sender waits
 * for space (docs/DESIGN.md). About 33 + 9 bytes of file per byte of cap.
 */
static void geom_for_cap(uint32_t cap, uint32_t msgmax, struct msq_geom *g)
{
	g->ndesc = cap + MSQ_WAITERS;
	g->nblocks = cap / MSQ_BLOCK + cap / (MSQ_INLINE + 1) + 1 +
		     2 * ((msgmax + MSQ_BLOCK - 1) / MSQ_BLOCK);
	g->nwaiters = MSQ_WAITERS;
	geom_layout(g);
}

static uint32_t ns_msgmax(void)
{
	const struct ipckit_ns *ns;
	return ipckit__ns(&ns) == 0 ? ns->lim.msgmax : 8192;
}

static uint64_t msq_file_size(uint64_t cap)
{
	struct msq_geom g;
	if (cap > INT32_MAX)
		return 0;
	geom_for_cap((uint32_t)cap, ns_msgmax(), &g);
	return g.size;
}

static void msq_view(struct ipckit_obj *o, struct msq *q)
{
	char *base = (char *)o->hdr;
	q->o = o;
	q->b = (struct msq_body *)(base + IPCKIT_BODY_OFFSET);
	q->desc = (struct msq_desc *)(base + o->geom[G_DESC]);
	q->bnext = (uint32_t *)(base + o->geom[G_NEXT]);
	q->blocks = (uint8_t *)(base + o->geom[G_BLOCK]);
	q->w = (struct msq_waiter *)(base + o->geom[G_WAITER]);
	q->lane = (struct msq_lane *)(base + o->geom[G_LANE]);
	q->slot = (struct msq_lane_slot *)(q->lane + 1);
	q->ndesc = (uint32_t)o->geom[G_NDESC];
	q->nblocks = (uint32_t)o->geom[G_NBLOCKS];
	q->nwaiters = (uint32_t)o->geom[G_NWAITERS];
}

/* The offsets must be the ones the counts imply, inside the mapping. */
static int msq_validate(struct ipckit_obj *o)
{
	struct msq_body *b =
		(struct msq_body *)((char *)o->hdr + IPCKIT_BODY_OFFSET);
	if (o->size < IPCKIT_BODY_OFFSET + sizeof(*b))
		return -EINVAL;
	struct msq_geom g = {.ndesc = b->q_ndesc,
			     .nblocks = b->q_nblocks,
			     .nwaiters = b->q_nwaiters};
	if (g.ndesc == 0 || g.ndesc >= MSQ_NIL || g.nblocks >= MSQ_NIL ||
	    g.nwaiters != MSQ_WAITERS || b->q_cap > INT32_MAX)
		return -EINVAL;
	geom_layout(&g);
	if (g.desc_off != b->q_desc_off || g.next_off != b->q_next_off ||
	    g.block_off != b->q_block_off || g.waiter_off != b->q_waiter_off ||
	    g.size > o->size)
		return -EINVAL;
	o->geom[G_NDESC] = g.ndesc;
	o->geom[G_NBLOCKS] = g.nblocks;
	o->geom[G_NWAITERS] = g.nwaiters;
	o->geom[G_DESC] = g.desc_off;
	o->geom[G_NEXT] = g.next_off;
	o->geom[G_BLOCK] = g.block_off;
	o->geom[G_WAITER] = g.waiter_off;
	o->geom[G_LANE] = g.lane_off;
	return 0;
}

static int msq_init(struct ipckit_obj *o, uint64_t cap)
{
	struct msq_geom g;
	struct msq q;
	geom_for_cap((uint32_t)cap, ns_msgmax(), &g);
	struct msq_body *b =
		(struct msq_body *)((char *)o->hdr + IPCKIT_BODY_OFFSET);
	b->q_qbytes = (uint32_t)cap;
	b->q_cap = (uint32_t)cap;
	b->q_ndesc = g.ndesc;
	b->q_nblocks = g.nblocks;
	b->q_nwaiters = g.nwaiters;
	b->q_desc_off = g.desc_off;
	b->q_next_off = g.next_off;
	b->q_block_off = g.block_off;
	b->q_waiter_off = g.waiter_off;
	b->q_head = b->q_tail = MSQ_NIL;
	msq_validate(o);
	msq_view(o, &q);
	for (uint32_t i = 0; i < g.ndesc; i++)
		q.desc[i].d_next = i + 1 < g.ndesc ? i + 1 : MSQ_NIL;
	for (uint32_t i = 0; i < g.nblocks; i++)
		q.bnext[i] = i + 1 < g.nblocks ? i + 1 : MSQ_NIL;
	b->q_desc_free = 0;
	b->q_block_free = g.nblocks ? 0 : MSQ_NIL;
	q.lane->l_mig_first = MSQ_NIL;
	return 0;
}

static int msq_check_open(struct ipckit_obj *o, uint64_t arg)
{
	return 0;
}

static uint64_t msq_units(struct ipckit_obj *o)
{
	return 1;
}

/* ---- descriptors and blocks ----------------------------------------------- */

static bool desc_ok(const struct msq *q, uint32_t d)
{
	return d < q->ndesc;
}

static uint32_t blocks_for(uint32_t size)
{
	return size <= MSQ_INLINE ? 0 : (size + MSQ_BLOCK - 1) / MSQ_BLOCK;
}

/*
 * Returns descriptor d's blocks and d itself to the free lists. The chain
 * goes back whole, in its order, onto the front of the free list: blocks
 * then come back out in the order they were in, usually ascending and
 * adjacent, so the next message of the same size is one run of memory,
 * copied in one piece (block_run()) and read by the other processor as a
 * stream the prefetcher follows, not 64 scattered lines.
 */
static void desc_free(struct msq *q, uint32_t d)
{
	struct msq_desc *m = &q->desc[d];
	/* First: a claim names a whole message to msq_repair(). */
	m->d_claim = 0;
	uint32_t first = m->d_block, last = MSQ_NIL, n = blocks_for(m->d_size);
	/* A damaged chain may cycle: never walk more than every block. */
	uint32_t blk = first;
	for (uint32_t i = 0; i < n && i < q->nblocks && blk < q->nblocks; i++) {
		last = blk;
		blk = q->bnext[blk];
	}
	if (last != MSQ_NIL) {
		q->bnext[last] = q->b->q_block_free;
		q->b->q_block_free = first;
	}
	m->d_block = MSQ_NIL;
	m->d_next = q->b->q_desc_free;
	q->b->q_desc_free = d;
}

/*
 * Takes a descriptor and blocks for `size` bytes. Returns the descriptor
 * or MSQ_NIL when the arena is exhausted (handed-off messages beyond the
 * headroom), or -EIDRM through *err when the free lists are damaged.
 */
static uint32_t desc_alloc(struct msq *q, uint32_t size, int *err)
{
	struct msq_body *b = q->b;
	uint32_t d = b->q_desc_free;
	*err = 0;
	if (d == MSQ_NIL)
		return MSQ_NIL;
	if (!desc_ok(q, d)) {
		*err = -EIDRM;
		return MSQ_NIL;
	}
	uint32_t n = blocks_for(size), first = MSQ_NIL, last = MSQ_NIL;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t blk = b->q_block_free;
		if (blk == MSQ_NIL || blk >= q->nblocks) {
			if (blk != MSQ_NIL)
				*err = -EIDRM;
			/* Give back what we took. */
			while (first != MSQ_NIL) {
				uint32_t next = first == last ? MSQ_NIL
							      : q->bnext[first];
				q->bnext[first] = b->q_block_free;
				b->q_block_free = first;
				first = next;
			}
			return MSQ_NIL;
		}
		b->q_block_free = q->bnext[blk];
		if (first == MSQ_NIL)
			first = blk;
		else
			q->bnext[last] = blk;
		last = blk;
	}
	if (last != MSQ_NIL)
		q->bnext[last] = MSQ_NIL;
	b->q_desc_free = q->desc[d].d_next;
	struct msq_desc *m = &q->desc[d];
	m->d_next = MSQ_NIL;
	m->d_block = first;
	m->d_size = size;
	m->d_claim = 0;
	return d;
}

/*
 * The run of adjacent blocks that starts at block `blk` (< nblocks) of a
 * chain with `left` bytes to go: returns its length in bytes (at most
 * left) and sets *after to the chain's next block past the run. Each
 * link is read once: the chain is input another process may rewrite.
 */
static uint32_t block_run(const struct msq *q, uint32_t blk, uint32_t left,
			  uint32_t *after)
{
	uint32_t len = 0;
	for (;;) {
		uint32_t k = left - len < MSQ_BLOCK ? left - len : MSQ_BLOCK;
		uint32_t next = q->bnext[blk];
		len += k;
		if (len == left || next != blk + 1 || next >= q->nblocks) {
			*after = next;
			return len;
		}
		blk = next;
	}
}

/*
 * Copies `size` bytes, the size desc_alloc() was given, in from a buffer
 * that holds them. Not m->d_size: a writer of the file could change it
 * after the allocation and have us read past the buffer.
 */
static void desc_fill(struct msq *q, uint32_t d, const uint8_t *src,
		      uint32_t size)
{
	struct msq_desc *m = &q->desc[d];
	uint32_t left = size;
	if (left <= MSQ_INLINE) {
		memcpy(m->d_inline, src, left);
		return;
	}
	for (uint32_t blk = m->d_block; left && blk < q->nblocks;) {
		uint32_t after, n = block_run(q, blk, left, &after);
		memcpy(q->blocks + (uint64_t)blk * MSQ_BLOCK, src, n);
		src += n;
		left -= n;
		blk = after;
	}
}

/*
 * Copies message d out to the user: its mtype as a long, then `len` bytes
 * of payload, gathered from its blocks into one copy so the whole buffer
 * is proved at once. Block indices are checked: they are input. Returns
 * 0, -EFAULT or -EIDRM.
 */
static int desc_copy_out(struct msq *q, uint32_t d, void *msgp, uint32_t len)
{
	struct msq_desc *m = &q->desc[d];
	long mtype = (long)m->d_mtype;
	/* Read once: a second read could find a size that len overruns. */
	uint32_t size = m->d_size;
	uint32_t nblk = len <= MSQ_INLINE && size <= MSQ_INLINE
				? 0
				: (len + MSQ_BLOCK - 1) / MSQ_BLOCK;
	struct iovec small[1 + 2 + 128], *iov = small;
	if (nblk + 2 > sizeof(small) / sizeof(small[0])) {
		iov = malloc((nblk + 2) * sizeof(*iov));
		if (!iov)
			return -ENOMEM;
	}
	int n = 0, rc = 0;
	iov[n++] = (struct iovec){&mtype, sizeof(mtype)};
	if (size <= MSQ_INLINE) {
		/* len came from an earlier read of d_size: check it again. */
		if (len > MSQ_INLINE) {
			rc = -EIDRM;
			goto out_free;
		}
		if (len)
			iov[n++] = (struct iovec){m->d_inline, len};
	} else {
		uint32_t blk = m->d_block, left = len;
		while (left) {
			if (blk >= q->nblocks || n > (int)nblk) {
				rc = -EIDRM;
				goto out_free;
			}
			uint32_t after, k = block_run(q, blk, left, &after);
			iov[n++] = (struct iovec){
				q->blocks + (uint64_t)blk * MSQ_BLOCK, k};
			left -= k;
			blk = after;
		}
	}
	rc = ipckit__copy_to_user_gather(msgp, sizeof(long) + len, iov, n);
out_free:
	if (iov != small)
		free(iov);
	return rc;
}

/* Appends descriptor d to the queue as an ordinary (counted) message. */
static void queue_append(struct msq *q, uint32_t d)
{
	struct msq_body *b = q->b;
	uint32_t tail = b->q_tail;
	q->desc[d].d_next = MSQ_NIL;
	/* The commit point: one store makes the message reachable. Its
	 * claim goes after: until the link, a message given back from a
	 * dead receiver is still that receiver's (msq_repair()). */
	if (tail == MSQ_NIL || !desc_ok(q, tail))
		b->q_head = d;
	else
		q->desc[tail].d_next = d;
	q->desc[d].d_claim = 0;
	b->q_tail = d;
	b->q_qnum++;
	b->q_cbytes += q->desc[d].d_size;
}

/*
 * Inserts descriptor d into the queue after descriptor `after` (at the
 * head for MSQ_NIL) as an ordinary message.
 */
static void queue_insert_after(struct msq *q, uint32_t after, uint32_t d)
{
	struct msq_body *b = q->b;
	if (after != MSQ_NIL && !desc_ok(q, after))
		after = MSQ_NIL;
	uint32_t next = after == MSQ_NIL ? b->q_head : q->desc[after].d_next;
	q->desc[d].d_next = next;
	/* The commit point: one store makes the message reachable (its
	 * claim goes after, as in queue_append()). */
	if (after == MSQ_NIL)
		b->q_head = d;
	else
		q->desc[after].d_next = d;
	q->desc[d].d_claim = 0;
	if (b->q_tail == after || b->q_tail == MSQ_NIL)
		b->q_tail = d;
	b->q_qnum++;
	b->q_cbytes += q->desc[d].d_size;
}

/* ---- waiters -------------------------------------------------------------- */

static bool msq_matches(uint32_t mode, int64_t want, int64_t mtype)
{
	switch (mode & MSQ_SEARCH_MASK) {
	case MSQ_SEARCH_ANY:
		return true;
	case MSQ_SEARCH_EQUAL:
		return mtype == want;
	case MSQ_SEARCH_NOTEQUAL:
		return mtype != want;
	case MSQ_SEARCH_LESSEQUAL:
		return mtype <= want;
	}
	return false;
}

static int waiter_add(struct msq *q, uint32_t role, struct ipckit_proc_rec *self)
{
	struct msq_body *b = q->b;
	for (uint32_t i = 0; i < q->nwaiters; i++) {
		struct msq_waiter *w = &q->w[i];
		if (w->w_role)
			continue;
		w->w_role = role;
		w->w_ticket = b->q_ticket++;
		w->w_proc = *self;
		w->w_msg = MSQ_NIL;
		w->w_err = 0;
		atomic_store_explicit(&w->w_state, MSQ_W_WAITING,
				      memory_order_relaxed);
		if (i + 1 > b->q_whigh)
			b->q_whigh = i + 1;
		if (role == MSQ_ROLE_RECV)
			b->q_nrecv++;
		else
			b->q_nsend++;
		return (int)i;
	}
	return -ENOSPC;
}

static void waiter_del(struct msq *q, uint32_t i)
{
	struct msq_body *b = q->b;
	struct msq_waiter *w = &q->w[i];
	if (w->w_role == MSQ_ROLE_RECV && b->q_nrecv)
		b->q_nrecv--;
	else if (w->w_role == MSQ_ROLE_SEND && b->q_nsend)
		b->q_nsend--;
	w->w_role = 0;
	atomic_store_explicit(&w->w_state, MSQ_W_FREE, memory_order_relaxed);
	uint32_t high = b->q_whigh;
	while (high && high <= q->nwaiters && !q->w[high - 1].w_role)
		b->q_whigh = --high;
}

/* Sets a waiter's state; wakes it if it sleeps. Called with h_lock held. */
static void waiter_signal(struct msq_waiter *w, uint32_t state)
{
	uint32_t old = atomic_exchange_explicit(&w->w_state, state,
						memory_order_release);
	if (old == MSQ_W_SLEEPING)
		ipckit__futex_wake(&w->w_state, 1);
}

/* The shared bound is input: read once, then clamped. */
static uint32_t whigh(const struct msq *q)
{
	uint32_t h = __atomic_load_n(&q->b->q_whigh, __ATOMIC_RELAXED);
	return h < q->nwaiters ? h : q->nwaiters;
}

static int msq_fits(const struct msq_body *b, uint32_t size)
{
	return (uint64_t)b->q_cbytes + size <= b->q_qbytes &&
	       (uint64_t)b->q_qnum + 1 <= b->q_qbytes;
}

/*
 * Lets blocked senders whose message now fits look again (the kernel's
 * ss_wakeup(): the others sleep on). With `all`, wakes every waiter,
 * senders and receivers, to re-check everything (IPC_SET may have taken
 * their permission away). Called with h_lock held.
 */
static void wake_waiters(struct msq *q, bool all)
{
	if (!q->b->q_nsend && !all)
		return;
	for (uint32_t i = 0; i < whigh(q); i++) {
		struct msq_waiter *w = &q->w[i];
		uint32_t s = atomic_load_explicit(&w->w_state,
						  memory_order_relaxed);
		if (!w->w_role || (s != MSQ_W_WAITING && s != MSQ_W_SLEEPING))
			continue;
		if (w->w_role == MSQ_ROLE_SEND
			    ? all || msq_fits(q->b, w->w_need)
			    : all)
			waiter_signal(w, MSQ_W_WOKEN);
	}
}

static void wake_senders(struct msq *q)
{
	wake_waiters(q, false);
}

/*
 * The kernel's pipelined_send(): offers descriptor d to the waiting
 * receivers in arrival order. Returns true if one took it. A receiver
 * whose buffer is too small (and no MSG_NOERROR) fails with E2BIG and the
 * offer goes on. Called with h_lock held; O(waiters) per receiver served.
 */
static bool hand_off(struct msq *q, uint32_t d)
{
	struct msq_desc *m = &q->desc[d];
	for (;;) {
		int best = -1;
		for (uint32_t i = 0; i < whigh(q); i++) {
			struct msq_waiter *w = &q->w[i];
			uint32_t s = atomic_load_explicit(
				&w->w_state, memory_order_relaxed);
			if (w->w_role != MSQ_ROLE_RECV ||
			    (s != MSQ_W_WAITING && s != MSQ_W_SLEEPING) ||
			    !msq_matches(w->w_mode, w->w_msgtyp, m->d_mtype))
				continue;
			if (best < 0 || w->w_ticket < q->w[best].w_ticket)
				best = (int)i;
		}
		if (best < 0)
			return false;
		struct msq_waiter *w = &q->w[best];
		if (m->d_size > w->w_msgsz && !(w->w_mode & MSQ_NOERROR)) {
			w->w_err = -E2BIG;
			waiter_signal(w, MSQ_W_FAILED);
			continue;
		}
		/* The commit is the store of d_claim: from it on the message
		 * is this record's, even before its state says GOT (repair
		 * finishes the hand-off), and no longer a dead holder's. */
		w->w_msg = d;
		m->d_next = MSQ_NIL;
		m->d_claim = (uint32_t)best + 1;
		ipckit__fault("msg-handoff-claimed");
		q->b->q_claims++;
		q->b->q_lrpid = w->w_proc.p_pid;
		q->b->q_rtime = ipckit__now();
		waiter_signal(w, MSQ_W_GOT);
		return true;
	}
}

/*
 * Frees what receivers left behind in MSQ_W_TAKEN (msq_take_unlocked()):
 * their records and the descriptors they copied out. Called with h_lock
 * held, by every locker before it looks at waiters or free lists.
 */
static void sweep_taken(struct msq *q)
{
	if (!q->b->q_claims)
		return;
	for (uint32_t i = 0; i < whigh(q); i++) {
		struct msq_waiter *w = &q->w[i];
		if (w->w_role != MSQ_ROLE_RECV ||
		    atomic_load_explicit(&w->w_state, memory_order_acquire) !=
			    MSQ_W_TAKEN)
			continue;
		uint32_t d = w->w_msg;
		if (desc_ok(q, d) && q->desc[d].d_claim == i + 1) {
			desc_free(q, d);
			if (q->b->q_claims)
				q->b->q_claims--;
		}
		waiter_del(q, i);
	}
}

/* ---- the lane ------------------------------------------------------------- */

/*
 * The lane is the fast path of a stream: one process sending, another
 * receiving in FIFO order (msgtyp 0), both as fast as they can. Through
 * h_lock every message costs several cache lines moved between the two
 * processors both ways (the lock, the body, a descriptor); through the
 * lane the producer writes a slot and publishes it with one store, the
 * consumer copies it out and frees it with one store, and each reads the
 * other's index only when its last reading runs out, so neither waits on
 * the other's cache lines message by message.
 *
 * Who uses it: a process that has made MSQ_LANE_STREAK locked sends in a
 * row with nobody waiting switches the lane on as its producer; the first
 * FIFO receiver to come under the lock then becomes its consumer. One
 * thread of each owns the role (l_prod_thread, l_cons_thread). Every
 * other locked operation - another sender, a receiver with a type, any
 * ctl call, a producer whose message does not fit a slot, an owner about
 * to sleep - switches it off first (lane_off()), which moves what the
 * lane holds to the tail of the queue list, in order. So the rest of this
 * file sees an ordinary queue, and the lane's owners never sleep in it:
 * they spin, and when they would block they take the lock like anyone.
 *
 * Invariants while it is on: no waiter records (a waiter registers under
 * the lock, after lane_off()); the queue list holds only messages older
 * than the lane's, and only shrinks (its consumer drains it before the
 * lane); only l_prod appends to the lane, only l_cons takes from it.
 *
 * Crash model: the producer's commit is its store of l_tail, after the
 * slot is written; the consumer's is its store of l_head, after the copy
 * to its buffer. A process killed before either store has not sent or
 * taken the message. Byte counts written after them only make the fit
 * check stricter until lane_off() recounts. lane_off() runs under h_lock;
 * it links all the lane's messages to the list with one store, recording
 * the chain in l_mig_first first, so that msq_repair() can tell whether a
 * killed switcher linked it (lane_repair()).
 *
 * Switching off against owners that do not take the lock: an owner takes
 * its busy word (compare-and-swap of its thread id), then reads l_state;
 * lane_off() sets l_state, then waits for both busy words to clear. Both
 * are sequentially consistent, so one of the two sees the other's store.
 * The compare-and-swap, not a plain store, because a thread that was the
 * owner and was held up may come back after the lane changed hands and
 * must not clear the new owner's word (lane_enter()); it costs the stream
 * about a tenth of its rate, the price of no window at all. Owners hold a
 * busy word only for a few hundred nanoseconds, never while waiting, and
 * a dead owner's is ignored.
 */

#define MSQ_LANE_STREAK 64u

/* This thread, as the lane's roles name it: a thread-local's address. */
static __thread char lane_thread_token;

static uintptr_t lane_me(void)
{
	return (uintptr_t)&lane_thread_token;
}

/*
 * The handles of the lanes this thread owns (0: as producer, 1: as
 * consumer), with a reference each, so that the fast path finds its queue
 * without the handle table's mutex and reference count: locked
 * instructions, each of which would wait for the last message's stores
 * to reach the other processor. Dropped when the queue is found removed,
 * when this thread takes another lane in that role, or when it exits.
 */
static __thread struct lane_handle {
	int id;
	struct ipckit_obj *o;
} lane_handles[2];

/* At a thread's exit: its references go (pthread key destructor). */
static void lane_handles_drop(void *unused)
{
	(void)unused;
	for (int role = 0; role < 2; role++) {
		struct ipckit_obj *o = lane_handles[role].o;
		lane_handles[role].o = NULL;
		if (o)
			ipckit__obj_put(o);
	}
}

static pthread_key_t lane_key;
static pthread_once_t lane_key_once = PTHREAD_ONCE_INIT;
static bool lane_key_made;

static void lane_key_init(void)
{
	lane_key_made = pthread_key_create(&lane_key, lane_handles_drop) == 0;
}

static void lane_handle_keep(int role, struct ipckit_obj *o)
{
	struct lane_handle *h = &lane_handles[role];
	if (h->o == o)
		return;
	pthread_once(&lane_key_once, lane_key_init);
	if (!lane_key_made || pthread_setspecific(lane_key, (void *)1) != 0)
		return; /* no way to let go at exit: no fast path */
	atomic_fetch_add(&o->refs, 1);
	struct ipckit_obj *old = h->o;
	h->o = o;
	h->id = o->id;
	if (old)
		ipckit__obj_put(old);
}

/* This thread's handle for lane role `role` of queue msqid, or NULL. */
static struct ipckit_obj *lane_handle(int role, int msqid)
{
	struct lane_handle *h = &lane_handles[role];
	struct ipckit_obj *o = h->o;
	if (!o || h->id != msqid)
		return NULL;
	if (atomic_load_explicit(&o->hdr->h_removed, memory_order_relaxed)) {
		h->o = NULL;
		ipckit__obj_put(o);
		return NULL;
	}
	return o;
}

/* True if this thread is the role's owner: `thread` of process `who`. */
static bool lane_mine(const _Atomic uint64_t *thread,
		      const struct ipckit_proc_rec *who,
		      const struct ipckit_proc_rec *self)
{
	return atomic_load_explicit(thread, memory_order_relaxed) ==
		       lane_me() &&
	       ipckit__proc_same(who, self);
}

/*
 * True if the lane is on and this thread owns the role: worth entering,
 * and, read again inside lane_enter(), entered. The load of l_state is
 * sequentially consistent for that second use (an acquire load on x86
 * and arm64 alike).
 */
static bool lane_owner(const struct msq_lane *l, const _Atomic uint64_t *thread,
		       const struct ipckit_proc_rec *who,
		       const struct ipckit_proc_rec *self)
{
	return atomic_load(&l->l_state) == MSQ_LANE_ON &&
	       lane_mine(thread, who, self);
}

/*
 * This thread's id, as busy words hold it: cached per thread, and read
 * again in a forked child (its one thread has another id).
 */
static uint32_t lane_tid(const struct ipckit_proc_rec *self)
{
	static __thread uint32_t tid;
	static __thread int32_t tid_pid;
	if (tid_pid != self->p_pid || !tid) {
		tid = (uint32_t)syscall(SYS_gettid);
		tid_pid = self->p_pid;
	}
	return tid;
}

/*
 * Announces an owner's operation; false if the lane is off, or if it is
 * on again with another owner: a thread that found itself the owner and
 * was then held up may come back to a lane switched off and on since,
 * which only its busy word can tell it no more changes hands (lane_off()
 * waits for it; switching on happens with the lane off). The word is
 * taken by compare-and-swap with this thread's id: such a late thread
 * must never store over the word of the owner inside (its clearing it
 * would let a switcher in under the owner's feet), so it gets the word
 * only when nobody holds it, and gives back only its own. When the word
 * is held (a late thread, or one dead inside), the owner takes the lock.
 */
static bool lane_enter(_Atomic uint32_t *busy, const struct msq_lane *l,
		       const _Atomic uint64_t *thread,
		       const struct ipckit_proc_rec *who,
		       const struct ipckit_proc_rec *self)
{
	uint32_t me = lane_tid(self), free_word = 0;
	if (!atomic_compare_exchange_strong(busy, &free_word, me))
		return false;
	if (lane_owner(l, thread, who, self))
		return true;
	/* A switcher may have cleared a late thread's word (lane_quiesce()):
	 * give it back only if it is still ours. */
	atomic_compare_exchange_strong(busy, &me, 0);
	return false;
}

/* The owner leaves: nobody else writes a word the owner holds. */
static void lane_leave(_Atomic uint32_t *busy)
{
	atomic_store_explicit(busy, 0, memory_order_release);
}

/*
 * Waits until an owner has left its lane operation. Only the owner's
 * process matters: a word held by a thread of another process is a late
 * thread's, which only looks and leaves, or a dead thread's, and is
 * cleared; so is one naming this very thread, which cannot be inside a
 * lane operation while it switches the lane off (a damaged file, or a
 * dead thread whose id this one now has). A dead owner's word is ignored.
 * Called with h_lock held, after l_state went off.
 */
static void lane_quiesce(_Atomic uint32_t *busy,
			 const _Atomic uint64_t *thread,
			 const struct ipckit_proc_rec *owner,
			 const struct ipckit_proc_rec *self)
{
	if (lane_mine(thread, owner, self))
		return;
	for (unsigned i = 1;; i++) {
		uint32_t v = atomic_load(busy);
		if (v == 0)
			return;
		if (i % 4096 == 0) {
			struct ipckit_proc_rec r = *owner;
			if (r.p_pid <= 0 || ipckit__proc_is_dead(&r))
				return;
			if (v == lane_tid(self) || v > INT32_MAX ||
			    (tgkill(r.p_pid, (pid_t)v, 0) < 0 &&
			     errno == ESRCH)) {
				atomic_compare_exchange_strong(busy, &v, 0);
				return;
			}
			sched_yield();
		}
		ipckit__cpu_relax();
	}
}

/*
 * msgsnd through the lane, for its producer. Returns 0 when sent, 1 when
 * the caller must take the lock instead (not the producer, the lane off,
 * a message too big for a slot, no room within the spin), or an errno.
 */
static int lane_send(struct msq *q, const struct ipckit_proc_rec *self,
		     int64_t mtype, const uint8_t *text, uint32_t size)
{
	struct msq_lane *l = q->lane;
	if (size > MSQ_LANE_TEXT ||
	    !lane_owner(l, &l->l_prod_thread, &l->l_prod, self))
		return 1;
	unsigned spin = ipckit__spin_limit();
	for (unsigned i = 0;; i++) {
		if (!lane_enter(&l->l_pbusy, l, &l->l_prod_thread, &l->l_prod,
				self))
			return 1;
		int rc = ipckit__perm_peek(q->o, 0222);
		if (rc != 0) {
			lane_leave(&l->l_pbusy);
			return rc;
		}
		uint32_t tail = atomic_load_explicit(&l->l_tail,
						     memory_order_relaxed);
		/* The list only shrinks while the lane is on: a stale read
		 * of its counts, or of the consumer's, only overstates. */
		uint64_t qnum = __atomic_load_n(&q->b->q_qnum, __ATOMIC_RELAXED);
		uint64_t cbytes = __atomic_load_n(&q->b->q_cbytes,
						  __ATOMIC_RELAXED);
		uint32_t qbytes = q->b->q_qbytes;
		bool fits = false;
		for (int look = 0; look < 2 && !fits; look++) {
			if (look) {
				l->l_head_seen = atomic_load_explicit(
					&l->l_head, memory_order_acquire);
				l->l_cbytes_seen = __atomic_load_n(
					&l->l_cbytes, __ATOMIC_RELAXED);
			}
			uint32_t n = tail - l->l_head_seen;
			uint64_t bytes = cbytes + (l->l_pbytes - l->l_cbytes_seen);
			fits = n < MSQ_LANE_SLOTS && bytes + size <= qbytes &&
			       qnum + n + 1 <= qbytes;
		}
		if (fits) {
			struct msq_lane_slot *s =
				&q->slot[tail % MSQ_LANE_SLOTS];
			s->s_mtype = mtype;
			s->s_size = size;
			memcpy(s->s_text, text, size);
			ipckit__fault("msgsnd-lane-filled");
			atomic_store_explicit(&l->l_tail, tail + 1,
					      memory_order_release);
			ipckit__fault("msgsnd-lane-published");
			l->l_pbytes += size;
			l->l_lspid = self->p_pid;
			l->l_stime = ipckit__now();
			lane_leave(&l->l_pbusy);
			return 0;
		}
		lane_leave(&l->l_pbusy);
		/* Full (or damaged): the locked path waits, or says EAGAIN. */
		if (tail - l->l_head_seen > MSQ_LANE_SLOTS || i >= spin)
			return 1;
		ipckit__cpu_relax();
	}
}

/*
 * Takes the lane's first message for its consumer: copies it out, then
 * frees the slot. Returns the byte count, -ENOMSG when the lane is empty,
 * -E2BIG or -EFAULT (the message stays), or 1 when the lane is damaged
 * (the caller takes the lock, whose lane_off() reports it). Called inside
 * the consumer's busy section.
 */
static long lane_take(struct msq *q, const struct ipckit_proc_rec *self,
		      void *msgp, size_t msgsz, int msgflg)
{
	struct msq_lane *l = q->lane;
	uint32_t head = atomic_load_explicit(&l->l_head, memory_order_relaxed);
	uint32_t tail = l->l_tail_seen;
	if (tail == head) {
		tail = atomic_load_explicit(&l->l_tail, memory_order_acquire);
		l->l_tail_seen = tail;
		if (tail == head)
			return -ENOMSG;
	}
	if (tail - head > MSQ_LANE_SLOTS)
		return 1;
	struct msq_lane_slot *s = &q->slot[head % MSQ_LANE_SLOTS];
	/* Read once: the checks below must hold for what is copied. */
	uint32_t size = __atomic_load_n(&s->s_size, __ATOMIC_RELAXED);
	long mtype = (long)__atomic_load_n(&s->s_mtype, __ATOMIC_RELAXED);
	if (size > MSQ_LANE_TEXT || mtype < 1)
		return 1;
	if (size > msgsz && !(msgflg & MSG_NOERROR))
		return -E2BIG;
	uint32_t len = size < msgsz ? size : (uint32_t)msgsz;
	struct iovec iov[2] = {{&mtype, sizeof(mtype)}, {s->s_text, len}};
	int rc = ipckit__copy_to_user_gather(msgp, sizeof(long) + len, iov, 2);
	if (rc < 0)
		return rc;
	ipckit__fault("msgrcv-lane-copied");
	atomic_store_explicit(&l->l_head, head + 1, memory_order_release);
	ipckit__fault("msgrcv-lane-taken");
	l->l_cbytes += size;
	l->l_lrpid = self->p_pid;
	l->l_rtime = ipckit__now();
	return (long)len;
}

/*
 * msgrcv through the lane, for its consumer, FIFO receives only. Returns
 * the byte count, or 1 when the caller must take the lock (not the
 * consumer, the lane off, messages still on the list, nothing within the
 * spin), or an errno (-ENOMSG with IPC_NOWAIT, -E2BIG, -EFAULT).
 */
static long lane_recv(struct msq *q, const struct ipckit_proc_rec *self,
		      void *msgp, size_t msgsz, int msgflg)
{
	struct msq_lane *l = q->lane;
	if (!lane_owner(l, &l->l_cons_thread, &l->l_cons, self))
		return 1;
	unsigned spin = ipckit__spin_limit();
	for (unsigned i = 0;; i++) {
		if (!lane_enter(&l->l_cbusy, l, &l->l_cons_thread, &l->l_cons,
				self))
			return 1;
		long n = ipckit__perm_peek(q->o, 0444);
		if (n == 0 && __atomic_load_n(&q->b->q_head,
					      __ATOMIC_RELAXED) != MSQ_NIL)
			n = 1; /* older messages on the list come first */
		if (n == 0)
			n = lane_take(q, self, msgp, msgsz, msgflg);
		lane_leave(&l->l_cbusy);
		if (n != -ENOMSG)
			return n;
		if (msgflg & IPC_NOWAIT)
			return -ENOMSG; /* the lane and the list are empty */
		if (i >= spin)
			return 1;
		ipckit__cpu_relax();
	}
}

/*
 * After a switcher died (msq_repair(), h_lock held): if it had linked the
 * chain recorded in l_mig_first to the list, the lane's messages are
 * there, so the lane is emptied; if not, the chain is unreachable and
 * the repair frees it, and the lane still holds them.
 */
static void lane_repair(struct msq *q)
{
	struct msq_lane *l = q->lane;
	uint32_t first = l->l_mig_first;
	if (first == MSQ_NIL)
		return;
	uint32_t steps = 0;
	for (uint32_t d = q->b->q_head; d != MSQ_NIL && desc_ok(q, d) &&
					steps++ <= q->ndesc;
	     d = q->desc[d].d_next) {
		if (d == first) {
			atomic_store(&l->l_head, atomic_load(&l->l_tail));
			break;
		}
	}
	l->l_mig_first = MSQ_NIL;
}

/*
 * Switches the lane off: stops its owners, then moves its messages to the
 * tail of the queue list in order and folds its msg_lspid/msg_stime and
 * msg_lrpid/msg_rtime in. Called with h_lock held, first thing, by every
 * locked operation but a FIFO receive that keeps it (msq_lock(),
 * msq_lock_recv()). Returns 0, or -EIDRM when the lane is damaged (its
 * messages are then dropped: only a writer of the file can do that).
 */
static int lane_off(struct msq *q)
{
	struct msq_lane *l = q->lane;
	struct msq_body *b = q->b;
	if (atomic_load_explicit(&l->l_state, memory_order_relaxed) ==
		    MSQ_LANE_OFF &&
	    atomic_load(&l->l_head) == atomic_load(&l->l_tail))
		return 0;
	if (atomic_exchange(&l->l_state, MSQ_LANE_OFF) == MSQ_LANE_ON) {
		/* The other half of lane_enter()'s compare-and-swap, then
		 * load: one of the two sees the other's store. */
		struct ipckit_proc_rec self;
		ipckit__self(&self);
		lane_quiesce(&l->l_pbusy, &l->l_prod_thread, &l->l_prod, &self);
		lane_quiesce(&l->l_cbusy, &l->l_cons_thread, &l->l_cons, &self);
	}
	uint32_t head = atomic_load(&l->l_head), tail = atomic_load(&l->l_tail);
	int rc = 0;
	uint32_t first = MSQ_NIL, last = MSQ_NIL, n = 0;
	uint64_t bytes = 0;
	if (tail - head > MSQ_LANE_SLOTS)
		rc = -EIDRM;
	for (uint32_t i = head; rc == 0 && i != tail; i++) {
		const struct msq_lane_slot *s = &q->slot[i % MSQ_LANE_SLOTS];
		uint32_t size = s->s_size;
		int64_t mtype = s->s_mtype;
		int err;
		uint32_t d = size > MSQ_LANE_TEXT || mtype < 1
				     ? MSQ_NIL
				     : desc_alloc(q, size, &err);
		if (d == MSQ_NIL) {
			rc = -EIDRM;
			break;
		}
		q->desc[d].d_mtype = mtype;
		desc_fill(q, d, s->s_text, size);
		if (first == MSQ_NIL)
			first = d;
		else
			q->desc[last].d_next = d;
		last = d;
		n++;
		bytes += size;
	}
	if (rc < 0) {
		/* Give the chain back; the lane's content is lost. */
		while (first != MSQ_NIL) {
			uint32_t next = first == last ? MSQ_NIL
						      : q->desc[first].d_next;
			desc_free(q, first);
			first = next;
		}
	} else if (first != MSQ_NIL) {
		l->l_mig_first = first;
		ipckit__fault("msgctl-lane-off-chained");
		/* The commit point: one store puts the chain on the list. */
		uint32_t qtail = b->q_tail;
		if (qtail == MSQ_NIL || !desc_ok(q, qtail))
			b->q_head = first;
		else
			q->desc[qtail].d_next = first;
		ipckit__fault("msgctl-lane-off-linked");
		b->q_tail = last;
		b->q_qnum += n;
		b->q_cbytes += bytes;
	}
	atomic_store(&l->l_head, tail);
	l->l_mig_first = MSQ_NIL;
	if (tail != l->l_tail0) {
		b->q_lspid = l->l_lspid;
		b->q_stime = l->l_stime;
	}
	if (head != l->l_head0) {
		b->q_lrpid = l->l_lrpid;
		b->q_rtime = l->l_rtime;
	}
	l->l_tail0 = l->l_head0 = tail;
	memset(&l->l_prod, 0, sizeof(l->l_prod));
	memset(&l->l_cons, 0, sizeof(l->l_cons));
	atomic_store(&l->l_prod_thread, 0);
	atomic_store(&l->l_cons_thread, 0);
	l->l_streak = 0;
	return rc;
}

/*
 * After a locked send by `self` (lane off): counts its streak and, once it
 * has sent MSQ_LANE_STREAK messages in a row with nobody waiting, switches
 * the lane on with this thread as the producer. Called with h_lock held.
 */
static void lane_consider(struct msq *q, const struct ipckit_proc_rec *self,
			  uint32_t size)
{
	struct msq_lane *l = q->lane;
	struct msq_body *b = q->b;
	if (l->l_streak_pid != self->p_pid) {
		l->l_streak_pid = self->p_pid;
		l->l_streak = 0;
	}
	if (++l->l_streak < MSQ_LANE_STREAK || size > MSQ_LANE_TEXT ||
	    b->q_nrecv || b->q_nsend || b->q_claims ||
	    atomic_load(&l->l_head) != atomic_load(&l->l_tail) ||
	    !ipckit__spin_limit())
		return;
	uint32_t tail = atomic_load(&l->l_tail);
	l->l_prod = *self;
	memset(&l->l_cons, 0, sizeof(l->l_cons));
	atomic_store(&l->l_cons_thread, 0);
	l->l_tail0 = l->l_head0 = l->l_head_seen = l->l_tail_seen = tail;
	l->l_pbytes = l->l_cbytes = l->l_cbytes_seen = 0;
	l->l_mig_first = MSQ_NIL;
	/* Words left by late or dead threads would keep the owners out. */
	atomic_store(&l->l_pbusy, 0);
	atomic_store(&l->l_cbusy, 0);
	atomic_store(&l->l_prod_thread, lane_me());
	lane_handle_keep(0, q->o);
	atomic_store(&l->l_state, MSQ_LANE_ON);
}

int ipckit__msq_settle(struct ipckit_obj *o)
{
	struct msq q;
	msq_view(o, &q);
	int rc = lane_off(&q);
	if (rc == 0)
		sweep_taken(&q);
	return rc;
}

/*
 * Takes h_lock for any operation but a FIFO receive: switches the lane
 * off first. Returns 0 or an errno (the lock is then not held):
 * -ETIMEDOUT at `deadline` (NULL: none) while a live holder keeps it.
 */
static int msq_lock_until(struct ipckit_obj *o, struct msq *q,
			  const struct timespec *deadline)
{
	int rc = ipckit__obj_lock_until(o, deadline);
	if (rc < 0)
		return rc;
	rc = lane_off(q);
	if (rc < 0)
		ipckit__obj_unlock(o);
	else
		sweep_taken(q);
	return rc;
}

static int msq_lock(struct ipckit_obj *o, struct msq *q)
{
	return msq_lock_until(o, q, NULL);
}

/*
 * Takes h_lock for a receive. A FIFO receiver (not MSG_COPY) may keep the
 * lane on: it becomes its consumer if there is none, takes from the list
 * while the list holds older messages, and else from the lane. Returns 0
 * to go on with the ordinary locked receive, 1 with *n set when it took
 * (or failed to take) a message from the lane, or an errno (the lock is
 * then not held; -ETIMEDOUT as for msq_lock_until()). In all but the
 * errno case the lock is held.
 */
static int msq_lock_recv(struct ipckit_obj *o, struct msq *q,
			 const struct ipckit_proc_rec *self, uint32_t mode,
			 void *msgp, size_t msgsz, int msgflg,
			 const struct timespec *deadline, long *n)
{
	int rc = ipckit__obj_lock_until(o, deadline);
	if (rc < 0)
		return rc;
	sweep_taken(q);
	struct msq_lane *l = q->lane;
	if (atomic_load(&l->l_state) == MSQ_LANE_ON &&
	    mode == MSQ_SEARCH_ANY && !(msgflg & MSG_COPY) &&
	    (l->l_cons.p_pid == 0 ||
	     lane_mine(&l->l_cons_thread, &l->l_cons, self))) {
		if (l->l_cons.p_pid == 0)
			atomic_store(&l->l_cbusy, 0); /* as in lane_consider() */
		l->l_cons = *self;
		atomic_store(&l->l_cons_thread, lane_me());
		lane_handle_keep(1, o);
		if (q->b->q_head != MSQ_NIL)
			return 0; /* the list first: the lane stays on */
		if (lane_enter(&l->l_cbusy, l, &l->l_cons_thread, &l->l_cons,
			       self)) {
			rc = ipckit__perm_cached(o, 0444);
			*n = rc < 0 ? rc
				    : lane_take(q, self, msgp, msgsz, msgflg);
			lane_leave(&l->l_cbusy);
			/* Empty and about to wait: the lane goes off. */
			if (*n != 1 && (*n != -ENOMSG || (msgflg & IPC_NOWAIT)))
				return 1;
		}
	}
	rc = lane_off(q);
	if (rc < 0)
		ipckit__obj_unlock(o);
	return rc;
}

/*
 * Gives back what dead waiters held: their records, and messages handed to
 * receivers that died before taking them, which go back on the queue at
 * its tail. Called with h_lock held. Costs a /proc read per waiter.
 */
static int msq_reap(struct ipckit_obj *o)
{
	struct msq q;
	int n = 0;
	msq_view(o, &q);
	sweep_taken(&q);
	/* Dead receivers holding a message, in ticket (hand-off) order. */
	uint32_t got[MSQ_WAITERS], ngot = 0;
	for (uint32_t i = 0; i < whigh(&q); i++) {
		struct msq_waiter *w = &q.w[i];
		if (!w->w_role || !ipckit__proc_is_dead(&w->w_proc))
			continue;
		uint32_t d = w->w_msg;
		if (atomic_load(&w->w_state) == MSQ_W_GOT && desc_ok(&q, d) &&
		    q.desc[d].d_claim == i + 1 && ngot < MSQ_WAITERS) {
			uint32_t k = ngot++;
			for (; k && q.w[got[k - 1]].w_ticket > w->w_ticket; k--)
				got[k] = got[k - 1];
			got[k] = i;
			continue;
		}
		waiter_del(&q, i);
		n++;
	}
	/*
	 * Their messages go to a live receiver still waiting, else back on
	 * the queue, each before its waiter record goes. A FIFO receiver
	 * waits only while nothing is queued, and nothing is queued while it
	 * waits: its message is older than every queued one and goes to the
	 * head (after those of earlier dead ones), where the kernel's order
	 * has it. One with a selector may have had older messages queued;
	 * its goes to the tail (docs/DESIGN.md section 9).
	 */
	uint32_t after = MSQ_NIL;
	for (uint32_t k = 0; k < ngot; k++) {
		struct msq_waiter *w = &q.w[got[k]];
		uint32_t d = w->w_msg;
		if (q.b->q_claims)
			q.b->q_claims--;
		if (hand_off(&q, d)) {
			/* taken by a live receiver */
		} else if ((w->w_mode & MSQ_SEARCH_MASK) == MSQ_SEARCH_ANY) {
			queue_insert_after(&q, after, d);
			after = d;
		} else {
			queue_append(&q, d);
		}
		/* Killed here, the record still says GOT, but d_claim no
		 * longer names it: repair and reap leave the message be. */
		ipckit__fault("msg-reap-moved");
		waiter_del(&q, got[k]);
		n++;
	}
	if (n)
		wake_senders(&q);
	return n;
}

/*
 * True if a receiver holding a handed-off message looks gone: kill(pid, 0)
 * says no such process (a system call per holder, made only while some
 * message is handed off; zombies and reused pids are left to the slower,
 * exact msq_reap() on the blocking paths). A dead holder's message is the
 * oldest there is for FIFO receivers, and goes back to the head before
 * anyone takes a younger one. Called with h_lock held.
 */
static bool claimer_gone(const struct msq *q)
{
	for (uint32_t i = 0; i < whigh(q); i++) {
		const struct msq_waiter *w = &q->w[i];
		if (w->w_role == MSQ_ROLE_RECV &&
		    atomic_load_explicit(&w->w_state, memory_order_relaxed) ==
			    MSQ_W_GOT &&
		    w->w_proc.p_pid > 0 && kill(w->w_proc.p_pid, 0) < 0 &&
		    errno == ESRCH)
			return true;
	}
	return false;
}

/* ---- repair --------------------------------------------------------------- */

/*
 * After a holder died inside its critical section. The queue list and the
 * waiter records are the truth: every step commits by one store to them.
 * Everything else is derived and rebuilt here: counts, the tail, both free
 * lists, the claim count, the waiter counts. Messages a dead sender had
 * built but not linked, and ones a receiver had unlinked but not freed,
 * become free again (neither call had returned success). If the list
 * itself is damaged (an index out of range, a cycle, a block used twice),
 * the queue is declared lost: -EIDRM, and it is removed.
 */
static int msq_repair(struct ipckit_obj *o)
{
	struct msq q;
	if (msq_validate(o) < 0)
		return -EIDRM;
	msq_view(o, &q);
	struct msq_body *b = q.b;
	lane_repair(&q);
	uint8_t *dused = calloc(q.ndesc, 1);
	uint8_t *bused = calloc(q.nblocks ? q.nblocks : 1, 1);
	int rc = -EIDRM;
	if (!dused || !bused)
		goto out_free;

	/* Marks descriptor d and its blocks used; false if damaged. */
#define MARK(d)                                                                \
	({                                                                     \
		bool ok_ = desc_ok(&q, (d)) && !dused[(d)] &&                  \
			   q.desc[(d)].d_size <= (uint32_t)INT32_MAX;          \
		if (ok_) {                                                     \
			dused[(d)] = 1;                                        \
			uint32_t blk_ = q.desc[(d)].d_block;                   \
			uint32_t n_ = blocks_for(q.desc[(d)].d_size);          \
			for (uint32_t i_ = 0; ok_ && i_ < n_; i_++) {          \
				ok_ = blk_ < q.nblocks && !bused[blk_];        \
				if (ok_) {                                     \
					bused[blk_] = 1;                       \
					blk_ = q.bnext[blk_];                  \
				}                                              \
			}                                                      \
		}                                                              \
		ok_;                                                           \
	})

	uint32_t qnum = 0, tail = MSQ_NIL;
	uint64_t cbytes = 0;
	for (uint32_t d = b->q_head; d != MSQ_NIL; d = q.desc[d].d_next) {
		if (!MARK(d))
			goto out_free;
		q.desc[d].d_claim = 0;
		qnum++;
		cbytes += q.desc[d].d_size;
		tail = d;
	}
	uint32_t claims = 0, nrecv = 0, nsend = 0, high = 0;
	for (uint32_t i = 0; i < q.nwaiters; i++) {
		struct msq_waiter *w = &q.w[i];
		if (!w->w_role)
			continue;
		if (w->w_role != MSQ_ROLE_RECV && w->w_role != MSQ_ROLE_SEND) {
			w->w_role = 0;
			continue;
		}
		if (w->w_role == MSQ_ROLE_RECV &&
		    atomic_load(&w->w_state) == MSQ_W_TAKEN) {
			/* Copied out and gone: record and message are free. */
			w->w_role = 0;
			atomic_store(&w->w_state, MSQ_W_FREE);
			continue;
		}
		high = i + 1;
		if (w->w_role == MSQ_ROLE_SEND) {
			nsend++;
			continue;
		}
		nrecv++;
		/*
		 * A receiver owns a handed-off message when d_claim names its
		 * record (hand_off()'s commit) and the list does not hold it.
		 * A record that says GOT but is not named lost its message to
		 * a reaper killed before it could delete the record (the
		 * message went to another receiver or back on the list); one
		 * named but not yet GOT belongs to a waker killed before its
		 * signal, whose hand-off is finished here.
		 */
		uint32_t d = w->w_msg;
		if (!desc_ok(&q, d) || dused[d] || q.desc[d].d_claim != i + 1)
			continue;
		if (!MARK(d))
			goto out_free;
		claims++;
		uint32_t s = atomic_load(&w->w_state);
		if (s == MSQ_W_WAITING || s == MSQ_W_SLEEPING)
			waiter_signal(w, MSQ_W_GOT);
	}
#undef MARK
	b->q_head = qnum ? b->q_head : MSQ_NIL;
	b->q_tail = tail;
	b->q_qnum = qnum;
	b->q_cbytes = cbytes;
	b->q_claims = claims;
	b->q_nrecv = nrecv;
	b->q_nsend = nsend;
	b->q_whigh = high;
	b->q_desc_free = MSQ_NIL;
	for (uint32_t d = q.ndesc; d-- > 0;) {
		if (dused[d])
			continue;
		q.desc[d].d_next = b->q_desc_free;
		q.desc[d].d_block = MSQ_NIL;
		q.desc[d].d_size = 0;
		b->q_desc_free = d;
	}
	b->q_block_free = MSQ_NIL;
	for (uint32_t blk = q.nblocks; blk-- > 0;) {
		if (bused[blk])
			continue;
		q.bnext[blk] = b->q_block_free;
		b->q_block_free = blk;
	}
	wake_senders(&q);
	rc = 0;
out_free:
	free(dused);
	free(bused);
	return rc;
}

/* Called with h_lock held once the queue is removed: EIDRM to everyone. */
static void msq_removed(struct ipckit_obj *o)
{
	struct msq q;
	msq_view(o, &q);
	lane_off(&q); /* its owners fall back to the lock, and see EIDRM */
	for (uint32_t i = 0; i < whigh(&q); i++) {
		struct msq_waiter *w = &q.w[i];
		if (!w->w_role)
			continue;
		w->w_err = -EIDRM;
		waiter_signal(w, MSQ_W_FAILED);
	}
}

const struct ipckit_kind_ops ipckit__msg_ops = {
	.name = "msg",
	.file_size = msq_file_size,
	.ctl_size = msq_file_size,
	.init = msq_init,
	.validate = msq_validate,
	.check_open = msq_check_open,
	.units = msq_units,
	.repair = msq_repair,
	.reap = msq_reap,
	.removed = msq_removed,
};

/* ---- msgget --------------------------------------------------------------- */

IPCKIT_EXPORT int ipckit_msgget(key_t key, int msgflg)
{
	const struct ipckit_ns *ns;
	int rc = ipckit__ns(&ns);
	if (rc == 0)
		rc = ipckit__get(IPCKIT_KIND_MSG, key, msgflg, ns->lim.msgmnb,
				 1, 0);
	return (int)ipckit__ret(rc);
}

/* ---- waiting -------------------------------------------------------------- */

#define MSQ_SLICE_MS 100
#define MSQ_SLICE_IDLE_MS 1000

/*
 * Waits until waiter record i leaves MSQ_W_WAITING. Spins `spin` times
 * first (no system call; none when the caller already spun in
 * msq_peek_spin()), then announces SLEEPING and sleeps on the record's own
 * futex word.
 * It sleeps at most `slice_ms` at a time (the caller then looks again):
 * MSQ_SLICE_MS when another receiver or a hand-off exists that a dead
 * process could hold (the caller reaps), else MSQ_SLICE_IDLE_MS, for a
 * remover killed between marking the queue removed and waking us. Death
 * detection, not a cover for lost wakes.
 * Returns 0 when the state moved, -ETIMEDOUT at the deadline, -EAGAIN at
 * the end of a slice, -EINTR after a signal handler.
 */
static int msq_wait(struct msq_waiter *w, const struct timespec *deadline,
		    long slice_ms, unsigned spin)
{
	for (unsigned i = 0; i < spin; i++) {
		if (atomic_load_explicit(&w->w_state, memory_order_acquire) !=
		    MSQ_W_WAITING)
			return 0;
		ipckit__cpu_relax();
	}
	uint32_t expected = MSQ_W_WAITING;
	if (!atomic_compare_exchange_strong(&w->w_state, &expected,
					    MSQ_W_SLEEPING))
		return 0;
	struct timespec slice;
	const struct timespec *until =
		ipckit__slice_until(deadline, &slice, slice_ms);
	for (;;) {
		int rc = ipckit__futex_wait(&w->w_state, MSQ_W_SLEEPING, until);
		uint32_t st = atomic_load_explicit(&w->w_state,
						   memory_order_acquire);
		/*
		 * The kernel runs a signal handler after the call has failed
		 * with EINTR: whatever the handler does to the queue (remove
		 * it, say) comes too late to change that. Only a message
		 * already handed to us wins over the signal, as there.
		 */
		if (rc == -EINTR && st != MSQ_W_GOT) {
			expected = MSQ_W_SLEEPING;
			atomic_compare_exchange_strong(&w->w_state, &expected,
						       MSQ_W_WAITING);
			return -EINTR;
		}
		if (st != MSQ_W_SLEEPING)
			return 0;
		if (rc == 0)
			continue; /* spurious: the state has not moved */
		/*
		 * Leaving without being woken: take SLEEPING back to WAITING.
		 * If a waker got there first, its state wins and is handled
		 * by the caller like any wake-up (the kernel, too, returns a
		 * message that arrived together with a signal).
		 */
		expected = MSQ_W_SLEEPING;
		if (!atomic_compare_exchange_strong(&w->w_state, &expected,
						    MSQ_W_WAITING))
			return 0;
		if (rc == -ETIMEDOUT)
			return until == deadline ? -ETIMEDOUT : -EAGAIN;
		return rc;
	}
}

/*
 * Spinning before queueing up. A receiver that found the queue empty, or a
 * sender that found it full, watches the body without the lock for up to
 * the spin limit and, if the state it waits for shows up, tries again
 * instead of taking a waiter record. Taking a record, being handed the
 * message and locking again to take it out costs three lock round trips
 * between the two processes; this costs one, and leaves the lock to the
 * other side while it works: a stream between two processes then needs
 * no waiter record at all. The fields are read without the lock, as
 * hints: whatever they say is checked again under it. A process that
 * spins here is not yet waiting in the kernel's sense (docs/DESIGN.md,
 * section 9): within the spin, a receiver that arrives later may take a
 * message first. Returns true when the state showed up.
 */
static bool msq_peek_spin(const struct msq *q, uint32_t need, bool sending)
{
	const struct msq_body *b = q->b;
	unsigned spin = ipckit__spin_limit();
	for (unsigned i = 0; i < spin; i++) {
		if (sending) {
			uint64_t cbytes = __atomic_load_n(&b->q_cbytes,
							  __ATOMIC_RELAXED);
			uint32_t qnum = __atomic_load_n(&b->q_qnum,
							__ATOMIC_RELAXED);
			uint32_t qbytes = __atomic_load_n(&b->q_qbytes,
							  __ATOMIC_RELAXED);
			if (cbytes + need <= qbytes && (uint64_t)qnum + 1 <= qbytes)
				return true;
		} else if (__atomic_load_n(&b->q_head, __ATOMIC_RELAXED) !=
				   MSQ_NIL ||
			   atomic_load_explicit(&q->lane->l_tail,
						memory_order_relaxed) !=
				   atomic_load_explicit(&q->lane->l_head,
							memory_order_relaxed)) {
			return true;
		}
		if (atomic_load_explicit(&q->o->hdr->h_removed,
					 memory_order_relaxed))
			return true; /* the locked retry reports it */
		ipckit__cpu_relax();
	}
	return false;
}

/* A waiter's state as its owner sees it, under the lock. */
static uint32_t waiter_settle(struct msq_waiter *w)
{
	return atomic_load_explicit(&w->w_state, memory_order_acquire);
}

/* ---- msgsnd --------------------------------------------------------------- */

/*
 * Queues (or hands off) one message. Called with h_lock held. Returns 0,
 * -EAGAIN when it does not fit now, -EIDRM when the queue is damaged.
 */
static int msq_send_locked(struct msq *q, int64_t mtype, const uint8_t *text,
			   uint32_t size, const struct ipckit_proc_rec *self)
{
	struct msq_body *b = q->b;
	if (!msq_fits(b, size))
		return -EAGAIN;
	int err;
	uint32_t d = desc_alloc(q, size, &err);
	if (d == MSQ_NIL)
		return err ? err : -EAGAIN;
	q->desc[d].d_mtype = mtype;
	desc_fill(q, d, text, size);
	ipckit__fault("msgsnd-filled");
	if (!(b->q_nrecv && hand_off(q, d)))
		queue_append(q, d);
	b->q_lspid = self->p_pid;
	b->q_stime = ipckit__now();
	return 0;
}

static int msq_send(int msqid, const void *msgp, size_t msgsz, int msgflg,
		    const struct timespec *timeout)
{
	const struct ipckit_ns *ns;
	int64_t mtype;
	int rc = ipckit__ns(&ns);
	if (rc < 0)
		return rc;
	/* The kernel's order: mtype read, sizes and id, mtype, the text. */
	long lt;
	rc = ipckit__copy_from_user(&lt, msgp, sizeof(lt));
	if (rc < 0)
		return rc;
	if (msgsz > ns->lim.msgmax || (long)msgsz < 0 || msqid < 0)
		return -EINVAL;
	mtype = lt;
	if (mtype < 1)
		return -EINVAL;
	const uint8_t *text = (const uint8_t *)msgp + sizeof(long);
	if (!ipckit__user_readable(text, msgsz))
		return -EFAULT;
	struct timespec deadline;
	bool has_deadline;
	rc = ipckit__deadline(timeout, msgflg & IPCKIT_ABSTIME, &deadline,
			      &has_deadline);
	if (rc < 0)
		return rc;

	struct ipckit_proc_rec self;
	ipckit__self(&self);
	struct msq q;
	struct ipckit_obj *o = lane_handle(0, msqid);
	if (o) {
		msq_view(o, &q);
		rc = lane_send(&q, &self, mtype, text, (uint32_t)msgsz);
		if (rc != 1)
			return rc;
	}
	rc = ipckit__obj_get(IPCKIT_KIND_MSG, msqid, &o);
	if (rc < 0)
		return rc;
	msq_view(o, &q);
	const struct timespec *lock_deadline = has_deadline ? &deadline : NULL;
	int wi = -1;
	bool peeked = false;
	for (;;) {
		if (wi < 0) {
			rc = lane_send(&q, &self, mtype, text, (uint32_t)msgsz);
			if (rc != 1)
				break;
		}
		/*
		 * A timed call gives up on a lock a live process keeps past
		 * its timeout (stopped, say), but only while it has no
		 * waiter record: one it holds must be given back, which
		 * needs the lock whatever the time.
		 */
		rc = msq_lock_until(o, &q, wi < 0 ? lock_deadline : NULL);
		if (rc == -ETIMEDOUT)
			rc = -EAGAIN;
		if (rc < 0)
			break;
		if (wi >= 0) {
			waiter_settle(&q.w[wi]);
			waiter_del(&q, (uint32_t)wi);
			wi = -1;
		}
		rc = ipckit__perm_cached(o, 0222);
		if (rc == 0)
			rc = msq_send_locked(&q, mtype, text, (uint32_t)msgsz,
					     &self);
		if (rc == 0)
			lane_consider(&q, &self, (uint32_t)msgsz);
		if (rc != -EAGAIN || (msgflg & IPC_NOWAIT) ||
		    (has_deadline && ipckit__expired(&deadline))) {
			ipckit__obj_unlock(o);
			break;
		}
		/* Full: reap first (a dead holder may be what fills it). */
		bool slices = q.b->q_claims || q.b->q_nrecv;
		if (slices && ipckit__reap_due(o) && msq_reap(o) > 0) {
			ipckit__obj_unlock(o);
			continue;
		}
		if (!peeked && ipckit__spin_limit()) {
			peeked = true;
			ipckit__obj_unlock(o);
			msq_peek_spin(&q, (uint32_t)msgsz, true);
			continue;
		}
		wi = waiter_add(&q, MSQ_ROLE_SEND, &self);
		if (wi >= 0)
			q.w[wi].w_need = (uint32_t)msgsz;
		ipckit__obj_unlock(o);
		if (wi < 0) {
			/*
			 * Every record is taken: poll instead of queueing,
			 * in 1 ms naps. Correct but unordered and not counted
			 * by ipckit_msg_waiters; needs 128 blocked callers.
			 */
			struct timespec nap = {0, 1000000};
			nanosleep(&nap, NULL);
			continue;
		}
		rc = msq_wait(&q.w[wi], has_deadline ? &deadline : NULL,
			      slices ? MSQ_SLICE_MS : MSQ_SLICE_IDLE_MS,
			      peeked ? 0 : ipckit__spin_limit());
		if (rc == -EINTR || rc == -ETIMEDOUT) {
			int lrc = msq_lock(o, &q);
			if (lrc < 0) {
				if (rc != -EINTR)
					rc = lrc;
				break;
			}
			uint32_t s = waiter_settle(&q.w[wi]);
			int err = q.w[wi].w_err;
			waiter_del(&q, (uint32_t)wi);
			ipckit__obj_unlock(o);
			if (rc == -ETIMEDOUT)
				rc = s == MSQ_W_FAILED ? err : -EAGAIN;
			break;
		}
		if (atomic_load(&q.w[wi].w_state) == MSQ_W_FAILED) {
			rc = q.w[wi].w_err < 0 ? q.w[wi].w_err : -EIDRM;
			if (msq_lock(o, &q) == 0) {
				waiter_del(&q, (uint32_t)wi);
				ipckit__obj_unlock(o);
			}
			break;
		}
	}
	ipckit__obj_put(o);
	return rc;
}

IPCKIT_EXPORT int ipckit_msgsnd(int msqid, const void *msgp, size_t msgsz,
				int msgflg)
{
	return (int)ipckit__ret(msq_send(msqid, msgp, msgsz,
					 msgflg & ~IPCKIT_ABSTIME, NULL));
}

IPCKIT_EXPORT int ipckit_msgtimedsnd(int msqid, const void *msgp,
				     size_t msgsz, int msgflg,
				     const struct timespec *timeout)
{
	return (int)ipckit__ret(msq_send(msqid, msgp, msgsz, msgflg, timeout));
}

/* ---- msgrcv --------------------------------------------------------------- */

/* The kernel's convert_mode(). */
static uint32_t msq_mode(long *msgtyp, int msgflg)
{
	if (msgflg & MSG_COPY)
		return MSQ_SEARCH_NUMBER;
	if (*msgtyp == 0)
		return MSQ_SEARCH_ANY;
	if (*msgtyp < 0) {
		*msgtyp = *msgtyp == LONG_MIN ? LONG_MAX : -*msgtyp;
		return MSQ_SEARCH_LESSEQUAL;
	}
	return msgflg & MSG_EXCEPT ? MSQ_SEARCH_NOTEQUAL : MSQ_SEARCH_EQUAL;
}

/*
 * The kernel's find_msg(): the first match in queue order; for LESSEQUAL
 * the first of the lowest type; for NUMBER the message at that position.
 * Sets *prev to its predecessor. O(queue length), bounded by q_ndesc so a
 * damaged (cyclic) list cannot loop forever.
 */
static uint32_t msq_find(struct msq *q, uint32_t mode, long msgtyp,
			 uint32_t *prev, int *err)
{
	uint32_t best = MSQ_NIL, best_prev = MSQ_NIL, p = MSQ_NIL;
	long count = 0;
	uint32_t steps = 0;
	*err = 0;
	for (uint32_t d = q->b->q_head; d != MSQ_NIL; d = q->desc[d].d_next) {
		if (!desc_ok(q, d) || steps++ > q->ndesc) {
			*err = -EIDRM;
			return MSQ_NIL;
		}
		int64_t t = q->desc[d].d_mtype;
		bool hit;
		if (mode == MSQ_SEARCH_NUMBER)
			hit = count++ == msgtyp;
		else
			hit = msq_matches(mode, msgtyp, t);
		if (hit) {
			if (mode != MSQ_SEARCH_LESSEQUAL) {
				*prev = p;
				return d;
			}
			if (best == MSQ_NIL || t < q->desc[best].d_mtype) {
				best = d;
				best_prev = p;
				if (t == 1)
					break;
			}
		}
		p = d;
	}
	*prev = best_prev;
	return best;
}

/* Copies message d to the user: mtype then min(size, msgsz) bytes. */
static long msq_copy_out(struct msq *q, uint32_t d, void *msgp, size_t msgsz)
{
	struct msq_desc *m = &q->desc[d];
	if (m->d_size > (uint32_t)INT32_MAX)
		return -EIDRM;
	uint32_t n = m->d_size < msgsz ? m->d_size : (uint32_t)msgsz;
	int rc = desc_copy_out(q, d, msgp, n);
	return rc < 0 ? rc : (long)n;
}

/* Takes a handed-off message out of waiter record wi. Called locked. */
static long msq_take_claimed(struct msq *q, uint32_t wi, void *msgp,
			     size_t msgsz, const struct ipckit_proc_rec *self)
{
	uint32_t d = q->w[wi].w_msg;
	if (!desc_ok(q, d) || q->desc[d].d_claim != wi + 1)
		return -EIDRM;
	long n = msq_copy_out(q, d, msgp, msgsz);
	if (q->b->q_claims)
		q->b->q_claims--;
	if (n < 0) {
		/*
		 * Our buffer is bad. differs from kernel: the kernel has
		 * already dequeued the message and loses it; we put it back
		 * on the queue (at its tail) so nothing is lost.
		 */
		queue_append(q, d);
		wake_senders(q);
		return n;
	}
	desc_free(q, d);
	(void)self;
	return n;
}

/*
 * Takes a handed-off message without the lock. It is this receiver's
 * alone (d_claim names its record) until it says so: it copies it out,
 * then stores MSQ_W_TAKEN, and the next holder of h_lock frees the record
 * and the descriptor (sweep_taken()). That spares the woken receiver a
 * lock round trip that pulls the lock, the body and the free lists across
 * from the waker's processor. Killed before the store, it leaves a GOT
 * record, which a reap gives back to the queue. Returns the byte count,
 * or 1 when the locked path must do it (a bad buffer: EFAULT, and the
 * message goes back on the queue; a damaged record).
 */
static long msq_take_unlocked(struct msq *q, uint32_t wi, void *msgp,
			      size_t msgsz)
{
	struct msq_waiter *w = &q->w[wi];
	uint32_t d = w->w_msg;
	if (!desc_ok(q, d) || q->desc[d].d_claim != wi + 1)
		return 1;
	long n = msq_copy_out(q, d, msgp, msgsz);
	if (n < 0)
		return 1;
	ipckit__fault("msgrcv-handed-copied");
	/* Removal may have turned GOT to FAILED meanwhile: the message was
	 * ours before it, as in the kernel, and the queue is gone. */
	uint32_t expected = MSQ_W_GOT;
	atomic_compare_exchange_strong(&w->w_state, &expected, MSQ_W_TAKEN);
	return n;
}

/*
 * One attempt at receiving. Called with h_lock held. Returns the byte
 * count, -ENOMSG when nothing matches, or an error.
 */
static long msq_recv_locked(struct msq *q, void *msgp, size_t msgsz,
			    uint32_t mode, long msgtyp, int msgflg,
			    const struct ipckit_proc_rec *self)
{
	uint32_t prev;
	int err;
	if (q->b->q_claims && claimer_gone(q))
		msq_reap(q->o);
	uint32_t d = msq_find(q, mode, msgtyp, &prev, &err);
	if (err < 0)
		return err;
	if (d == MSQ_NIL)
		return -ENOMSG;
	struct msq_desc *m = &q->desc[d];
	if (m->d_size > msgsz && !(msgflg & MSG_NOERROR))
		return -E2BIG;
	/* The kernel's copy_msg() refuses to truncate a MSG_COPY. */
	if ((msgflg & MSG_COPY) && m->d_size > msgsz)
		return -EINVAL;
	long n = msq_copy_out(q, d, msgp, msgsz);
	if (n < 0 || (msgflg & MSG_COPY))
		return n;
	ipckit__fault("msgrcv-copied");
	/* The message leaves the queue only now, after the copy. */
	struct msq_body *b = q->b;
	if (prev == MSQ_NIL)
		b->q_head = m->d_next;
	else
		q->desc[prev].d_next = m->d_next;
	ipckit__fault("msgrcv-unlinked");
	if (b->q_tail == d)
		b->q_tail = prev;
	b->q_qnum--;
	b->q_cbytes -= m->d_size;
	b->q_lrpid = self->p_pid;
	b->q_rtime = ipckit__now();
	desc_free(q, d);
	wake_senders(q);
	return n;
}

static long msq_recv(int msqid, void *msgp, size_t msgsz, long msgtyp,
		     int msgflg, const struct timespec *timeout)
{
	if (msqid < 0 || (long)msgsz < 0)
		return -EINVAL;
	if ((msgflg & MSG_COPY) &&
	    ((msgflg & MSG_EXCEPT) || !(msgflg & IPC_NOWAIT)))
		return -EINVAL;
	if (msgflg & MSG_COPY) {
		/* The kernel loads the buffer for the copy before anything. */
		const struct ipckit_ns *ns;
		int nrc = ipckit__ns(&ns);
		if (nrc < 0)
			return nrc;
		size_t len = msgsz < ns->lim.msgmax ? msgsz : ns->lim.msgmax;
		if (!ipckit__user_readable(msgp, len))
			return -EFAULT;
	}
	uint32_t mode = msq_mode(&msgtyp, msgflg);
	struct timespec deadline;
	bool has_deadline;
	int rc = ipckit__deadline(timeout, msgflg & IPCKIT_ABSTIME, &deadline,
				  &has_deadline);
	if (rc < 0)
		return rc;
	struct ipckit_proc_rec self;
	ipckit__self(&self);
	struct msq q;
	struct ipckit_obj *o = lane_handle(1, msqid);
	if (o && mode == MSQ_SEARCH_ANY && !(msgflg & MSG_COPY)) {
		msq_view(o, &q);
		long n = lane_recv(&q, &self, msgp, msgsz, msgflg);
		if (n != 1)
			return n;
	}
	rc = ipckit__obj_get(IPCKIT_KIND_MSG, msqid, &o);
	if (rc < 0)
		return rc;
	msq_view(o, &q);
	const struct timespec *lock_deadline = has_deadline ? &deadline : NULL;
	long n = 0;
	bool peeked = false;
	for (;;) {
		if (mode == MSQ_SEARCH_ANY && !(msgflg & MSG_COPY)) {
			n = lane_recv(&q, &self, msgp, msgsz, msgflg);
			if (n != 1)
				break;
		}
		/* No waiter record held here: a timed call may give up on
		 * the lock (see msq_send). */
		int got = msq_lock_recv(o, &q, &self, mode, msgp, msgsz,
					msgflg, lock_deadline, &n);
		if (got < 0) {
			n = got == -ETIMEDOUT ? -ENOMSG : got;
			break;
		}
		if (got == 1) {
			ipckit__obj_unlock(o);
			break;
		}
		n = ipckit__perm_cached(o, 0444);
		if (n == 0)
			n = msq_recv_locked(&q, msgp, msgsz, mode, msgtyp,
					    msgflg, &self);
		if (n == -ENOMSG && (q.b->q_claims || q.b->q_nrecv) &&
		    ipckit__reap_due(o) && msq_reap(o) > 0) {
			ipckit__obj_unlock(o);
			continue;
		}
		if (n != -ENOMSG || (msgflg & IPC_NOWAIT) ||
		    (has_deadline && ipckit__expired(&deadline))) {
			ipckit__obj_unlock(o);
			break;
		}
		if (!peeked && q.b->q_head == MSQ_NIL && ipckit__spin_limit()) {
			peeked = true;
			ipckit__obj_unlock(o);
			msq_peek_spin(&q, 0, false);
			continue;
		}
		bool slices = q.b->q_claims || q.b->q_nrecv;
		int wi = waiter_add(&q, MSQ_ROLE_RECV, &self);
		if (wi < 0) {
			ipckit__obj_unlock(o);
			/* Every record taken: poll (see msq_send). */
			struct timespec nap = {0, 1000000};
			nanosleep(&nap, NULL);
			continue;
		}
		struct msq_waiter *w = &q.w[wi];
		w->w_mode = mode | (msgflg & MSG_NOERROR ? MSQ_NOERROR : 0);
		w->w_msgtyp = msgtyp;
		w->w_msgsz = msgsz > UINT32_MAX ? UINT32_MAX : (uint32_t)msgsz;
		ipckit__obj_unlock(o);

		int wrc;
		do {
			wrc = msq_wait(w, has_deadline ? &deadline : NULL,
				       slices ? MSQ_SLICE_MS
					      : MSQ_SLICE_IDLE_MS,
				       peeked ? 0 : ipckit__spin_limit());
			if (wrc != -EAGAIN)
				break;
			/* A slice ended: removed? Reap the dead, wait on. */
			int lrc = msq_lock(o, &q);
			if (lrc < 0) {
				wrc = lrc;
				break;
			}
			if (slices)
				msq_reap(o);
			ipckit__obj_unlock(o);
		} while (atomic_load(&w->w_state) == MSQ_W_WAITING);

		if (atomic_load_explicit(&w->w_state, memory_order_acquire) ==
		    MSQ_W_GOT) {
			n = msq_take_unlocked(&q, (uint32_t)wi, msgp, msgsz);
			if (n != 1)
				break;
		}
		n = msq_lock(o, &q);
		if (n < 0) {
			if (wrc == -EINTR)
				n = -EINTR;
			break;
		}
		uint32_t s = waiter_settle(w);
		if (s == MSQ_W_GOT)
			n = msq_take_claimed(&q, (uint32_t)wi, msgp, msgsz,
					     &self);
		else if (wrc == -EINTR)
			n = -EINTR;
		else if (s == MSQ_W_FAILED)
			n = w->w_err < 0 ? w->w_err : -EIDRM;
		else if (wrc == -ETIMEDOUT)
			n = -ENOMSG;
		else if (wrc < 0)
			n = wrc;
		else
			n = 1; /* woken without a message: look again */
		waiter_del(&q, (uint32_t)wi);
		ipckit__obj_unlock(o);
		if (n != 1 || s == MSQ_W_GOT)
			break;
	}
	ipckit__obj_put(o);
	return n;
}

IPCKIT_EXPORT ssize_t ipckit_msgrcv(int msqid, void *msgp, size_t msgsz,
				    long msgtyp, int msgflg)
{
	return ipckit__ret(msq_recv(msqid, msgp, msgsz, msgtyp,
				    msgflg & ~IPCKIT_ABSTIME, NULL));
}

IPCKIT_EXPORT ssize_t ipckit_msgtimedrcv(int msqid, void *msgp, size_t msgsz,
					 long msgtyp, int msgflg,
					 const struct timespec *timeout)
{
	return ipckit__ret(
		msq_recv(msqid, msgp, msgsz, msgtyp, msgflg, timeout));
}

/* ---- msgctl --------------------------------------------------------------- */

/* Called with h_lock held. */
static void msq_fill_stat(struct msq *q, struct msqid_ds *ds)
{
	struct msq_body *b = q->b;
	memset(ds, 0, sizeof(*ds));
	ipckit__fill_perm(q->o->hdr, &ds->msg_perm);
	ds->msg_stime = (time_t)b->q_stime;
	ds->msg_rtime = (time_t)b->q_rtime;
	ds->msg_ctime = (time_t)q->o->hdr->h_ctime;
	ds->__msg_cbytes = b->q_cbytes;
	ds->msg_qnum = b->q_qnum;
	ds->msg_qbytes = b->q_qbytes;
	ds->msg_lspid = b->q_lspid;
	ds->msg_lrpid = b->q_lrpid;
}

/* IPC_INFO and MSG_INFO; returns the highest index in use (0 if none). */
static int msq_info(int cmd, struct msginfo *out)
{
	const struct ipckit_ns *ns;
	int rc = ipckit__ns(&ns);
	if (rc < 0)
		return rc;
	struct msginfo mi;
	memset(&mi, 0, sizeof(mi));
	mi.msgmni = (int)ns->lim.msgmni;
	mi.msgmax = (int)ns->lim.msgmax;
	mi.msgmnb = (int)ns->lim.msgmnb;
	mi.msgssz = K_MSGSSZ;
	mi.msgseg = K_MSGSEG;
	int max_slot, count;
	rc = ipckit__obj_scan(IPCKIT_KIND_MSG, &max_slot, &count, NULL);
	if (rc < 0)
		return rc;
	if (cmd == MSG_INFO) {
		/* Totals over every queue: O(queues), a ctl call. */
		uint64_t msgs = 0, bytes = 0;
		for (int s = 0; s <= max_slot; s++) {
			struct ipckit_obj *o;
			if (ipckit__obj_get_slot(IPCKIT_KIND_MSG, s, &o) < 0)
				continue;
			struct msq q;
			msq_view(o, &q);
			if (msq_lock(o, &q) == 0) {
				msgs += q.b->q_qnum;
				bytes += q.b->q_cbytes;
				ipckit__obj_unlock(o);
			}
			ipckit__obj_put(o);
		}
		mi.msgpool = count;
		mi.msgmap = (int)(msgs > INT32_MAX ? INT32_MAX : msgs);
		mi.msgtql = (int)(bytes > INT32_MAX ? INT32_MAX : bytes);
	} else {
		mi.msgpool = K_MSGPOOL;
		mi.msgmap = K_MSGMAP;
		mi.msgtql = K_MSGTQL;
	}
	rc = ipckit__copy_to_user_checked(out, &mi, sizeof(mi));
	if (rc < 0)
		return rc;
	return max_slot < 0 ? 0 : max_slot;
}

/* IPC_STAT, MSG_STAT, MSG_STAT_ANY. */
static int msq_stat(int idx, int cmd, struct msqid_ds *buf)
{
	struct ipckit_obj *o;
	int rc = cmd == IPC_STAT ? ipckit__obj_get(IPCKIT_KIND_MSG, idx, &o)
				 : ipckit__obj_get_slot(IPCKIT_KIND_MSG, idx,
							&o);
	if (rc < 0)
		return rc;
	struct msqid_ds ds;
	struct msq q;
	msq_view(o, &q);
	rc = msq_lock(o, &q);
	if (rc == -EIDRM)
		rc = -EINVAL; /* gone before we looked: as a stale id */
	if (rc < 0)
		goto out_put;
	if (cmd != MSG_STAT_ANY)
		rc = ipckit__perm(o->hdr, 0444);
	if (rc == 0) {
		msq_reap(o);
		msq_fill_stat(&q, &ds);
		rc = cmd == IPC_STAT ? 0 : o->id;
	}
	ipckit__obj_unlock(o);
	if (rc >= 0) {
		int crc = ipckit__copy_to_user_checked(buf, &ds, sizeof(ds));
		if (crc < 0)
			rc = crc;
	}
out_put:
	ipckit__obj_put(o);
	return rc;
}

/* IPC_SET and IPC_RMID: the owner's commands. */
static int msq_down(int msqid, int cmd, const struct msqid_ds *in)
{
	const struct ipckit_ns *ns;
	int rc = ipckit__ns(&ns);
	if (rc < 0)
		return rc;
	struct ipckit_obj *o;
	rc = ipckit__obj_get(IPCKIT_KIND_MSG, msqid, &o);
	if (rc < 0)
		return rc;
	struct msq q;
	msq_view(o, &q);
	rc = msq_lock(o, &q);
	if (rc == -EIDRM)
		rc = -EINVAL;
	if (rc < 0)
		goto out_put;
	rc = ipckit__may_own(o->hdr);
	if (rc < 0)
		goto out_unlock;
	if (cmd == IPC_RMID) {
		ipckit__obj_remove(o);
		goto out_unlock;
	}
	if (in->msg_qbytes > ns->lim.msgmnb && !ipckit__privileged()) {
		rc = -EPERM;
		goto out_unlock;
	}
	if (in->msg_qbytes > q.b->q_cap) {
		/*
		 * differs from kernel: the arena is sized when the queue is
		 * made (msgmnb of then) and does not grow; raise msgmnb in
		 * ipckit.conf for larger queues.
		 */
		rc = -EINVAL;
		goto out_unlock;
	}
	rc = ipckit__obj_set(o, &in->msg_perm);
	if (rc == 0) {
		q.b->q_qbytes = (uint32_t)in->msg_qbytes;
		/* As the kernel: every waiter re-checks, permission too. */
		wake_waiters(&q, true);
	}
out_unlock:
	ipckit__obj_unlock(o);
out_put:
	ipckit__obj_put(o);
	return rc;
}

IPCKIT_EXPORT int ipckit_msgctl(int msqid, int cmd, struct msqid_ds *buf)
{
	int rc;
	struct msqid_ds in;
	cmd &= ~0x100; /* IPC_64, which glibc may pass on */
	if (msqid < 0)
		return (int)ipckit__ret(-EINVAL);
	switch (cmd) {
	case IPC_INFO:
	case MSG_INFO:
		rc = msq_info(cmd, (struct msginfo *)buf);
		break;
	case IPC_STAT:
	case MSG_STAT:
	case MSG_STAT_ANY:
		rc = msq_stat(msqid, cmd, buf);
		break;
	case IPC_SET:
		/* The kernel reads the buffer before looking the id up. */
		rc = ipckit__copy_from_user_checked(&in, buf, sizeof(in));
		if (rc == 0)
			rc = msq_down(msqid, cmd, &in);
		break;
	case IPC_RMID:
		rc = msq_down(msqid, cmd, NULL);
		break;
	default:
		rc = -EINVAL;
	}
	return (int)ipckit__ret(rc);
}

IPCKIT_EXPORT int ipckit_msg_waiters(int msqid, int *senders, int *receivers)
{
	struct ipckit_obj *o;
	int rc = ipckit__obj_get(IPCKIT_KIND_MSG, msqid, &o);
	if (rc < 0)
		return (int)ipckit__ret(rc);
	struct msq q;
	msq_view(o, &q);
	rc = msq_lock(o, &q);
	if (rc == 0) {
		rc = ipckit__perm(o->hdr, 0444);
		if (rc == 0) {
			msq_reap(o);
			if (senders)
				*senders = (int)q.b->q_nsend;
			if (receivers)
				*receivers = (int)q.b->q_nrecv;
		}
		ipckit__obj_unlock(o);
	}
	ipckit__obj_put(o);
	return (int)ipckit__ret(rc);
}
