/*
 * shm.c - System V shared memory: shmget, shmat, shmdt, shmctl. The
 * kernel's ipc/shm.c for ipckit.
 *
 * A segment is one file in the namespace (layout.h, "Shared memory
 * segments"): a control part that every handle maps, then the data pages,
 * which only shmat maps, straight from the file with MAP_SHARED at offset
 * h_ctl_size. Once attached the memory is plain memory: ipckit is not on
 * the data path at all. shmget reserves the whole file (the foundation's
 * posix_fallocate), so a full file system fails there with ENOSPC instead
 * of killing a later writer with SIGBUS.
 *
 * shm_nattch. The kernel counts mappings; ipckit counts, per process, the
 * attaches each one holds, in a table of struct shm_att in the control
 * part, and keeps in each process the list of its own attaches (address,
 * length, segment) for shmdt and fork:
 * - shmat and shmdt set this process's record to the length of its list;
 * - fork: an atfork prepare handler adds a PENDING record for the child
 *   before fork() starts, so the count is right in both processes as soon
 *   as fork() returns, as on the kernel; the parent handler hands the
 *   record to the child (found in /proc/thread-self/children), or drops it
 *   when fork failed; the child handler claims it in case the parent could
 *   not tell.
 * - exit, death by a signal and exec are noticed by reaping: the record of
 *   a process that is dead (ipckit__proc_is_dead: gone, zombie or pid
 *   reused) or whose /proc/PID/maps shows none of the segment's data (it
 *   exec'd) is dropped. A process whose maps cannot be read (another
 *   user's, without ptrace rights) is assumed still attached until it dies.
 *   IPC_STAT, SHM_STAT, SHM_STAT_ANY and IPC_RMID reap before answering, so
 *   shm_nattch never counts the dead; a process's exit therefore needs no
 *   atexit handler.
 *
 * Destruction. IPC_RMID on an attached segment sets SHM_DEST and frees the
 * key (ipckit__obj_unlink_key); the segment stays reachable by id. When
 * the count reaches 0 (shmdt, or a reap finding the last holder dead) the
 * data pages are punched out of the file (they are freed now, although
 * handles in other processes may keep the 64 KiB control part mapped until
 * they next look at the id or exit) and ipckit__obj_remove unlinks the
 * names. Where the sticky namespace directory stops the last detacher from
 * unlinking another user's file, the data is still freed and the emptied
 * file is left for its owner's (or root's) next ipckit_gc.
 *
 * Locking:
 * 1. atts.lock, this process's list of attaches. Taken first, never while
 *    an h_lock is held. Held across a whole shmat or shmdt (mmap included),
 *    IPC_STAT, SHM_STAT and IPC_RMID, and across fork() (prepare to
 *    parent/child handler), so this process's record in a segment equals
 *    the length of its list for that segment, except while a shmat is
 *    between its two critical sections (then a_busy says so).
 * 2. h_lock of one segment. Never two at once. Guards struct shm_seg, the
 *    records and h_mode's SHM_DEST/SHM_LOCKED.
 * 3. handle.c's table locks (ipckit__handle_forget), taken under either:
 *    never the other way round, also in fork (see atts_init).
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/*
 * shmget's creation argument (ipckit__get's `arg`): the size asked for,
 * clamped to 2^62 - 1 (larger is larger than any segment, for the size
 * check on open, and cannot be reserved anyway), and what creating must do.
 */
#define ARG_SIZE_MASK ((UINT64_C(1) << 62) - 1)
#define ARG_BAD	      (UINT64_C(1) << 62) /* outside [shmmin, shmmax]: EINVAL */
#define ARG_HUGETLB   (UINT64_C(1) << 63) /* SHM_HUGETLB: refused in init */

static uint64_t page_bytes(void)
{
	return (uint64_t)sysconf(_SC_PAGESIZE);
}

/* Bytes before the data: SHM_SEG_CTL_SIZE, rounded up to whole pages. */
static uint64_t ctl_bytes(void)
{
	uint64_t page = page_bytes();
	return (SHM_SEG_CTL_SIZE + page - 1) / page * page;
}

static struct shm_seg *seg_of(const struct ipckit_obj *o)
{
	return (struct shm_seg *)((char *)o->hdr + IPCKIT_BODY_OFFSET);
}

/* The records; in bounds for indices < SHM_SEG_ATTS (seg_validate). */
static struct shm_att *recs_of(const struct ipckit_obj *o)
{
	return (struct shm_att *)((char *)o->hdr + SHM_SEG_ATT_OFFSET);
}

/* Data bytes, from this process's checked view of the file. */
static uint64_t data_bytes(const struct ipckit_obj *o)
{
	return o->file_size - o->size;
}

/*
 * Everything a call relies on, read from the mapping: any of it may have
 * been overwritten since the file was opened. o->size and o->file_size
 * were checked against the file itself by the foundation.
 */
static bool seg_is_sane(const struct ipckit_obj *o)
{
	const struct ipckit_hdr *h = o->hdr;
	const struct shm_seg *s = seg_of(o);
	uint64_t segsz = s->s_segsz, data = s->s_data;
	return h->h_magic == IPCKIT_MAGIC && h->h_kind == IPCKIT_KIND_SHM &&
	       h->h_size == o->file_size && h->h_ctl_size == o->size &&
	       data == data_bytes(o) && segsz >= 1 && segsz <= data &&
	       data - segsz < page_bytes() && s->s_cap == SHM_SEG_ATTS &&
	       s->s_high <= SHM_SEG_ATTS && s->s_att_off == SHM_SEG_ATT_OFFSET;
}

/* 1 + the highest record to look at, whatever s_high says. */
static uint32_t recs_high(const struct ipckit_obj *o)
{
	uint32_t high = seg_of(o)->s_high;
	return high > SHM_SEG_ATTS ? SHM_SEG_ATTS : high;
}

static int seg_reap(struct ipckit_obj *o);

/*
 * Takes h_lock and checks the body: 0, or -EIDRM (removed or damaged). A
 * damaged segment is declared lost, as the foundation does when a repair
 * fails: removed, so that it is not left in the namespace for good (it is
 * EINVAL from then on; attaches made before keep their memory). A segment
 * marked SHM_DEST is reaped first: on the kernel it was destroyed the
 * moment its last holder died, so if all are dead it is gone now (-EINVAL,
 * as for any id that names nothing). Costs /proc reads only for segments
 * marked SHM_DEST.
 */
static int seg_lock(struct ipckit_obj *o)
{
	int rc = ipckit__obj_lock(o);
	if (rc < 0)
		return rc;
	if (!seg_is_sane(o)) {
		ipckit__obj_remove(o);
		ipckit__obj_unlock(o);
		ipckit__handle_forget(o);
		return -EIDRM;
	}
	if ((o->hdr->h_mode & SHM_DEST) && seg_reap(o) >= 0 &&
	    ipckit__obj_is_removed(o)) {
		ipckit__obj_unlock(o);
		ipckit__handle_forget(o);
		return -EINVAL;
	}
	return 0;
}

