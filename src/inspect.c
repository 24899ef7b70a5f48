/*
 * inspect.c - read-only snapshots of object files, for the ipckit command
 * (ls, stat, top, gc --dry-run).
 *
 * A snapshot opens an object's slot file itself instead of going through
 * ipckit__obj_get_slot, because the ordinary path acts on what it finds: it
 * removes half-made objects of dead creators and its callers reap. Here
 * nothing is changed. Every byte of the file is input: the header is read
 * with pread and checked before any size in it is trusted, then the kind's
 * own validate() checks the body, and every index followed below is
 * checked against its bound again, so a corrupted or newer file is
 * reported as such (IPCKIT_SNAP_DAMAGED, IPCKIT_SNAP_NEWER) and never
 * crashes or hangs the reader.
 *
 * Locking: the kind's part is copied under h_lock, so it is one consistent
 * state. Without write access to the file the lock cannot be taken (it is
 * a write); the copy is then made without it and marked so (!locked).
 * Whether a recorded process is dead is read from /proc after unlocking,
 * never under the lock: it costs a /proc read per process.
 */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* A process as recorded, before we ask /proc whether it lives. */
struct rec {
	int32_t pid;
	uint64_t start;
};

static void proc_fill(struct ipckit_snap_proc *p, const struct rec *r)
{
	struct ipckit_proc_rec pr = {.p_pid = r->pid, .p_start = r->start};
	p->pid = r->pid;
	p->dead = ipckit__proc_is_dead(&pr);
}

void ipckit__inspect_free(struct ipckit_snap *s)
{
	free(s->msg.types);
	free(s->msg.waiters);
	free(s->sem.sems);
	free(s->sem.waiters);
	for (size_t i = 0; i < s->sem.nundo; i++) {
		free(s->sem.undo[i].num);
		free(s->sem.undo[i].adj);
	}
	free(s->sem.undo);
	free(s->shm.atts);
	memset(&s->msg, 0, sizeof(s->msg));
	memset(&s->sem, 0, sizeof(s->sem));
	memset(&s->shm, 0, sizeof(s->shm));
}

/* ---- message queues ------------------------------------------------------ */

/* Adds one message to the per-type counts, kept sorted by type. */
static int type_add(struct ipckit_snap *s, size_t *cap, int64_t mtype,
		    uint32_t size)
{
	size_t lo = 0, hi = s->msg.ntypes;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->msg.types[mid].mtype < mtype)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->msg.ntypes && s->msg.types[lo].mtype == mtype) {
		s->msg.types[lo].count++;
		s->msg.types[lo].bytes += size;
		return 0;
	}
	if (s->msg.ntypes == *cap) {
		size_t n = *cap ? 2 * *cap : 8;
		void *p = realloc(s->msg.types, n * sizeof(*s->msg.types));
		if (!p)
			return -ENOMEM;
		s->msg.types = p;
		*cap = n;
	}
	memmove(&s->msg.types[lo + 1], &s->msg.types[lo],
		(s->msg.ntypes - lo) * sizeof(*s->msg.types));
	s->msg.types[lo] = (struct ipckit_snap_type){mtype, 1, size};
	s->msg.ntypes++;
	return 0;
}

/*
 * Copies a queue. Called with h_lock held (or unlocked, see the top). The
 * offsets were checked by msq_validate; the list is followed at most
 * q_ndesc steps, so a cycle reads as damage. Process records go to `recs`
 * (one per waiter) for the caller to resolve after unlocking.
 */
static int snap_msg(struct ipckit_obj *o, struct ipckit_snap *s,
		    struct rec **recs)
{
	const char *base = (const char *)o->hdr;
	const struct msq_body *b =
	    (const struct msq_body *)(base + IPCKIT_BODY_OFFSET);
	/*
	 * Read once and checked against the mapping here: what
	 * msq_validate() accepted may have been rewritten since.
	 */
	uint64_t desc_off = b->q_desc_off, waiter_off = b->q_waiter_off;
	uint32_t ndesc = b->q_ndesc, nw = b->q_nwaiters;
	uint64_t lo = IPCKIT_BODY_OFFSET + sizeof(*b);
	if (desc_off < lo || desc_off > o->size ||
	    desc_off % _Alignof(struct msq_desc) ||
	    ndesc > (o->size - desc_off) / sizeof(struct msq_desc) ||
	    waiter_off < lo || waiter_off > o->size ||
	    waiter_off % _Alignof(struct msq_waiter) ||
	    nw > (o->size - waiter_off) / sizeof(struct msq_waiter))
		return -EINVAL;
	const struct msq_desc *desc =
	    (const struct msq_desc *)(base + desc_off);
	const struct msq_waiter *w =
	    (const struct msq_waiter *)(base + waiter_off);
	size_t cap = 0;
	int rc;