/* ---- the records of attached processes ----------------------------------- */

/* Index of `who`'s own (not PENDING) record, or -1. Called with h_lock held. */
static int rec_find(struct ipckit_obj *o, const struct ipckit_proc_rec *who)
{
	struct shm_att *r = recs_of(o);
	uint32_t high = recs_high(o);
	for (uint32_t i = 0; i < high; i++) {
		struct ipckit_proc_rec p = r[i].a_proc;
		if (p.p_pid != 0 && ipckit__proc_same(&p, who) &&
		    !(r[i].a_flags & SHM_ATT_PENDING))
			return (int)i;
	}
	return -1;
}

/*
 * Adds a record. Called with h_lock held. The order of the stores is what
 * makes a crash harmless: s_high is raised first (the invariant "every
 * record at or above s_high is free" holds throughout), p_pid is stored
 * last, so a record half written by a process that died reads as free.
 * Returns its index, or -ENOMEM when the table is full.
 */
static int rec_add(struct ipckit_obj *o, const struct ipckit_proc_rec *who,
		   uint32_t count, uint32_t busy, uint32_t flags)
{
	struct shm_seg *s = seg_of(o);
	struct shm_att *r = recs_of(o);
	uint32_t high = recs_high(o), i;
	for (i = 0; i < high; i++)
		if (r[i].a_proc.p_pid == 0)
			break;
	if (i == high) {
		if (high == SHM_SEG_ATTS)
			return -ENOMEM;
		s->s_high = high + 1;
	}
	ipckit__fault("shm-rec-add");
	r[i].a_proc.p_pad = 0;
	r[i].a_proc.p_start = who->p_start;
	r[i].a_count = count;
	r[i].a_busy = busy;
	r[i].a_flags = flags;
	__atomic_store_n(&r[i].a_proc.p_pid, who->p_pid, __ATOMIC_RELEASE);
	return (int)i;
}

/* Frees record i (one store), then lowers s_high past free records. */
static void rec_free(struct ipckit_obj *o, uint32_t i)
{
	struct shm_seg *s = seg_of(o);
	struct shm_att *r = recs_of(o);
	__atomic_store_n(&r[i].a_proc.p_pid, 0, __ATOMIC_RELEASE);
	uint32_t high = recs_high(o);
	while (high > 0 && r[high - 1].a_proc.p_pid == 0)
		high--;
	s->s_high = high;
}

/* shm_nattch. Called with h_lock held. O(records in use). */
static uint64_t seg_nattch(struct ipckit_obj *o)
{
	struct shm_att *r = recs_of(o);
	uint32_t high = recs_high(o);
	uint64_t n = 0;
	for (uint32_t i = 0; i < high; i++)
		if (r[i].a_proc.p_pid != 0)
			n += r[i].a_count;
	return n;
}

/*
 * Sets `who`'s own count, making or freeing its record. busy_delta moves
 * a_busy (shmat's two halves). Called with h_lock held. 0 or -ENOMEM.
 */
static int rec_set(struct ipckit_obj *o, const struct ipckit_proc_rec *who,
		   uint32_t count, int busy_delta)
{
	struct shm_att *r = recs_of(o);
	int i = rec_find(o, who);
	if (i < 0) {
		if (count == 0 && busy_delta <= 0)
			return 0;
		i = rec_add(o, who, count, busy_delta > 0 ? 1 : 0, 0);
		return i < 0 ? i : 0;
	}
	uint32_t busy = r[i].a_busy;
	if (busy_delta > 0)
		busy++;
	else if (busy_delta < 0 && busy > 0)
		busy--;
	r[i].a_busy = busy;
	r[i].a_count = count;
	if (count == 0 && busy == 0)
		rec_free(o, (uint32_t)i);
	return 0;
}

/*
 * Punches the data out of the file and removes the segment. Called with
 * h_lock held, with SHM_DEST set and no attach left. The hole frees the
 * pages at once, while handles elsewhere may keep the file itself alive
 * for a while; without write access to the file the pages go with its
 * last mapping instead.
 */
static void seg_destroy(struct ipckit_obj *o)
{
	int fd = ipckit__obj_open_fd(o, O_RDWR);
	if (fd >= 0) {
		(void)!fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				 (off_t)o->size, (off_t)data_bytes(o));
		close(fd);
	}
	ipckit__fault("shm-destroy-punched");
	ipckit__obj_remove(o);
}

/* Destroys a segment marked SHM_DEST whose count is 0. h_lock held. */
static bool seg_destroy_if_unused(struct ipckit_obj *o)
{
	if (!(o->hdr->h_mode & SHM_DEST) || seg_nattch(o) != 0)
		return false;
	seg_destroy(o);
	return true;
}

/* ---- reading /proc ------------------------------------------------------- */

/*
 * Whether process `pid` maps some of the segment's data within [lo, hi):
 * 1 yes, 0 no (or it is gone), -1 its maps cannot be read. A line maps
 * data when it is the segment's file (device and inode) and reaches past
 * the control part (a data mapping may have merged with a handle's).
 * O(mappings of the process); a /proc read costs tens of microseconds.
 */
static int maps_find(pid_t pid, const struct ipckit_obj *o, uintptr_t lo,
		     uintptr_t hi)
{
	char path[48];
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return errno == ENOENT || errno == ESRCH ? 0 : -1;
	char *line = NULL;
	size_t cap = 0;
	int found = 0;
	unsigned want_major = major(o->dev), want_minor = minor(o->dev);
	while (getline(&line, &cap, f) > 0) {
		unsigned long start, end, off, ino;
		unsigned maj, min;
		if (sscanf(line, "%lx-%lx %*s %lx %x:%x %lu", &start, &end,
			   &off, &maj, &min, &ino) != 6)
			continue;
		if (ino != o->ino || maj != want_major || min != want_minor ||
		    off + (end - start) <= o->size || end <= lo || start >= hi)
			continue;
		found = 1;
		break;
	}
	if (!found && ferror(f))
		found = -1;
	free(line);
	fclose(f);
	return found;
}

/* ---- this process's attaches --------------------------------------------- */

/*
 * One range this process has mapped from a segment. An attach is normally
 * one entry; SHM_REMAP over part of it splits it into pieces, which keep
 * its `base` (shmdt's key) and count once, through the entry that is not
 * a piece.
 */