	s->msg.qnum = b->q_qnum;
	s->msg.cbytes = b->q_cbytes;
	s->msg.qbytes = b->q_qbytes;
	s->msg.cap = b->q_cap;
	s->msg.lspid = b->q_lspid;
	s->msg.lrpid = b->q_lrpid;
	s->msg.stime = b->q_stime;
	s->msg.rtime = b->q_rtime;
	s->msg.handed = b->q_claims;
	s->msg.nsend = b->q_nsend;
	s->msg.nrecv = b->q_nrecv;

	uint32_t steps = 0;
	for (uint32_t d = b->q_head; d != MSQ_NIL; d = desc[d].d_next) {
		if (d >= ndesc || steps++ >= ndesc)
			return -EINVAL;
		rc = type_add(s, &cap, desc[d].d_mtype, desc[d].d_size);
		if (rc < 0)
			return rc;
	}

	/* Every record, not just below q_whigh: a damaged hint hides none. */
	s->msg.waiters = calloc(nw, sizeof(*s->msg.waiters));
	*recs = calloc(nw, sizeof(**recs));
	uint64_t *tickets = calloc(nw, sizeof(*tickets));
	if (!s->msg.waiters || !*recs || !tickets) {
		free(tickets);
		return -ENOMEM;
	}
	size_t n = 0;
	for (uint32_t i = 0; i < nw; i++) {
		if (w[i].w_role != MSQ_ROLE_RECV &&
		    w[i].w_role != MSQ_ROLE_SEND)
			continue;
		uint32_t state =
		    atomic_load_explicit(&w[i].w_state, memory_order_relaxed);
		if (state == MSQ_W_TAKEN)
			continue; /* its receiver has left (msg.c) */
		struct ipckit_snap_waiter *sw = &s->msg.waiters[n];
		sw->sender = w[i].w_role == MSQ_ROLE_SEND;
		if (sw->sender) {
			sw->bytes = w[i].w_need;
		} else {
			sw->bytes = w[i].w_msgsz;
			sw->msgtyp = w[i].w_msgtyp;
			sw->handed = state == MSQ_W_GOT;
			switch (w[i].w_mode & MSQ_SEARCH_MASK) {
			case MSQ_SEARCH_EQUAL:
				sw->search = IPCKIT_SNAP_EQUAL;
				break;
			case MSQ_SEARCH_NOTEQUAL:
				sw->search = IPCKIT_SNAP_EXCEPT;
				break;
			case MSQ_SEARCH_LESSEQUAL:
				sw->search = IPCKIT_SNAP_LESSEQUAL;
				break;
			default:
				sw->search = IPCKIT_SNAP_ANY;
				sw->msgtyp = 0;
			}
		}
		(*recs)[n] =
		    (struct rec){w[i].w_proc.p_pid, w[i].w_proc.p_start};
		tickets[n] = w[i].w_ticket;
		n++;
	}
	/* Arrival order: insertion sort by ticket, n <= MSQ_WAITERS. */
	for (size_t i = 1; i < n; i++) {
		for (size_t j = i; j > 0 && tickets[j - 1] > tickets[j]; j--) {
			uint64_t t = tickets[j];
			tickets[j] = tickets[j - 1];
			tickets[j - 1] = t;
			struct ipckit_snap_waiter sw = s->msg.waiters[j];
			s->msg.waiters[j] = s->msg.waiters[j - 1];
			s->msg.waiters[j - 1] = sw;
			struct rec r = (*recs)[j];
			(*recs)[j] = (*recs)[j - 1];
			(*recs)[j - 1] = r;
		}
	}
	free(tickets);
	s->msg.nwaiters = n;
	return 0;
}