struct att {
	uintptr_t addr;
	size_t len;
	uintptr_t base;	      /* what shmat returned */
	struct ipckit_obj *o; /* a counted reference */
	/*
	 * Where the range that proves it mapped starts (att_is_mapped):
	 * addr, or the control part's start for an attach made of the
	 * creator's spare, which the kernel keeps in one mapping with it.
	 */
	uintptr_t chk;
	bool piece;
	bool fresh; /* being added by shmat: atts_trim skips it */
};

static struct {
	pthread_mutex_t lock;
	struct att *v;
	size_t n, cap;
} atts = {PTHREAD_MUTEX_INITIALIZER, NULL, 0, 0};

/* True while this thread holds atts.lock (seg_reap trusts the list then). */
static _Thread_local bool atts_held;

static pthread_once_t atts_once = PTHREAD_ONCE_INIT;
static void atts_init(void);

static void atts_lock(void)
{
	pthread_once(&atts_once, atts_init);
	pthread_mutex_lock(&atts.lock);
	atts_held = true;
}

static void atts_unlock(void)
{
	atts_held = false;
	pthread_mutex_unlock(&atts.lock);
}

static bool same_seg(const struct ipckit_obj *a, const struct ipckit_obj *b)
{
	return a->dev == b->dev && a->ino == b->ino;
}

/* This process's attaches of `o`. Called with atts.lock held. O(list). */
static uint32_t atts_count(const struct ipckit_obj *o)
{
	uint32_t n = 0;
	for (size_t i = 0; i < atts.n; i++)
		if (!atts.v[i].piece && same_seg(atts.v[i].o, o))
			n++;
	return n;
}

/* Room for `more` entries, so no failure can come after an mmap. */
static int atts_reserve(size_t more)
{
	if (atts.n + more <= atts.cap)
		return 0;
	size_t cap = atts.cap ? atts.cap * 2 : 16;
	while (cap < atts.n + more)
		cap *= 2;
	struct att *v = realloc(atts.v, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	atts.v = v;
	atts.cap = cap;
	return 0;
}

/* True if entry i is the first attach of its segment in the list. */
static bool atts_first_of_seg(size_t i)
{
	if (atts.v[i].piece)
		return false;
	for (size_t j = 0; j < i; j++)
		if (!atts.v[j].piece && same_seg(atts.v[j].o, atts.v[i].o))
			return false;
	return true;
}

/*
 * Makes this process's record of `o` match its list, after attaches went
 * (`detached`: shm_lpid and shm_dtime then name us, as the kernel's
 * shm_close does), and destroys the segment if that was the last attach of
 * a removed one. Called with atts.lock held, h_lock not held.
 */
static void seg_sync(struct ipckit_obj *o, bool detached)
{
	struct ipckit_proc_rec self;
	bool destroyed = false;
	if (seg_lock(o) < 0)
		return;
	ipckit__self(&self);
	rec_set(o, &self, atts_count(o), 0);
	ipckit__fault("shm-sync-counted");
	if (detached) {
		struct shm_seg *s = seg_of(o);
		s->s_lpid = self.p_pid;
		s->s_dtime = ipckit__now();
		destroyed = seg_destroy_if_unused(o);
	}
	ipckit__obj_unlock(o);
	if (destroyed)
		ipckit__handle_forget(o);
}

/*
 * Whether entry e is still mapped: the program may have munmap()ed it
 * behind our back, and the address may hold something else now. The exact
 * range under /proc/self/map_files answers in one lstat (about one system
 * call); when it is not there (the range was split by mprotect, merged
 * with a neighbour, or is gone) /proc/self/maps decides. Unanswerable
 * counts as mapped.
 */
static bool att_is_mapped(const struct att *e)
{
	char path[80];
	struct stat st;
	snprintf(path, sizeof(path), "/proc/self/map_files/%lx-%lx",
		 (unsigned long)e->chk, (unsigned long)(e->addr + e->len));
	if (lstat(path, &st) == 0 || errno != ENOENT)
		return true;
	return maps_find(getpid(), e->o, e->addr, e->addr + e->len) != 0;
}

/*
 * Removes entry i from the list, keeping its attach counted through
 * another piece if one is left. Returns true if the attach is gone. The
 * caller puts the entry's reference after syncing. Called with atts.lock
 * held.
 */
static bool atts_remove(size_t i)
{
	struct att e = atts.v[i];
	atts.v[i] = atts.v[--atts.n];
	if (e.piece)
		return false;
	for (size_t j = 0; j < atts.n; j++) {
		if (atts.v[j].base == e.base && same_seg(atts.v[j].o, e.o)) {
			atts.v[j].piece = false;
			return false;
		}
	}
	return true;
}

/*
 * [lo, hi) was just mapped by a new attach (the entry marked fresh):
 * whatever else the list had there is gone, replaced by SHM_REMAP or
 * unmapped by the program and the address reused. Trims those entries to
 * what is left of them; attaches left with nothing are detached, as the
 * kernel's munmap inside mmap detaches them. Called with atts.lock held,
 * no h_lock.
 */
static void atts_trim(uintptr_t lo, uintptr_t hi)
{
	for (size_t i = 0; i < atts.n;) {
		struct att *e = &atts.v[i];
		uintptr_t end = e->addr + e->len;
		if (e->fresh || end <= lo || e->addr >= hi) {
			i++;
			continue;
		}
		bool head = (e->addr < lo), tail = (end > hi);
		if (head && tail && atts_reserve(1) == 0) {
			e = &atts.v[i];
			struct att t = *e;
			t.addr = t.chk = hi;
			t.len = end - hi;
			t.piece = true;
			atomic_fetch_add(&t.o->refs, 1);
			atts.v[atts.n++] = t;
		}
		if (head) {
			e->len = lo - e->addr;
			i++;
			continue;
		}
		if (tail) {
			e->len = end - hi;
			e->addr = e->chk = hi;
			i++;
			continue;
		}
		struct ipckit_obj *o = e->o;
		if (atts_remove(i))
			seg_sync(o, true);
		ipckit__obj_put(o);
	}
}

/* ---- fork ---------------------------------------------------------------- */

/*
 * fork() copies every attach into the child, and the kernel counts them
 * inside fork(), before it returns in either process. The prepare handler
 * therefore adds, under each segment's lock, a PENDING record holding the
 * child's attaches, in the parent's name since the child does not exist
 * yet. Then, whichever runs first:
 * - the parent handler finds the child's pid (the one pid new in
 *   /proc/thread-self/children) and adds the child's own record, then
 *   frees the PENDING one: if the parent dies between the two, the
 *   PENDING record names a dead process and the next reap drops it, so
 *   nothing is counted twice for long and nothing live is lost. If fork
 *   failed it frees the PENDING record. If it cannot tell (no /proc, or
 *   several new children at once) it leaves the record to the child.
 * - the child handler frees the PENDING record first, then sets its own:
 *   if the child dies between the two, it is dead and holds nothing.
 * Costs, only in a process holding attaches: two reads of the children
 * file and one of the child's stat (tens of microseconds each), and each
 * segment's lock three times.
 *
 * differs from kernel: if /proc cannot tell the parent the child's pid and
 * fork() fails, the PENDING record stays counted until the parent exits.
 * fork() through a raw clone system call (no atfork handlers) is not seen:
 * the child's inherited attaches are not counted.
 */
static struct ipckit_proc_rec fork_parent;
static pid_t *fork_before;
static size_t fork_nbefore;
static bool fork_before_ok;

static int pid_cmp(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;
	return (x > y) - (x < y);
}

/* This thread's children, sorted (malloc'd). 0 or -errno. */
static int children_read(pid_t **out, size_t *count)
{
	int fd = open("/proc/thread-self/children", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap + 1);
	int rc = buf ? 0 : -ENOMEM;
	while (rc == 0) {
		if (len == cap) {
			char *nb = realloc(buf, 2 * cap + 1);
			if (!nb) {
				rc = -ENOMEM;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0)
			rc = -errno;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	pid_t *pids = NULL;
	size_t npids = 0;
	if (rc == 0) {
		buf[len] = 0;
		pids = malloc((len / 2 + 1) * sizeof(*pids));
		if (!pids)
			rc = -ENOMEM;
	}
	for (char *p = buf; rc == 0 && *p;) {
		char *end;
		long v = strtol(p, &end, 10);
		if (end == p) {
			p++;
			continue;
		}
		if (v > 0 && v <= INT32_MAX)
			pids[npids++] = (pid_t)v;
		p = end;
	}
	free(buf);
	if (rc < 0) {
		free(pids);
		return rc;
	}
	qsort(pids, npids, sizeof(*pids), pid_cmp);
	*out = pids;
	*count = npids;
	return 0;
}

static void atts_prepare(void)
{
	atts_lock();
	if (atts.n == 0)
		return;
	ipckit__self(&fork_parent);
	fork_before = NULL;
	fork_before_ok = children_read(&fork_before, &fork_nbefore) == 0;
	for (size_t i = 0; i < atts.n; i++) {
		if (!atts_first_of_seg(i))
			continue;
		struct ipckit_obj *o = atts.v[i].o;
		if (seg_lock(o) < 0)
			continue;
		/*
		 * A full table leaves the child uncounted: differs from
		 * kernel, which has no limit (SHM_SEG_ATTS processes).
		 */
		if (rec_add(o, &fork_parent, atts_count(o), 0,
			    SHM_ATT_PENDING) >= 0)
			ipckit__fault("shm-fork-pending");
		ipckit__obj_unlock(o);
	}
}

/*
 * The kernel attaches the child's copies in the parent's name: shm_atime
 * and shm_lpid say so. Only once fork() succeeded (a fork refused at
 * RLIMIT_NPROC changes nothing). h_lock held.
 */
static void seg_forked(struct ipckit_obj *o)
{
	struct shm_seg *s = seg_of(o);
	s->s_atime = ipckit__now();
	s->s_lpid = fork_parent.p_pid;
}

/* Frees the PENDING records of the fork in flight. h_lock held. */
static void rec_free_pending(struct ipckit_obj *o)
{
	struct shm_att *r = recs_of(o);
	uint32_t high = recs_high(o);
	for (uint32_t i = 0; i < high; i++) {
		struct ipckit_proc_rec p = r[i].a_proc;
		if (p.p_pid != 0 && (r[i].a_flags & SHM_ATT_PENDING) &&
		    ipckit__proc_same(&p, &fork_parent))
			rec_free(o, i);
	}
}

static void atts_parent(void)
{
	if (atts.n == 0) {
		atts_unlock();
		return;
	}
	pid_t *after = NULL;
	size_t nafter = 0, fresh = 0;
	bool known = false;
	struct ipckit_proc_rec child = {0, 0, 0};
	if (fork_before_ok && children_read(&after, &nafter) == 0) {
		for (size_t i = 0; i < nafter; i++) {
			if (!bsearch(&after[i], fork_before, fork_nbefore,
				     sizeof(pid_t), pid_cmp)) {
				child.p_pid = after[i];
				fresh++;
			}
		}
		known = fresh <= 1;
		if (fresh == 1) {
			child.p_start = ipckit__proc_start(child.p_pid);
			if (child.p_start == 0)
				child.p_pid = 0; /* already reaped: dead */
		}
		free(after);
	}
	free(fork_before);
	fork_before = NULL;
	for (size_t i = 0; i < atts.n; i++) {
		if (!atts_first_of_seg(i))
			continue;
		struct ipckit_obj *o = atts.v[i].o;
		if (seg_lock(o) < 0)
			continue;
		if (known) {
			if (child.p_pid != 0 && rec_find(o, &child) < 0)
				rec_add(o, &child, atts_count(o), 0, 0);
			ipckit__fault("shm-fork-handoff");
			rec_free_pending(o);
		}
		/* Unknown is most likely forked. */
		if (!known || fresh == 1)
			seg_forked(o);
		ipckit__obj_unlock(o);
	}
	atts_unlock();
}

static void atts_child(void)
{
	struct ipckit_proc_rec self;
	free(fork_before);
	fork_before = NULL;
	ipckit__self(&self);
	for (size_t i = 0; i < atts.n; i++) {
		if (!atts_first_of_seg(i))
			continue;
		struct ipckit_obj *o = atts.v[i].o;
		if (seg_lock(o) < 0)
			continue;
		rec_free_pending(o);
		rec_set(o, &self, atts_count(o), 0);
		ipckit__obj_unlock(o);
	}
	atts_unlock();
}

static void atts_init(void)
{
	struct ipckit_proc_rec self;
	/*
	 * proc.c registers its own atfork handler on first use; child
	 * handlers run in registration order, so ours must come after it
	 * for ipckit__self to name the child in atts_child.
	 */
	ipckit__self(&self);
	/*
	 * handle.c's prepare handler, which takes its table locks, must run
	 * after ours (prepare handlers run in reverse order), since we may
	 * call ipckit__handle_forget while holding atts.lock: asking it for
	 * nothing makes it register first.
	 */
	ipckit__handle_find(IPCKIT_KIND_SHM, -1);
	pthread_atfork(atts_prepare, atts_parent, atts_child);
}

/* ---- reaping ------------------------------------------------------------- */

/*
 * Drops the records of processes that no longer hold attaches: dead ones,
 * and live ones that map none of the data (they exec'd, or unmapped their
 * attaches with munmap). A live process's record with a_busy set is left
 * alone (its shmat is between counting and mapping), as is one whose maps
 * cannot be read. PENDING records go when their parent is dead. This
 * process's own record is set from its list when the caller holds
 * atts.lock (a record from before an exec is dropped that way). A removed
 * segment left with no attach is destroyed. Called with h_lock held;
 * returns the number of records dropped, or -EIDRM for a damaged body.
 * O(records) reads of /proc, which makes it for slow paths only.
 */
static int seg_reap(struct ipckit_obj *o)
{
	if (!seg_is_sane(o))
		return -EIDRM;
	struct shm_seg *s = seg_of(o);
	struct shm_att *r = recs_of(o);
	struct ipckit_proc_rec self;
	ipckit__self(&self);
	uint32_t high = recs_high(o);
	int dropped = 0;
	for (uint32_t i = 0; i < high; i++) {
		struct ipckit_proc_rec p = r[i].a_proc;
		if (p.p_pid == 0)
			continue;
		if (r[i].a_flags & SHM_ATT_PENDING) {
			if (ipckit__proc_is_dead(&p)) {
				rec_free(o, i);
				dropped++;
			}
			continue;
		}
		if (ipckit__proc_same(&p, &self)) {
			/*
			 * With atts.lock held no shmat of ours is in flight:
			 * the list is the truth, and a_busy left over from
			 * before an exec is stale.
			 */
			if (!atts_held)
				continue;
			uint32_t n = atts_count(o);
			if (n < r[i].a_count) {
				s->s_lpid = p.p_pid;
				s->s_dtime = ipckit__now();
				dropped++;
			}
			r[i].a_busy = 0;
			rec_set(o, &self, n, 0);
			continue;
		}
		bool gone = ipckit__proc_is_dead(&p);
		if (!gone && r[i].a_busy == 0)
			gone = maps_find(p.p_pid, o, 0, UINTPTR_MAX) == 0;
		if (!gone)
			continue;
		s->s_lpid = p.p_pid;
		s->s_dtime = ipckit__now();
		rec_free(o, i);
		dropped++;
	}
	ipckit__fault("shm-reap-dropped");
	seg_destroy_if_unused(o);
	return dropped;
}

/* ---- the kind's callbacks ------------------------------------------------ */

static uint64_t seg_file_size(uint64_t arg)
{
	if (arg & ARG_BAD)
		return 0;
	if (arg & ARG_HUGETLB)
		return ctl_bytes();
	uint64_t page = page_bytes(), size = arg & ARG_SIZE_MASK;
	return ctl_bytes() + (size + page - 1) / page * page;
}

static uint64_t seg_ctl_size(uint64_t arg)
{
	return ctl_bytes();
}

static bool in_group(gid_t gid)
{
	if (getegid() == gid)
		return true;
	gid_t groups[256];
	int n = getgroups(256, groups);
	for (int i = 0; i < n; i++)
		if (groups[i] == gid)
			return true;
	return false;
}

/*
 * SHM_HUGETLB. Namespace files live on an ordinary file system, where
 * huge pages cannot be had per file, so ipckit fails as the kernel does
 * when it cannot supply them: EPERM for a caller the kernel would not let
 * use huge pages (no CAP_IPC_LOCK, not in vm.hugetlb_shm_group), else
 * ENOMEM, the kernel's answer when no huge page is free.
 */
static int hugetlb_refusal(void)
{
	if (ipckit__capable(CAP_IPC_LOCK))
		return -ENOMEM;
	FILE *f = fopen("/proc/sys/vm/hugetlb_shm_group", "re");
	unsigned long gid;
	bool member = false;
	if (f) {
		member = fscanf(f, "%lu", &gid) == 1 && in_group((gid_t)gid);
		fclose(f);
	}
	return member ? -ENOMEM : -EPERM;
}

/* Builds the body in the fresh, zeroed file. */
static int seg_init(struct ipckit_obj *o, uint64_t arg)
{
	if (arg & ARG_HUGETLB)
		return hugetlb_refusal();
	struct shm_seg *s = seg_of(o);
	s->s_segsz = arg & ARG_SIZE_MASK;
	s->s_data = data_bytes(o);
	s->s_atime = 0;
	s->s_dtime = 0;
	s->s_lpid = 0;
	s->s_cap = SHM_SEG_ATTS;
	s->s_high = 0;
	s->s_att_off = SHM_SEG_ATT_OFFSET;
	return 0;
}

static int seg_validate(struct ipckit_obj *o)
{
	if (o->size % page_bytes() != 0 ||
	    o->size < SHM_SEG_ATT_OFFSET +
			  (uint64_t)SHM_SEG_ATTS * sizeof(struct shm_att) ||
	    !seg_is_sane(o))
		return -EINVAL;
	return 0;
}

/* shmget of an existing segment: a larger size than it was made with. */
static int seg_check_open(struct ipckit_obj *o, uint64_t arg)
{
	return (arg & ARG_SIZE_MASK) > seg_of(o)->s_segsz ? -EINVAL : 0;
}

/* Pages, as the kernel counts them against shmall. */
static uint64_t seg_units(struct ipckit_obj *o)
{
	return data_bytes(o) / page_bytes();
}

/*
 * Crash recovery, called with h_lock held after its holder died inside a
 * critical section. Every step of every critical section leaves the body
 * readable, so there is little to undo:
 * - a record being added was either not yet visible (p_pid is stored
 *   last) or complete; one being freed is freed (one store); s_high may be
 *   one too high, which only costs a scan. Records with nothing counted
 *   are freed here; the dead holder's own records go with the next reap,
 *   since it is dead.
 * - shm_nattch is never stored, so no total disagrees with the records.
 * - removal: SHM_DEST is always set before anything is unlinked or
 *   punched. With SHM_DEST set, the key is unlinked again (idempotent: only
 *   a link to this very file is removed); and if no attach is left, the
 *   holder died between deciding to destroy the segment and finishing: the
 *   data is punched out again and -EIDRM makes ipckit__obj_lock remove it.
 * A body that fails the sanity checks is declared lost (-EIDRM).
 * Rejected: a stored shm_nattch (fast, but a crash between updating a
 * record and the total leaves them disagreeing, and the repair would have
 * to recount anyway) and compacting the table on every free (moving a
 * record is several stores, and a crash between them duplicates or tears
 * it).
 */
static int seg_repair(struct ipckit_obj *o)
{
	if (!seg_is_sane(o))
		return -EIDRM;
	struct shm_att *r = recs_of(o);
	uint32_t high = recs_high(o);
	for (uint32_t i = 0; i < high; i++)
		if (r[i].a_proc.p_pid != 0 && r[i].a_count == 0 &&
		    r[i].a_busy == 0 && !(r[i].a_flags & SHM_ATT_PENDING))
			rec_free(o, i);
	if (!(o->hdr->h_mode & SHM_DEST))
		return 0;
	if (seg_nattch(o) == 0) {
		int fd = ipckit__obj_open_fd(o, O_RDWR);
		if (fd >= 0) {
			(void)!fallocate(
			    fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			    (off_t)o->size, (off_t)data_bytes(o));
			close(fd);
		}
		return -EIDRM;
	}
	ipckit__obj_unlink_key(o);
	return 0;
}

/* Nobody waits on a segment: nothing to wake. */
static void seg_removed(struct ipckit_obj *o)
{
}

const struct ipckit_kind_ops ipckit__shm_ops = {
    .name = "shm",
    .file_size = seg_file_size,
    .ctl_size = seg_ctl_size,
    .init = seg_init,
    .validate = seg_validate,
    .check_open = seg_check_open,
    .units = seg_units,
    .repair = seg_repair,
    .reap = seg_reap,
    .removed = seg_removed,
};

/* ---- shmget -------------------------------------------------------------- */

/*
 * Whether shmall can bind: every segment is reserved in the namespace's
 * file system, so if shmall pages exceed what it can hold the check (a
 * scan of every segment) is skipped. The kernel's default shmall, nearly
 * 2^64 pages, is past any file system without asking.
 */
static bool shmall_binds(const struct ipckit_ns *ns, uint64_t units)
{
	struct statvfs sv;
	if (ns->lim.shmall >= UINT64_MAX / page_bytes())
		return false;
	if (ipckit__ns_checked(&ns) < 0 || fstatvfs(ns->dirfd, &sv) < 0)
		return true;
	uint64_t fs_pages = (uint64_t)sv.f_blocks * sv.f_frsize / page_bytes();
	return ns->lim.shmall < fs_pages + units || fs_pages + units < fs_pages;
}

static int seg_get(key_t key, size_t size, int shmflg)
{
	const struct ipckit_ns *ns;
	/* Only the limits here: ipckit__get checks the directory. */
	int rc = ipckit__ns(&ns);
	if (rc < 0)
		return rc;
	uint64_t page = page_bytes();
	uint64_t arg = size > ARG_SIZE_MASK ? ARG_SIZE_MASK : size;
	uint64_t units = 0, units_max = 0;
	if (size < ns->lim.shmmin || size > ns->lim.shmmax) {
		/* Creating fails with EINVAL before any limit is looked at. */
		arg |= ARG_BAD;
	} else if (size > SIZE_MAX - page + 1) {
		/* The kernel's "numpages << PAGE_SHIFT < size": ENOSPC. */
		units = UINT64_MAX;
		units_max = 1;
	} else {
		units = (size + page - 1) / page;
		if (shmall_binds(ns, units))
			units_max = ns->lim.shmall ? ns->lim.shmall : 1;
		/*
		 * SHM_NORESERVE needs nothing: the data is reserved anyway
		 * (see ipckit.h). SHM_HUGETLB is refused by seg_init, after
		 * the limits, where the kernel refuses it.
		 */
		if (shmflg & SHM_HUGETLB)
			arg |= ARG_HUGETLB;
	}
	return ipckit__get(IPCKIT_KIND_SHM, key, shmflg, arg, units, units_max);
}

IPCKIT_EXPORT int ipckit_shmget(key_t key, size_t size, int shmflg)
{
	return (int)ipckit__ret(seg_get(key, size, shmflg));
}

/* ---- shmat --------------------------------------------------------------- */

/*
 * Maps the data for an attach, without h_lock: the creator's spare when
 * it fits (shmget mapped it already), else the file again. Returns the
 * address, or MAP_FAILED with *rc set; *chk is where att_is_mapped's
 * range starts. Called with atts.lock held, which guards o->spare.
 */
static void *att_map(struct ipckit_obj *o, bool fixed, uintptr_t addr,
		     int shmflg, int prot, int oflags, uintptr_t *chk, int *rc)
{
	size_t len = (size_t)data_bytes(o);
	void *p = o->spare;
	if (p && !fixed && prot == (PROT_READ | PROT_WRITE) &&
	    o->spare_len == len) {
		o->spare = NULL;
		*chk = (uintptr_t)o->hdr;
		return p;
	}
	/*
	 * The process maps the data only through attaches (reap reads its
	 * maps), and the address space is left as the caller expects.
	 */
	if (p) {
		munmap(p, o->spare_len);
		o->spare = NULL;
	}
	int fd = ipckit__obj_open_fd(o, oflags);
	if (fd < 0) {
		*rc = fd;
		return MAP_FAILED;
	}
	int flags = MAP_SHARED;
	if (fixed)
		flags |= shmflg & SHM_REMAP ? MAP_FIXED : MAP_FIXED_NOREPLACE;
	p = mmap(fixed ? (void *)addr : NULL, len, prot, flags, fd,
		 (off_t)o->size);
	int err = errno;
	close(fd);
	/* Linux before 4.17 takes MAP_FIXED_NOREPLACE as a hint. */
	if (p != MAP_FAILED && fixed && (uintptr_t)p != addr) {
		munmap(p, len);
		p = MAP_FAILED;
		err = EEXIST;
	}
	if (p == MAP_FAILED)
		*rc = err == EEXIST ? -EINVAL : -err;
	*chk = (uintptr_t)p;
	return p;
}

/*
 * The order that keeps shm_nattch from ever undercounting a live mapping:
 * count first (a_count up, a_busy up, under h_lock), then open and map
 * without the lock (as the kernel raises shm_nattch before do_mmap), then
 * settle under h_lock again (a_busy down; a failed mmap takes the count
 * back). A process dying between the two is dead, and the next reap drops
 * its record; while it lives, a_busy keeps reap from judging its maps in
 * the middle.
 */
static void *seg_attach(int shmid, uintptr_t addr, int shmflg)
{
	uintptr_t lba = SHMLBA, page = (uintptr_t)page_bytes();
	bool fixed = false;
	if (shmid < 0)
		return IPCKIT_ERR_PTR(-EINVAL);
	if (addr) {
		if (addr & (lba - 1)) {
			if (shmflg & SHM_RND) {
				addr &= ~(lba - 1);
				if (!addr && (shmflg & SHM_REMAP))
					return IPCKIT_ERR_PTR(-EINVAL);
			} else if (addr & (page - 1)) {
				return IPCKIT_ERR_PTR(-EINVAL);
			}
		}
		/* Even when SHM_RND took it down to 0, as the kernel does. */
		fixed = true;
	} else if (shmflg & SHM_REMAP) {
		return IPCKIT_ERR_PTR(-EINVAL);
	}
	int prot = PROT_READ, acc = 0444, oflags = O_RDONLY;
	if (!(shmflg & SHM_RDONLY)) {
		prot |= PROT_WRITE;
		acc |= 0222;
		oflags = O_RDWR;
	}
	if (shmflg & SHM_EXEC) {
		prot |= PROT_EXEC;
		acc |= 0111;
	}

	struct ipckit_obj *o;
	int rc = ipckit__obj_get(IPCKIT_KIND_SHM, shmid, &o);
	if (rc < 0)
		return IPCKIT_ERR_PTR(rc);
	struct ipckit_proc_rec self;
	ipckit__self(&self);
	void *p = MAP_FAILED;
	size_t len = (size_t)data_bytes(o);
	bool destroyed = false;

	atts_lock();
	/* Room for the new entry and a piece split off by atts_trim. */
	rc = atts_reserve(2);
	if (rc < 0)
		goto out_unlock_atts;
	rc = seg_lock(o);
	if (rc < 0)
		goto out_unlock_atts;
	rc = ipckit__perm_cached(o, acc);
	if (rc == 0 && fixed && !(shmflg & SHM_REMAP) && addr + len < addr)
		rc = -EINVAL;
	if (rc == 0) {
		rc = rec_set(o, &self, atts_count(o) + 1, +1);
		if (rc == -ENOMEM && seg_reap(o) >= 0)
			rc = rec_set(o, &self, atts_count(o) + 1, +1);
	}
	ipckit__obj_unlock(o);
	if (rc < 0)
		goto out_unlock_atts;

	ipckit__fault("shm-attach-counted");
	uintptr_t chk = 0;
	p = att_map(o, fixed, addr, shmflg, prot, oflags, &chk, &rc);
	if (p != MAP_FAILED) {
		struct att e = {.addr = (uintptr_t)p,
				.len = len,
				.base = (uintptr_t)p,
				.o = o,
				.chk = chk,
				.fresh = true};
		atts.v[atts.n++] = e;
	}

	ipckit__fault("shm-attach-mapped");
	if (seg_lock(o) < 0) {
		/* Declared lost meanwhile: nothing to attach to. */
		if (p != MAP_FAILED) {
			munmap(p, len);
			atts.n--;
			p = MAP_FAILED;
		}
		rc = -EIDRM;
		goto out_unlock_atts;
	}
	rec_set(o, &self, atts_count(o), -1);
	if (p != MAP_FAILED) {
		struct shm_seg *s = seg_of(o);
		s->s_atime = ipckit__now();
		s->s_lpid = self.p_pid;
	} else {
		destroyed = seg_destroy_if_unused(o);
	}
	ipckit__obj_unlock(o);
	if (p != MAP_FAILED) {
		atts_trim((uintptr_t)p, (uintptr_t)p + len);
		for (size_t i = 0; i < atts.n; i++)
			atts.v[i].fresh = false;
	}

out_unlock_atts:
	atts_unlock();
	if (destroyed)
		ipckit__handle_forget(o);
	if (p == MAP_FAILED) {
		ipckit__obj_put(o);
		return IPCKIT_ERR_PTR(rc);
	}
	return p; /* the list's entry keeps the reference */
}

IPCKIT_EXPORT void *ipckit_shmat(int shmid, const void *shmaddr, int shmflg)
{
	return ipckit__ret_ptr(seg_attach(shmid, (uintptr_t)shmaddr, shmflg));
}

/* ---- shmdt --------------------------------------------------------------- */

/*
 * Unmaps first, then uncounts: between the two the count is one too high,
 * never too low, and a process dying there is reaped.
 */
static int seg_detach(uintptr_t addr)
{
	atts_lock();
	size_t i;
	for (i = 0; i < atts.n; i++)
		if (atts.v[i].addr == addr && atts.v[i].base == addr)
			break;
	if (i == atts.n) {
		atts_unlock();
		return -EINVAL;
	}
	struct ipckit_obj *o = atts.v[i].o;
	atomic_fetch_add(&o->refs, 1);
	int rc = 0;
	if (!att_is_mapped(&atts.v[i])) {
		/*
		 * Unmapped by the program: the kernel's munmap detached it
		 * already, and shmdt there is EINVAL.
		 */
		rc = -EINVAL;
		if (atts_remove(i))
			seg_sync(o, true);
		ipckit__obj_put(o);
	} else {
		for (size_t j = 0; j < atts.n;) {
			struct att *e = &atts.v[j];
			if (e->base != addr || !same_seg(e->o, o)) {
				j++;
				continue;
			}
			munmap((void *)e->addr, e->len);
			ipckit__fault("shm-detach-unmapped");
			struct ipckit_obj *eo = e->o;
			atts.v[j] = atts.v[--atts.n];
			ipckit__obj_put(eo);
		}
		seg_sync(o, true);
	}
	atts_unlock();
	ipckit__obj_put(o);
	return rc;
}

IPCKIT_EXPORT int ipckit_shmdt(const void *shmaddr)
{
	return (int)ipckit__ret(seg_detach((uintptr_t)shmaddr));
}

/* ---- shmctl -------------------------------------------------------------- */

static int shm_ipc_info(struct shmid_ds *buf)
{
	const struct ipckit_ns *ns;
	int max;
	int rc = ipckit__ns_checked(&ns);
	if (rc == 0)
		rc = ipckit__obj_scan(IPCKIT_KIND_SHM, &max, NULL, NULL);
	if (rc < 0)
		return rc;
	struct shminfo si;
	memset(&si, 0, sizeof(si));
	si.shmmax = ns->lim.shmmax;
	si.shmmin = ns->lim.shmmin;
	si.shmmni = ns->lim.shmmni;
	si.shmseg = ns->lim.shmmni; /* the kernel reports shmmni here too */
	si.shmall = ns->lim.shmall;
	rc = ipckit__copy_to_user_checked(buf, &si, sizeof(si));
	return rc < 0 ? rc : max < 0 ? 0 : max;
}

/*
 * differs from kernel: shm_rss is shm_tot, since every page is reserved
 * (allocated) at shmget; shm_swp is 0 (pages of tmpfs files swapped out
 * are not counted).
 */
static int shm_shm_info(struct shmid_ds *buf)
{
	int max, count;
	uint64_t pages;
	int rc = ipckit__obj_scan(IPCKIT_KIND_SHM, &max, &count, &pages);
	if (rc < 0)
		return rc;
	struct shm_info si;
	memset(&si, 0, sizeof(si));
	si.used_ids = count;
	si.shm_tot = pages;
	si.shm_rss = pages;
	rc = ipckit__copy_to_user_checked(buf, &si, sizeof(si));
	return rc < 0 ? rc : max < 0 ? 0 : max;
}

static int shm_stat(int shmid, int cmd, struct shmid_ds *buf)
{
	struct ipckit_obj *o;
	struct shmid_ds ds;
	bool destroyed = false;
	int rc = cmd == IPC_STAT
		     ? ipckit__obj_get(IPCKIT_KIND_SHM, shmid, &o)
		     : ipckit__obj_get_slot(IPCKIT_KIND_SHM,
					    shmid % IPCKIT_SLOTS, &o);
	if (rc < 0)
		return rc;
	atts_lock();
	rc = seg_lock(o);
	if (rc < 0)
		goto out_unlock_atts;
	if (cmd != SHM_STAT_ANY)
		rc = ipckit__perm_cached(o, 0444);
	if (rc == 0 && seg_reap(o) >= 0 && ipckit__obj_is_removed(o)) {
		/* Its last holder was dead: it is gone, as on the kernel. */
		destroyed = true;
		rc = -EINVAL;
	}
	if (rc == 0) {
		const struct ipckit_hdr *h = o->hdr;
		const struct shm_seg *s = seg_of(o);
		memset(&ds, 0, sizeof(ds));
		ipckit__fill_perm(h, &ds.shm_perm);
		/* The kernel makes a removed key private (SHM_DEST). */
		if (h->h_mode & SHM_DEST)
			ds.shm_perm.__key = IPC_PRIVATE;
		ds.shm_segsz = (size_t)s->s_segsz;
		ds.shm_atime = (time_t)s->s_atime;
		ds.shm_dtime = (time_t)s->s_dtime;
		ds.shm_ctime = (time_t)h->h_ctime;
		ds.shm_cpid = h->h_cpid;
		ds.shm_lpid = s->s_lpid;
		ds.shm_nattch = (shmatt_t)seg_nattch(o);
	}
	ipckit__obj_unlock(o);
out_unlock_atts:
	atts_unlock();
	if (destroyed)
		ipckit__handle_forget(o);
	int id = o->id;
	ipckit__obj_put(o);
	if (rc == 0)
		rc = ipckit__copy_to_user_checked(buf, &ds, sizeof(ds));
	if (rc < 0)
		return rc;
	return cmd == IPC_STAT ? 0 : id;
}

static int shm_set(int shmid, const struct shmid_ds *buf)
{
	struct shmid_ds ds;
	struct ipckit_obj *o;
	/* The kernel copies the buffer in before it looks at the id. */
	int rc = ipckit__copy_from_user_checked(&ds, buf, sizeof(ds));
	if (rc < 0)
		return rc;
	rc = ipckit__obj_get(IPCKIT_KIND_SHM, shmid, &o);
	if (rc < 0)
		return rc;
	rc = seg_lock(o);
	if (rc < 0)
		goto out_put;
	rc = ipckit__obj_set(o, &ds.shm_perm);
	ipckit__obj_unlock(o);
out_put:
	ipckit__obj_put(o);
	return rc;
}

static int shm_rmid(int shmid)
{
	struct ipckit_obj *o;
	bool destroyed = false;
	int rc = ipckit__obj_get(IPCKIT_KIND_SHM, shmid, &o);
	if (rc < 0)
		return rc;
	atts_lock();
	rc = seg_lock(o);
	if (rc < 0)
		goto out_unlock_atts;
	rc = ipckit__may_own_cached(o);
	if (rc == 0) {
		/* Holders that died must not keep it alive. */
		seg_reap(o);
		if (ipckit__obj_is_removed(o)) {
			destroyed = true;
			rc = -EINVAL;
		}
	}
	if (rc == 0) {
		o->hdr->h_mode |= SHM_DEST;
		ipckit__fault("shm-rmid-dest");
		if (seg_nattch(o) == 0) {
			seg_destroy(o);
			destroyed = true;
		} else {
			ipckit__obj_unlink_key(o);
		}
	}
	ipckit__obj_unlock(o);
out_unlock_atts:
	atts_unlock();
	if (destroyed)
		ipckit__handle_forget(o);
	ipckit__obj_put(o);
	return rc;
}

/*
 * SHM_LOCK and SHM_UNLOCK with the kernel's permission rules: without
 * CAP_IPC_LOCK only the owner or creator, and SHM_LOCK needs a nonzero
 * RLIMIT_MEMLOCK. differs from kernel: SHM_LOCK records SHM_LOCKED in the
 * mode (as ipcs shows it) but does not pin the pages, which stay ordinary
 * pages of a tmpfs file; the RLIMIT_MEMLOCK check (ENOMEM) is against this
 * segment alone, not the user's total of locked segments.
 */
static int shm_lock_cmd(int shmid, int cmd)
{
	struct ipckit_obj *o;
	struct rlimit rl = {RLIM_INFINITY, RLIM_INFINITY};
	bool privileged = ipckit__capable(CAP_IPC_LOCK);
	int rc = ipckit__obj_get(IPCKIT_KIND_SHM, shmid, &o);
	if (rc < 0)
		return rc;
	if (!privileged && cmd == SHM_LOCK &&
	    getrlimit(RLIMIT_MEMLOCK, &rl) < 0)
		rl.rlim_cur = RLIM_INFINITY;
	rc = seg_lock(o);
	if (rc < 0)
		goto out_put;
	struct ipckit_hdr *h = o->hdr;
	if (!privileged) {
		uid_t euid = geteuid();
		if (euid != h->h_uid && euid != h->h_cuid)
			rc = -EPERM;
		else if (cmd == SHM_LOCK && rl.rlim_cur == 0)
			rc = -EPERM;
	}
	if (rc == 0 && cmd == SHM_LOCK && !(h->h_mode & SHM_LOCKED)) {
		if (!privileged && rl.rlim_cur != RLIM_INFINITY &&
		    data_bytes(o) > rl.rlim_cur)
			rc = -ENOMEM;
		else
			h->h_mode |= SHM_LOCKED;
	}
	if (rc == 0 && cmd == SHM_UNLOCK)
		h->h_mode &= ~(uint32_t)SHM_LOCKED;
	ipckit__obj_unlock(o);
out_put:
	ipckit__obj_put(o);
	return rc;
}

IPCKIT_EXPORT int ipckit_shmctl(int shmid, int cmd, struct shmid_ds *buf)
{
	int rc;
	if (cmd < 0 || shmid < 0)
		return (int)ipckit__ret(-EINVAL);
	switch (cmd) {
	case IPC_INFO:
		rc = shm_ipc_info(buf);
		break;
	case SHM_INFO:
		rc = shm_shm_info(buf);
		break;
	case IPC_STAT:
	case SHM_STAT:
	case SHM_STAT_ANY:
		rc = shm_stat(shmid, cmd, buf);
		break;
	case IPC_SET:
		rc = shm_set(shmid, buf);
		break;
	case IPC_RMID:
		rc = shm_rmid(shmid);
		break;
	case SHM_LOCK:
	case SHM_UNLOCK:
		rc = shm_lock_cmd(shmid, cmd);
		break;
	default:
		rc = -EINVAL;
		break;
	}
	return (int)ipckit__ret(rc);
}