static void snap_msg_procs(struct ipckit_snap *s, const struct rec *recs)
{
	for (size_t i = 0; i < s->msg.nwaiters; i++) {
		struct ipckit_snap_waiter *sw = &s->msg.waiters[i];
		proc_fill(&sw->proc, &recs[i]);
		if (sw->proc.dead)
			continue;
		if (sw->sender)
			s->msg.live_send++;
		else
			s->msg.live_recv++;
	}
}

/* ---- shared memory ------------------------------------------------------- */

/* Copies a segment. Called as snap_msg. */
static int snap_shm(struct ipckit_obj *o, struct ipckit_snap *s,
		    struct rec **recs)
{
	const char *base = (const char *)o->hdr;
	const struct shm_seg *sg =
	    (const struct shm_seg *)(base + IPCKIT_BODY_OFFSET);
	if (sg->s_cap != SHM_SEG_ATTS || sg->s_att_off != SHM_SEG_ATT_OFFSET ||
	    o->size < SHM_SEG_ATT_OFFSET +
			  (uint64_t)SHM_SEG_ATTS * sizeof(struct shm_att))
		return -EINVAL;
	const struct shm_att *a =
	    (const struct shm_att *)(base + SHM_SEG_ATT_OFFSET);
	uint32_t high = sg->s_high > SHM_SEG_ATTS ? SHM_SEG_ATTS : sg->s_high;

	s->shm.segsz = sg->s_segsz;
	s->shm.lpid = sg->s_lpid;
	s->shm.atime = sg->s_atime;
	s->shm.dtime = sg->s_dtime;
	s->shm.dest = o->hdr->h_mode & SHM_DEST;
	s->shm.locked = o->hdr->h_mode & SHM_LOCKED;
	size_t n = 0;
	for (uint32_t i = 0; i < high; i++)
		n += a[i].a_proc.p_pid != 0;
	s->shm.atts = calloc(n ? n : 1, sizeof(*s->shm.atts));
	*recs = calloc(n ? n : 1, sizeof(**recs));
	if (!s->shm.atts || !*recs)
		return -ENOMEM;
	size_t k = 0;
	for (uint32_t i = 0; i < high && k < n; i++) {
		if (a[i].a_proc.p_pid == 0)
			continue;
		s->shm.atts[k].count = a[i].a_count;
		s->shm.atts[k].pending = a[i].a_flags & SHM_ATT_PENDING;
		(*recs)[k] =
		    (struct rec){a[i].a_proc.p_pid, a[i].a_proc.p_start};
		s->shm.nattch += a[i].a_count;
		k++;
	}
	s->shm.natts = k;
	return 0;
}

static void snap_shm_procs(struct ipckit_snap *s, const struct rec *recs)
{
	for (size_t i = 0; i < s->shm.natts; i++) {
		struct ipckit_snap_att *at = &s->shm.atts[i];
		proc_fill(&at->proc, &recs[i]);
		/*
		 * A PENDING record names the forking parent; the child it is
		 * for may live on after the parent, so it counts as alive.
		 */
		if (!at->proc.dead || at->pending)
			s->shm.live_nattch += at->count;
	}
}

/* ---- semaphore sets ------------------------------------------------------ */

/* True if `n` records of `size` bytes at `off` lie inside the mapping. */
static bool in_map(const struct ipckit_obj *o, uint64_t off, uint64_t n,
		   uint64_t size)
{
	return off >= IPCKIT_BODY_OFFSET + sizeof(struct sma_body) &&
	       off <= o->size && n <= (o->size - off) / (size ? size : 1);
}

/*
 * Copies a set. Called as snap_msg. The sizes and offsets are copied out
 * of the body once and each array checked to lie in the mapping before it
 * is read (sem.c's validate checks them against their derivation too).
 * Waiters' processes go to `recs` first, then undo records' owners.
 */
static int snap_sem(struct ipckit_obj *o, struct ipckit_snap *s,
		    struct rec **recs)
{
	const char *base = (const char *)o->hdr;
	const struct sma_body *b =
	    (const struct sma_body *)(base + IPCKIT_BODY_OFFSET);
	uint32_t nsems = b->s_nsems, nwait = b->s_nwait, npool = b->s_npool;
	uint32_t nundo = b->s_nundo, usize = b->s_usize;
	uint64_t sem_off = b->s_sem_off, wait_off = b->s_wait_off;
	uint64_t pool_off = b->s_pool_off, undo_off = b->s_undo_off;
	if (nsems == 0 || nsems > SMA_NSEMS_MAX ||
	    usize < offsetof(struct sma_undo, u_adj) + 2ull * nsems ||
	    !in_map(o, sem_off, nsems, sizeof(struct sma_sem)) ||
	    !in_map(o, wait_off, nwait, sizeof(struct sma_waiter)) ||
	    !in_map(o, pool_off, npool, sizeof(struct sma_op)) ||
	    !in_map(o, undo_off, nundo, usize))
		return -EINVAL;
	const struct sma_sem *sem = (const struct sma_sem *)(base + sem_off);
	const struct sma_waiter *w =
	    (const struct sma_waiter *)(base + wait_off);
	const struct sma_op *pool = (const struct sma_op *)(base + pool_off);

	s->sem.nsems = nsems;
	s->sem.otime = b->s_otime;
	s->sem.unrecorded = b->s_unrec;
	s->sem.sems = calloc(nsems, sizeof(*s->sem.sems));
	s->sem.waiters = calloc(nwait ? nwait : 1, sizeof(*s->sem.waiters));
	*recs = calloc((size_t)nwait + nundo + 1, sizeof(**recs));
	uint32_t *seqs = calloc(nwait ? nwait : 1, sizeof(*seqs));
	if (!s->sem.sems || !s->sem.waiters || !*recs || !seqs) {
		free(seqs);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < nsems; i++) {
		s->sem.sems[i].val = (uint32_t)sem[i].s_val;
		s->sem.sems[i].pid = sem[i].s_pid;
	}

	/* Blocked semops: each counts on the operation that blocks it. */
	size_t n = 0;
	for (uint32_t i = 0; i < nwait; i++) {
		uint32_t st =
		    atomic_load_explicit(&w[i].w_state, memory_order_relaxed);
		if (st != SMA_W_SPIN && st != SMA_W_SLEEP)
			continue;
		/* Each read once: an index checked is the index used. */
		uint32_t ops = w[i].w_ops, nsops = w[i].w_nsops;
		uint32_t blk = w[i].w_block;
		if (blk >= nsops || ops + nsops > npool) {
			free(seqs);
			return -EINVAL;
		}
		struct sma_op op = pool[ops + blk];
		if (op.o_num >= nsems) {
			free(seqs);
			return -EINVAL;
		}
		struct ipckit_snap_semwait *sw = &s->sem.waiters[n];
		sw->num = op.o_num;
		sw->op = op.o_op;
		sw->nsops = (uint16_t)nsops;
		(*recs)[n] =
		    (struct rec){w[i].w_proc.p_pid, w[i].w_proc.p_start};
		seqs[n] = w[i].w_seq;
		n++;
	}
	/* Arrival order: w_seq wraps, so compare differences. */
	for (size_t i = 1; i < n; i++) {
		for (size_t j = i;
		     j > 0 && (int32_t)(seqs[j - 1] - seqs[j]) > 0; j--) {
			uint32_t t = seqs[j];
			seqs[j] = seqs[j - 1];
			seqs[j - 1] = t;
			struct ipckit_snap_semwait sw = s->sem.waiters[j];
			s->sem.waiters[j] = s->sem.waiters[j - 1];
			s->sem.waiters[j - 1] = sw;
			struct rec r = (*recs)[j];
			(*recs)[j] = (*recs)[j - 1];
			(*recs)[j - 1] = r;
		}
	}
	free(seqs);
	s->sem.nwaiters = n;

	/* Undo records in use, with their nonzero adjustments. */
	s->sem.undo = calloc(nundo ? nundo : 1, sizeof(*s->sem.undo));
	if (!s->sem.undo)
		return -ENOMEM;
	size_t k = 0;
	for (uint32_t i = 0; i < nundo; i++) {
		const struct sma_undo *u =
		    (const struct sma_undo *)(base + undo_off +
					      (uint64_t)i * usize);
		if (atomic_load_explicit(&u->u_state, memory_order_relaxed) !=
		    SMA_U_USED)
			continue;
		struct ipckit_snap_undo *su = &s->sem.undo[k];
		uint32_t nz = 0;
		for (uint32_t j = 0; j < nsems; j++)
			nz += u->u_adj[j] != 0;
		su->num = calloc(nz ? nz : 1, sizeof(*su->num));
		su->adj = calloc(nz ? nz : 1, sizeof(*su->adj));
		/* Counted now, so a failure frees what was made. */
		s->sem.nundo = ++k;
		if (!su->num || !su->adj)
			return -ENOMEM;
		for (uint32_t j = 0; j < nsems && su->nadj < nz; j++) {
			if (!u->u_adj[j])
				continue;
			su->num[su->nadj] = j;
			su->adj[su->nadj++] = u->u_adj[j];
		}
		(*recs)[n + k - 1] =
		    (struct rec){u->u_proc.p_pid, u->u_proc.p_start};
	}
	return 0;
}

static void snap_sem_procs(struct ipckit_snap *s, const struct rec *recs)
{
	for (size_t i = 0; i < s->sem.nwaiters; i++) {
		struct ipckit_snap_semwait *sw = &s->sem.waiters[i];
		proc_fill(&sw->proc, &recs[i]);
		if (sw->proc.dead)
			continue;
		if (sw->op < 0)
			s->sem.sems[sw->num].ncnt++;
		else if (sw->op == 0)
			s->sem.sems[sw->num].zcnt++;
	}
	for (size_t i = 0; i < s->sem.nundo; i++)
		proc_fill(&s->sem.undo[i].proc, &recs[s->sem.nwaiters + i]);
}

/* ---- the common part ----------------------------------------------------- */

static void hdr_fill(struct ipckit_snap *s, const struct ipckit_hdr *h)
{
	s->version = h->h_version;
	s->key = h->h_key;
	s->uid = h->h_uid;
	s->gid = h->h_gid;
	s->cuid = h->h_cuid;
	s->cgid = h->h_cgid;
	s->mode = h->h_mode;
	s->ctime = h->h_ctime;
	s->creator.pid = h->h_cpid;
}

static int snap_kind(struct ipckit_obj *o, struct ipckit_snap *s,
		     struct rec **recs)
{
	switch (o->kind) {
	case IPCKIT_KIND_MSG:
		return snap_msg(o, s, recs);
	case IPCKIT_KIND_SEM:
		return snap_sem(o, s, recs);
	default:
		return snap_shm(o, s, recs);
	}
}

static void snap_procs(struct ipckit_snap *s, const struct rec *recs)
{
	if (!recs)
		return;
	switch (s->kind) {
	case IPCKIT_KIND_MSG:
		snap_msg_procs(s, recs);
		break;
	case IPCKIT_KIND_SEM:
		snap_sem_procs(s, recs);
		break;
	default:
		snap_shm_procs(s, recs);
	}
}

/*
 * Maps the checked control part and copies the object. `writable`: the
 * file was opened for writing, so the lock can be taken.
 */
static int snap_mapped(int fd, const struct stat *st,
		       const struct ipckit_hdr *h, bool writable,
		       struct ipckit_snap *s)
{
	uint64_t ctl = h->h_ctl_size;
	int prot = PROT_READ | (writable ? PROT_WRITE : 0);
	void *p = mmap(NULL, (size_t)ctl, prot, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return errno == ENOMEM ? -ENOMEM : -EINVAL;
	struct ipckit_obj *o = calloc(1, sizeof(*o));
	if (!o) {
		munmap(p, (size_t)ctl);
		return -ENOMEM;
	}
	o->hdr = p;
	o->size = ctl;
	o->file_size = (uint64_t)st->st_size;
	o->kind = s->kind;
	o->dev = st->st_dev;
	o->ino = st->st_ino;
	o->id = h->h_id;
	o->slot = s->slot;
	atomic_init(&o->refs, 1);

	struct rec *recs = NULL;
	int rc = 0;
	/* The mapping may differ from what pread saw: check it again. */
	if (o->hdr->h_magic != IPCKIT_MAGIC ||
	    o->hdr->h_version != IPCKIT_LAYOUT_VERSION ||
	    o->hdr->h_kind != s->kind || o->hdr->h_size != o->file_size ||
	    o->hdr->h_ctl_size != ctl || o->hdr->h_id != h->h_id ||
	    ipckit__kind(s->kind)->validate(o) < 0) {
		s->status = IPCKIT_SNAP_DAMAGED;
		goto out_put;
	}
	if (writable) {
		struct timespec slice;
		rc = ipckit__obj_lock_until(
			o, ipckit__slice_until(NULL, &slice, IPCKIT_BUSY_MS));
		if (rc == -ETIMEDOUT) {
			/*
			 * A live holder keeps the lock (stopped, or worse):
			 * read without it, as without write access, and name
			 * the holder rather than hang behind it.
			 */
			s->busy = ipckit__lock_owner(o->hdr->h_lock);
			if (s->busy <= 0)
				s->busy = -1;
			rc = 0;
		} else if (rc < 0) {
			/* Removed meanwhile, or a lock nobody can take. */
			s->status = ipckit__obj_is_removed(o)
					? IPCKIT_SNAP_REMOVED
					: IPCKIT_SNAP_DAMAGED;
			rc = 0;
			goto out_put;
		} else {
			s->locked = true;
		}
		/* A queue's lane messages move to its list, where we read. */
		if (s->locked && s->kind == IPCKIT_KIND_MSG &&
		    ipckit__msq_settle(o) < 0) {
			ipckit__obj_unlock(o);
			s->status = IPCKIT_SNAP_DAMAGED;
			goto out_put;
		}
	}
	hdr_fill(s, o->hdr);
	rc = snap_kind(o, s, &recs);
	if (s->locked)
		ipckit__obj_unlock(o);
	if (rc == -EINVAL) {
		s->status = IPCKIT_SNAP_DAMAGED;
		rc = 0;
	} else if (rc == 0) {
		snap_procs(s, recs);
	}
	if (s->status != IPCKIT_SNAP_OK || rc < 0)
		ipckit__inspect_free(s);
out_put:
	free(recs);
	ipckit__obj_put(o);
	return rc;
}

/*
 * The header checks of obj.c's map_fd, but sorting failures into damage,
 * a newer layout, an object being made and a removed one.
 */
static int snap_fd(int fd, bool writable, struct ipckit_snap *s)
{
	struct stat st;
	struct ipckit_hdr h;
	if (fstat(fd, &st) < 0)
		return -errno;
	s->uid = s->cuid = st.st_uid;
	s->gid = s->cgid = st.st_gid;
	s->file_size = (uint64_t)st.st_size;
	s->status = IPCKIT_SNAP_DAMAGED;
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size < sizeof(h) ||
	    pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
	    h.h_magic != IPCKIT_MAGIC)
		return 0;
	s->version = h.h_version;
	if (h.h_version > IPCKIT_LAYOUT_VERSION) {
		/* Nothing past the magic and version is known to mean
		 * what our header says. */
		s->status = IPCKIT_SNAP_NEWER;
		return 0;
	}
	if (h.h_version != IPCKIT_LAYOUT_VERSION || h.h_kind != s->kind ||
	    h.h_size != (uint64_t)st.st_size ||
	    h.h_body != IPCKIT_BODY_OFFSET ||
	    h.h_ctl_size < IPCKIT_BODY_OFFSET ||
	    h.h_ctl_size > (uint64_t)st.st_size)
		return 0;
	hdr_fill(s, &h);
	struct ipckit_proc_rec creator = {.p_pid = h.h_cpid,
					  .p_start = h.h_cstart};
	s->creator.dead = ipckit__proc_is_dead(&creator);
	/* pairs with HDR_BARRIER_1: the id is final once READY */
	if (atomic_load_explicit(&h.h_state, memory_order_relaxed) !=
	    IPCKIT_STATE_READY) {
		s->status = IPCKIT_SNAP_INIT;
		return 0;
	}
	s->id = h.h_id;
	if (h.h_id < 0 || h.h_id % IPCKIT_SLOTS != s->slot)
		return 0;
	if (atomic_load_explicit(&h.h_removed, memory_order_relaxed)) {
		s->status = IPCKIT_SNAP_REMOVED;
		return 0;
	}
	s->status = IPCKIT_SNAP_OK;
	return snap_mapped(fd, &st, &h, writable, s);
}

int ipckit__inspect_slot(unsigned kind, int slot, struct ipckit_snap *out)
{
	const struct ipckit_ns *ns;
	const struct ipckit_kind_ops *ops = ipckit__kind(kind);
	if (!ops || slot < 0 || slot >= IPCKIT_SLOTS)
		return -EINVAL;
	int rc = ipckit__ns_checked(&ns);
	if (rc < 0)
		return rc;
	memset(out, 0, sizeof(*out));
	out->kind = kind;
	out->slot = slot;
	out->id = -1;
	snprintf(out->name, sizeof(out->name), "%s.%d", ops->name, slot);

	bool writable = true;
	int fd = openat(ns->dirfd, out->name, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && (errno == EACCES || errno == EPERM || errno == EROFS)) {
		writable = false;
		fd = openat(ns->dirfd, out->name,
			    O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	}
	if (fd < 0) {
		int e = errno;
		struct stat st;
		if (e == ENOENT)
			return -ENOENT;
		if (e == ELOOP) {
			out->status = IPCKIT_SNAP_DAMAGED;
			return 0;
		}
		if (e != EACCES && e != EPERM)
			return -e;
		out->status = IPCKIT_SNAP_NOACCESS;
		if (fstatat(ns->dirfd, out->name, &st, AT_SYMLINK_NOFOLLOW) ==
		    0) {
			out->uid = out->cuid = st.st_uid;
			out->gid = out->cgid = st.st_gid;
			out->mode = st.st_mode & 0777;
			out->file_size = (uint64_t)st.st_size;
		}
		return 0;
	}
	rc = snap_fd(fd, writable, out);
	close(fd);
	return rc;
}

int ipckit__inspect_id(unsigned kind, int id, struct ipckit_snap *out)
{
	if (id < 0)
		return -EINVAL;
	int rc = ipckit__inspect_slot(kind, id % IPCKIT_SLOTS, out);
	if (rc == -ENOENT)
		return -EINVAL;
	if (rc == 0 && out->id != id && out->status != IPCKIT_SNAP_NOACCESS &&
	    out->status != IPCKIT_SNAP_DAMAGED &&
	    out->status != IPCKIT_SNAP_NEWER) {
		ipckit__inspect_free(out);
		return -EINVAL;
	}
	return rc;
}

static int slot_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

int ipckit__inspect_slots(unsigned kind, int **slots)
{
	const struct ipckit_ns *ns;
	const struct ipckit_kind_ops *ops = ipckit__kind(kind);
	if (!ops)
		return -EINVAL;
	int rc = ipckit__ns_checked(&ns);
	if (rc < 0)
		return rc;
	int fd = openat(ns->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -ENOMEM;
	}
	size_t klen = strlen(ops->name), n = 0, cap = 0;
	int *v = NULL;
	struct dirent *e;
	rc = 0;
	while ((e = readdir(d))) {
		const char *num = e->d_name + klen + 1;
		char *end;
		if (strncmp(e->d_name, ops->name, klen) ||
		    e->d_name[klen] != '.' || *num < '0' || *num > '9')
			continue;
		long slot = strtol(num, &end, 10);
		if (*end || slot < 0 || slot >= IPCKIT_SLOTS)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			int *p = realloc(v, cap * sizeof(*v));
			if (!p) {
				rc = -ENOMEM;
				break;
			}
			v = p;
		}
		v[n++] = (int)slot;
	}
	closedir(d);
	if (rc < 0) {
		free(v);
		return rc;
	}
	if (n)
		qsort(v, n, sizeof(*v), slot_cmp);
	*slots = v;
	return (int)n;
}
