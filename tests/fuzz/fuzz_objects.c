/*
 * fuzz_objects.c - a libFuzzer target for ipckit's object files.
 *
 * Every byte of an object file is input to the library (docs/DESIGN.md,
 * "Hostile input"): another process may have written anything. Each fuzz
 * input is one object file of one kind, written over a fresh object in a
 * private namespace; then every path that reads the file runs: opening by
 * id and by key, *_STAT by index, msgsnd and msgrcv (IPC_NOWAIT, MSG_COPY,
 * the type selectors, a short timed wait), semop (IPC_NOWAIT, a short
 * timed wait), semctl, shmat and shmdt, ipckit_gc and the snapshots behind
 * `ipckit ls`. No call may crash, hang, trip a sanitizer, write past the
 * caller's buffer or return holding an object's lock.
 *
 * An input is an 8-byte header, then the image:
 *
 *   0  u8   flags: bits 0-1 the kind (0 msg, 1 sem, 2 shm, 3 msg),
 *           FZ_LIVE, FZ_RESIZE
 *   1  u8   live mode: creation parameter when the image names none
 *           (nsems - 1, shm pages - 1)
 *   2  u16  reserved (ignored)
 *   4  u32  seed of the operations' arguments
 *   8       the image: bytes written over the file from offset 0
 *
 * Two modes:
 * - Before mapping (FZ_LIVE clear): the file is placed in the namespace
 *   as another process could leave it, before this process ever mapped
 *   it: the checks made on open. Its size is the image's h_size (the image
 *   covers a prefix; the rest reads as zeros, so seeds need no trailing
 *   zeros) or, with FZ_RESIZE, the image's own length: truncated and
 *   extended files.
 * - Live (FZ_LIVE set): the object is made through the library and used
 *   (messages queued, an undo record, an attach), then the image is
 *   written over it through a second mapping while this process keeps its
 *   own, then every operation runs again: the checks made on every use.
 *   The file keeps its size: truncating a file that processes map kills
 *   them with SIGBUS, which no library can prevent.
 *
 * The lock word. An object's lock is a robust glibc mutex in the file
 * (src/lock.c); its first word names the owner thread. A forged owner
 * that is a live process (pid 1, this process) blocks every caller for
 * good, as a live holder that never unlocks does (lock.c says so); the
 * fuzzer turns such a tid into one above pid_max. A forged owner that does
 * not exist costs lock.c a 100 ms slice before it is marked dead; by
 * default the fuzzer marks it dead as lock.c would (FUTEX_OWNER_DIED), so
 * that inputs stay fast. IPCKIT_FUZZ_SLOW_LOCKS=1 keeps such words as they
 * are, to exercise lock.c's own detection (0.1 s or more per input).
 *
 * The key path waits for an object being made (h_state INIT) while its
 * creator lives. An image naming a live creator would make opening by key
 * wait for it for good, as a creator stopped between link() calls does;
 * the fuzzer opens such images by id and index only.
 *
 * `--make-corpus=DIR` writes the seed corpus (DIR/msg, DIR/sem, DIR/shm)
 * from objects made here in real states - queued messages, blocked and
 * killed waiters, undo records of dead processes, a holder killed inside
 * a critical section at each of the library's crash points - and exits.
 */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_HDR	     8
#define FZ_KIND_MASK 3u
#define FZ_LIVE	     4u
#define FZ_RESIZE    8u

/* The namespace's limits (ipckit.conf): small objects, few slots. */
#define FZ_MSGMAX 100
#define FZ_MSGMNB 128
#define FZ_MNI	  8
/* Slots a placed file may take: bounds the library's handle caches. */
#define FZ_SLOTS 16
/* Largest file a placed image may ask for (sparse: costs nothing). */
#define FZ_MAX_FILE (4u << 20)
/* Keys of the objects made in live mode: FZ_KEY + kind. */
#define FZ_KEY 0x465a0000
/* The short timed waits, in nanoseconds. */
#define FZ_WAIT_NS 200000
/* A tid no process can have: above every pid_max (at most 2^22). */
#define FZ_DEAD_TID 0x20000000u
/* Bytes checked after each buffer the library writes to. */
#define FZ_CANARY   64
#define FZ_MAX_IDS  16
#define FZ_MAX_ATTS 8
/* Operations in the largest semop: above sem.c's SMA_OPS_FAST (16). */
#define FZ_SEMOPS 20

static char fz_dir[PATH_MAX];
static int fz_dirfd = -1;
static bool fz_slow_locks;
static bool fz_race;

/* Ids handed to the library this input: their cached handles are dropped. */
static int fz_ids[IPCKIT_NKINDS][FZ_MAX_IDS];
static unsigned fz_nids[IPCKIT_NKINDS];

/* Attaches made this input, detached before the next. */
static void *fz_atts[FZ_MAX_ATTS];
static unsigned fz_natts;

static const char *const fz_kind_name[IPCKIT_NKINDS] = {"", "msg", "sem",
							"shm"};

union fz_semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *info;
};

static void fz_die(const char *what)
{
	fprintf(stderr, "fuzz_objects: %s\n", what);
	abort();
}

/* ---- checks after every call --------------------------------------------- */

/*
 * No library call may return holding an object's lock: glibc keeps a held
 * robust mutex on the thread's robust list, which is then empty exactly
 * when nothing is held. A lock left held would also be unmapped with its
 * object later, and the next lock would write through the list into that
 * hole.
 */
static void fz_check(const char *call)
{
	struct robust_list_head *head;
	size_t len;
	if (syscall(SYS_get_robust_list, 0, &head, &len) < 0 || !head)
		return;
	if (head->list.next != &head->list || head->list_op_pending) {
		fprintf(stderr, "fuzz_objects: %s returned holding a lock\n",
			call);
		abort();
	}
}

#define FZ_CALL(call)                                                          \
	({                                                                     \
		__auto_type rc_ = (call);                                      \
		fz_check(#call);                                               \
		rc_;                                                           \
	})

/*
 * A buffer the library writes to, with FZ_CANARY guard bytes after it.
 * The library proves user buffers with process_vm_writev, which the
 * sanitizers do not see, so an overrun is caught by the guard instead.
 */
static void *fz_buf(size_t len)
{
	uint8_t *p = malloc(len + FZ_CANARY);
	if (!p)
		fz_die("out of memory");
	memset(p, 0xa5, len + FZ_CANARY);
	return p;
}

static void fz_buf_free(void *buf, size_t len, const char *call)
{
	uint8_t *p = buf;
	for (size_t i = 0; i < FZ_CANARY; i++)
		if (p[len + i] != 0xa5) {
			fprintf(stderr,
				"fuzz_objects: %s wrote past its buffer of "
				"%zu bytes\n",
				call, len);
			abort();
		}
	free(p);
}

static void fz_note_id(unsigned kind, int id)
{
	for (unsigned i = 0; i < fz_nids[kind]; i++)
		if (fz_ids[kind][i] == id)
			return;
	if (fz_nids[kind] < FZ_MAX_IDS)
		fz_ids[kind][fz_nids[kind]++] = id;
}

/* ---- the operations' arguments ------------------------------------------- */

struct fz_rng {
	uint64_t s;
};

static uint32_t fz_rand(struct fz_rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return (uint32_t)(r->s >> 16);
}

/* ---- the lock word and the creator --------------------------------------- */

static bool fz_pid_exists(uint32_t pid)
{
	return pid && (kill((pid_t)pid, 0) == 0 || errno != ESRCH);
}

/* What the fuzzer leaves of a lock word (see the top of the file). */
static uint32_t fz_lock_word(uint32_t v)
{
	uint32_t tid = v & FUTEX_TID_MASK;
	if (v == 0 || (v & FUTEX_OWNER_DIED))
		return v;
	if (!fz_slow_locks)
		return (v & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
	if (fz_pid_exists(tid))
		return v | FZ_DEAD_TID;
	return v;
}

/* Applies fz_lock_word to a file's first `len` bytes held at `p`. */
static void fz_fix_lock(uint8_t *p, size_t len)
{
	uint32_t v;
	size_t off = offsetof(struct ipckit_hdr, h_lock);
	if (len < off + sizeof(v))
		return;
	memcpy(&v, p + off, sizeof(v));
	v = fz_lock_word(v);
	memcpy(p + off, &v, sizeof(v));
}

/* The header of the file `name`, or false if it is shorter. */
static bool fz_read_hdr(const char *name, struct ipckit_hdr *h)
{
	int fd = openat(fz_dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = pread(fd, h, sizeof(*h), 0);
	close(fd);
	return n == (ssize_t)sizeof(*h);
}

/* Whether opening by key would wait for a living creator (see the top). */
static bool fz_key_would_wait(const char *name)
{
	struct ipckit_hdr h;
	if (!fz_read_hdr(name, &h))
		return false;
	if (atomic_load(&h.h_state) == IPCKIT_STATE_READY)
		return false;
	struct ipckit_proc_rec creator = {.p_pid = h.h_cpid,
					  .p_start = h.h_cstart};
	return !ipckit__proc_is_dead(&creator);
}

/* ---- the operations ------------------------------------------------------ */

static void fz_ops_msg(int id, bool timed, struct fz_rng *r)
{
	struct msqid_ds *ds = fz_buf(sizeof(*ds));
	bool have_ds = FZ_CALL(ipckit_msgctl(id, IPC_STAT, ds)) == 0;
	struct msqid_ds set = *ds;
	fz_buf_free(ds, sizeof(*ds), "IPC_STAT");
	int senders, receivers;
	FZ_CALL(ipckit_msg_waiters(id, &senders, &receivers));

	struct {
		long mtype;
		char mtext[FZ_MSGMAX];
	} out;
	for (unsigned k = 0; k < 3; k++) {
		out.mtype = 1 + fz_rand(r) % 4;
		memset(out.mtext, 'a' + (int)k, sizeof(out.mtext));
		FZ_CALL(ipckit_msgsnd(id, &out, fz_rand(r) % (FZ_MSGMAX + 1),
				      IPC_NOWAIT));
	}
	for (unsigned k = 0; k < 5; k++) {
		size_t sz = fz_rand(r) % (FZ_MSGMAX + 1);
		long type = (long)(fz_rand(r) % 9) - 4;
		uint32_t x = fz_rand(r);
		int flg = IPC_NOWAIT;
		if (x & 1)
			flg |= MSG_NOERROR;
		if ((x & 2) && type > 0)
			flg |= MSG_EXCEPT;
		if (k == 4) {
			flg = IPC_NOWAIT | MSG_COPY;
			type = x % 4;
		}
		void *in = fz_buf(sizeof(long) + sz);
		FZ_CALL(ipckit_msgrcv(id, in, sz, type, flg));
		fz_buf_free(in, sizeof(long) + sz, "msgrcv");
	}
	if (have_ds) {
		set.msg_qbytes = 1 + fz_rand(r) % FZ_MSGMNB;
		FZ_CALL(ipckit_msgctl(id, IPC_SET, &set));
	}
	if (!timed)
		return;
	/* A waiter record is taken, waits, and is given back. */
	struct timespec t = {0, FZ_WAIT_NS};
	void *in = fz_buf(sizeof(long) + FZ_MSGMAX);
	FZ_CALL(ipckit_msgtimedrcv(id, in, FZ_MSGMAX, 1000 + fz_rand(r) % 4, 0,
				   &t));
	fz_buf_free(in, sizeof(long) + FZ_MSGMAX, "msgtimedrcv");
	out.mtype = 1;
	FZ_CALL(ipckit_msgtimedsnd(id, &out, FZ_MSGMAX, 0, &t));
}

static void fz_ops_sem(int id, bool timed, struct fz_rng *r)
{
	union fz_semun a;
	uint32_t nsems = 1;
	struct semid_ds *ds = fz_buf(sizeof(*ds));
	a.buf = ds;
	if (FZ_CALL(ipckit_semctl(id, 0, IPC_STAT, a)) == 0)
		nsems = (uint32_t)ds->sem_nsems;
	fz_buf_free(ds, sizeof(*ds), "IPC_STAT");
	if (nsems == 0 || nsems > SMA_NSEMS_MAX)
		nsems = 1;
	/*
	 * GETALL writes as many values as the set has, and IPC_STAT said
	 * how many. In race mode the writer can flip h_removed, so that the
	 * next call maps the file anew and believes another count: the
	 * arrays then have room for the largest set (docs/RELIABILITY.md).
	 */
	size_t alen = 2ull * (fz_race ? SMA_NSEMS_MAX : nsems);
	a.array = fz_buf(alen);
	FZ_CALL(ipckit_semctl(id, 0, GETALL, a));
	fz_buf_free(a.array, alen, "GETALL");
	int num = (int)(fz_rand(r) % nsems);
	FZ_CALL(ipckit_semctl(id, num, GETVAL));
	FZ_CALL(ipckit_semctl(id, num, GETPID));
	FZ_CALL(ipckit_semctl(id, num, GETNCNT));
	FZ_CALL(ipckit_semctl(id, num, GETZCNT));

	/*
	 * IPC_NOWAIT on every operation: none of these blocks. The last
	 * semop has more operations than sem.c evaluates on the stack.
	 */
	struct sembuf ops[FZ_SEMOPS];
	for (unsigned k = 0; k < 3; k++) {
		unsigned n =
		    k < 2 ? 1 + fz_rand(r) % 4 : FZ_SEMOPS - fz_rand(r) % 4;
		for (unsigned i = 0; i < n; i++) {
			ops[i].sem_num =
			    (unsigned short)(fz_rand(r) % (nsems + 1));
			ops[i].sem_op = (short)(fz_rand(r) % 5) - 2;
			ops[i].sem_flg =
			    (short)(IPC_NOWAIT |
				    (fz_rand(r) & 1 ? SEM_UNDO : 0));
		}
		FZ_CALL(ipckit_semop(id, ops, n));
	}
	if (timed) {
		/* Blocked for a moment: a waiter slot is taken, given back. */
		struct timespec t = {0, FZ_WAIT_NS};
		ops[0].sem_num = (unsigned short)(fz_rand(r) % nsems);
		ops[0].sem_op = (short)(fz_rand(r) % 3) - 2;
		ops[0].sem_flg = fz_rand(r) & 1 ? SEM_UNDO : 0;
		FZ_CALL(ipckit_semtimedop(id, ops, 1, &t));
	}
	a.val = (int)(fz_rand(r) % 4);
	FZ_CALL(ipckit_semctl(id, num, SETVAL, a));
	a.array = fz_buf(alen);
	for (uint32_t i = 0; i < nsems; i++)
		a.array[i] = (unsigned short)(fz_rand(r) % 3);
	FZ_CALL(ipckit_semctl(id, 0, SETALL, a));
	fz_buf_free(a.array, alen, "SETALL");
}

static void fz_att_add(void *p)
{
	if (fz_natts < FZ_MAX_ATTS)
		fz_atts[fz_natts++] = p;
	else if (ipckit_shmdt(p) < 0)
		fz_die("shmdt of a fresh attach failed");
}

static void fz_att_detach_all(void)
{
	while (fz_natts > 0) {
		void *p = fz_atts[--fz_natts];
		if (FZ_CALL(ipckit_shmdt(p)) < 0)
			fz_die("shmdt of an attach address failed");
	}
}

static void fz_ops_shm(int id, struct fz_rng *r)
{
	struct shmid_ds *ds = fz_buf(sizeof(*ds));
	FZ_CALL(ipckit_shmctl(id, IPC_STAT, ds));
	fz_buf_free(ds, sizeof(*ds), "IPC_STAT");
	int flg = fz_rand(r) & 1 ? SHM_RDONLY : 0;
	volatile char *p = FZ_CALL(ipckit_shmat(id, NULL, flg));
	if (p != (void *)-1) {
		/* The data must be there: no SIGBUS on a checked file. */
		char c = p[0];
		if (!flg)
			p[0] = (char)(c + 1);
		fz_att_add((void *)p);
	}
	FZ_CALL(ipckit_shmctl(id, SHM_LOCK, NULL));
	FZ_CALL(ipckit_shmctl(id, SHM_UNLOCK, NULL));
	if (fz_rand(r) & 1)
		fz_att_detach_all();
}

/*
 * The calls on one id. `timed`: also the short timed waits, which sleep
 * (the machine's other work then runs), so they come once per input.
 */
static void fz_ops(unsigned kind, int id, bool timed, struct fz_rng *r)
{
	if (id >= 0)
		fz_note_id(kind, id);
	switch (kind) {
	case IPCKIT_KIND_MSG:
		fz_ops_msg(id, timed, r);
		break;
	case IPCKIT_KIND_SEM:
		fz_ops_sem(id, timed, r);
		break;
	default:
		fz_ops_shm(id, r);
	}
}

static int fz_get_by_key(unsigned kind, key_t key)
{
	switch (kind) {
	case IPCKIT_KIND_MSG:
		return FZ_CALL(ipckit_msgget(key, 0));
	case IPCKIT_KIND_SEM:
		return FZ_CALL(ipckit_semget(key, 0, 0));
	default:
		return FZ_CALL(ipckit_shmget(key, 0, 0));
	}
}

static void fz_rmid(unsigned kind, int id)
{
	switch (kind) {
	case IPCKIT_KIND_MSG:
		FZ_CALL(ipckit_msgctl(id, IPC_RMID, NULL));
		break;
	case IPCKIT_KIND_SEM:
		FZ_CALL(ipckit_semctl(id, 0, IPC_RMID));
		break;
	default:
		FZ_CALL(ipckit_shmctl(id, IPC_RMID, NULL));
	}
}

/*
 * What reads objects by their place in the namespace rather than by id:
 * *_STAT by index, the *_INFO totals, the reaper, and `ipckit ls`. Each
 * maps every object it looks at anew, so it comes once per input.
 */
static void fz_walk(unsigned kind, int id, int slot)
{
	void *buf;
	size_t len = 256; /* above every struct *id_ds and *info */
	for (unsigned k = 0; k < 3; k++) {
		buf = fz_buf(len);
		switch (kind) {
		case IPCKIT_KIND_MSG: {
			int cmds[] = {MSG_STAT, MSG_STAT_ANY, MSG_INFO};
			FZ_CALL(ipckit_msgctl(k < 2 ? slot : 0, cmds[k], buf));
			break;
		}
		case IPCKIT_KIND_SEM: {
			int cmds[] = {SEM_STAT, SEM_STAT_ANY, SEM_INFO};
			union fz_semun a = {.buf = buf};
			FZ_CALL(ipckit_semctl(k < 2 ? slot : 0, 0, cmds[k], a));
			break;
		}
		default: {
			int cmds[] = {SHM_STAT, SHM_STAT_ANY, SHM_INFO};
			FZ_CALL(ipckit_shmctl(k < 2 ? slot : 0, cmds[k], buf));
		}
		}
		fz_buf_free(buf, len, "a *_STAT or *_INFO");
	}
	FZ_CALL(ipckit_gc());
#ifdef FUZZ_INSPECT
	struct ipckit_snap s;
	int *slots = NULL;
	int n = FZ_CALL(ipckit__inspect_slots(kind, &slots));
	for (int i = 0; i < n; i++)
		if (FZ_CALL(ipckit__inspect_slot(kind, slots[i], &s)) == 0)
			ipckit__inspect_free(&s);
	free(slots);
	if (id >= 0 && FZ_CALL(ipckit__inspect_id(kind, id, &s)) == 0)
		ipckit__inspect_free(&s);
#else
	(void)id;
#endif
}

/* ---- the namespace between inputs ---------------------------------------- */

static bool fz_is_ids(const char *name)
{
	const char *dot = strchr(name, '.');
	return dot && !strcmp(dot, ".ids");
}

/*
 * Removes every object of the last input, as a process removing it would
 * (h_removed set, then the names), so the library's cached handles and
 * per-thread set see it gone; drops those handles; and zeroes the id
 * files, so each input's live object gets the same id.
 */
static void fz_reset(void)
{
	fz_att_detach_all();
	int fd = openat(fz_dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d)
		fz_die("cannot read the namespace directory");
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *name = e->d_name;
		if (!strcmp(name, ".") || !strcmp(name, "..") ||
		    !strcmp(name, "ipckit.conf"))
			continue;
		int ofd =
		    openat(fz_dirfd, name, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
		if (fz_is_ids(name)) {
			static const uint8_t zeros[sizeof(struct ipckit_ids)];
			if (ofd >= 0)
				(void)!pwrite(ofd, zeros, sizeof(zeros), 0);
		} else {
			uint32_t one = 1;
			struct stat st;
			if (ofd >= 0 && fstat(ofd, &st) == 0 &&
			    st.st_size >= (off_t)IPCKIT_BODY_OFFSET)
				(void)!pwrite(
				    ofd, &one, sizeof(one),
				    offsetof(struct ipckit_hdr, h_removed));
			unlinkat(fz_dirfd, name, 0);
		}
		if (ofd >= 0)
			close(ofd);
	}
	closedir(d);
	for (unsigned kind = 1; kind < IPCKIT_NKINDS; kind++) {
		for (unsigned i = 0; i < fz_nids[kind]; i++) {
			struct ipckit_obj *o =
			    ipckit__handle_find(kind, fz_ids[kind][i]);
			if (o) {
				ipckit__handle_forget(o);
				ipckit__obj_put(o);
			}
		}
		fz_nids[kind] = 0;
	}
}

static void fz_remove_dir(void)
{
	if (fz_dirfd < 0)
		return;
	fz_reset();
	int fd = openat(fz_dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(fz_dirfd, e->d_name, 0);
	if (d)
		closedir(d);
	rmdir(fz_dir);
}

static void fz_make_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(fz_dir, sizeof(fz_dir), "%s/ipckit-fuzz.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(fz_dir))
		fz_die("mkdtemp failed");
	fz_dirfd = open(fz_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int fd = openat(fz_dirfd, "ipckit.conf",
			O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fz_dirfd < 0 || fd < 0)
		fz_die("cannot make the namespace directory");
	dprintf(fd,
		"msgmax = %d\nmsgmnb = %d\nmsgmni = %d\nsemmni = %d\n"
		"shmmni = %d\n",
		FZ_MSGMAX, FZ_MSGMNB, FZ_MNI, FZ_MNI, FZ_MNI);
	close(fd);
	setenv("IPCKIT_DIR", fz_dir, 1);
	atexit(fz_remove_dir);
}

/* ---- one input ----------------------------------------------------------- */

struct fz_input {
	unsigned kind;
	bool live, resize;
	uint8_t param;
	struct fz_rng rng;
	const uint8_t *img;
	size_t len;
	struct ipckit_hdr h; /* the image's header, zeros past its end */
};

static void fz_name(char *buf, size_t n, unsigned kind, int slot)
{
	snprintf(buf, n, "%s.%d", fz_kind_name[kind], slot);
}

/*
 * Before mapping: the image becomes the file in a slot, under its key too,
 * as a process that wrote it could have left it.
 */
static void fz_run_placed(struct fz_input *in)
{
	uint64_t size = in->len;
	if (!in->resize && in->len >= sizeof(in->h) &&
	    in->h.h_size >= IPCKIT_BODY_OFFSET && in->h.h_size <= FZ_MAX_FILE)
		size = in->h.h_size;
	size_t n = in->len < size ? in->len : (size_t)size;
	int id = in->h.h_id;
	int slot = id >= 0 ? id % IPCKIT_SLOTS : 0;
	if (slot >= FZ_SLOTS)
		slot %= FZ_SLOTS;
	/* The lock word may be only partly in the image: the rest is 0. */
	size_t lock_end = offsetof(struct ipckit_hdr, h_lock) + 4;
	size_t m = n < lock_end && size >= lock_end ? lock_end : n;
	uint8_t *file = calloc(1, m ? m : 1);
	if (!file)
		fz_die("out of memory");
	memcpy(file, in->img, n);
	fz_fix_lock(file, m);

	char name[64], key[64];
	fz_name(name, sizeof(name), in->kind, slot);
	int fd =
	    openat(fz_dirfd, name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0 || ftruncate(fd, (off_t)size) < 0 ||
	    pwrite(fd, file, m, 0) != (ssize_t)m)
		fz_die("cannot place the image");
	close(fd);
	free(file);
	bool keyed = in->h.h_key != IPC_PRIVATE;
	if (keyed) {
		snprintf(key, sizeof(key), "%s.key.%08x",
			 fz_kind_name[in->kind], (unsigned)in->h.h_key);
		linkat(fz_dirfd, name, fz_dirfd, key, 0);
	}

	int ids[3] = {id >= 0 ? id : slot, -1, -1};
	if (keyed && !fz_key_would_wait(key))
		ids[1] = fz_get_by_key(in->kind, in->h.h_key);
	/* The same slot under another sequence number: a stale id. */
	ids[2] = ids[0] <= INT_MAX - IPCKIT_SLOTS ? ids[0] + IPCKIT_SLOTS
						  : ids[0] - IPCKIT_SLOTS;
	fz_ops(in->kind, ids[0], true, &in->rng);
	if (ids[1] >= 0 && ids[1] != ids[0])
		fz_ops(in->kind, ids[1], false, &in->rng);
	fz_ops(in->kind, ids[2], false, &in->rng);
	fz_walk(in->kind, ids[0], slot);
	/* After the walk's repairs and reaps, once more. */
	fz_ops(in->kind, ids[0], false, &in->rng);
	fz_rmid(in->kind, ids[0]);
}

/* Makes the live object, uses it, and returns its id (or -1). */
static int fz_make_live(struct fz_input *in)
{
	key_t key = FZ_KEY + (key_t)in->kind;
	int flg = IPC_CREAT | IPC_EXCL | 0666;
	int id;
	struct {
		long mtype;
		char mtext[FZ_MSGMAX];
	} m;
	switch (in->kind) {
	case IPCKIT_KIND_MSG:
		id = FZ_CALL(ipckit_msgget(key, flg));
		if (id < 0)
			return -1;
		memset(m.mtext, 'm', sizeof(m.mtext));
		for (unsigned k = 0; k < 4; k++) {
			m.mtype = 1 + k % 3;
			FZ_CALL(ipckit_msgsnd(id, &m, (k * 37) % FZ_MSGMAX,
					      IPC_NOWAIT));
		}
		return id;
	case IPCKIT_KIND_SEM: {
		uint32_t nsems = 1 + in->param % 8;
		if (in->len >= IPCKIT_BODY_OFFSET + sizeof(uint32_t)) {
			uint32_t n;
			memcpy(&n, in->img + IPCKIT_BODY_OFFSET, sizeof(n));
			if (n >= 1 && n <= 64)
				nsems = n;
		}
		id = FZ_CALL(ipckit_semget(key, (int)nsems, flg));
		if (id < 0)
			return -1;
		struct sembuf op = {0, 2, SEM_UNDO | IPC_NOWAIT};
		FZ_CALL(ipckit_semop(id, &op, 1));
		return id;
	}
	default: {
		size_t segsz = 1 + (size_t)in->param * 1000;
		if (in->len >= IPCKIT_BODY_OFFSET + sizeof(uint64_t)) {
			uint64_t s;
			memcpy(&s, in->img + IPCKIT_BODY_OFFSET, sizeof(s));
			if (s >= 1 && s <= (1u << 20))
				segsz = (size_t)s;
		}
		id = FZ_CALL(ipckit_shmget(key, segsz, flg));
		if (id < 0)
			return -1;
		void *p = FZ_CALL(ipckit_shmat(id, NULL, 0));
		if (p != (void *)-1)
			fz_att_add(p);
		return id;
	}
	}
}

/*
 * A second mapping of the object's file, the image, and the bytes the
 * object had: the race thread writes the two over each other.
 */
struct fz_scribble {
	uint8_t *map, *orig;
	const uint8_t *img;
	size_t size, n;
	pthread_t thread;
	atomic_bool stop;
};

static bool fz_map_object(unsigned kind, int slot, struct fz_scribble *w,
			  const uint8_t *img, size_t len)
{
	char name[64];
	struct stat st;
	fz_name(name, sizeof(name), kind, slot);
	int fd = openat(fz_dirfd, name, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return false; /* already removed (declared lost) */
	if (fstat(fd, &st) < 0 || st.st_size == 0) {
		close(fd);
		return false;
	}
	w->size = (size_t)st.st_size;
	w->n = len < w->size ? len : w->size;
	w->img = img;
	w->map = mmap(NULL, w->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (w->map == MAP_FAILED)
		fz_die("cannot map the object");
	return true;
}

/* Everything but the lock's bytes (see fz_race_run). */
static void fz_copy_unlocked(uint8_t *dst, const uint8_t *src, size_t n)
{
	size_t lo = offsetof(struct ipckit_hdr, h_lock), hi = lo + 64;
	memcpy(dst, src, n < lo ? n : lo);
	if (n > hi)
		memcpy(dst + hi, src + hi, n - hi);
}

/*
 * Race mode ($IPCKIT_FUZZ_RACE=1, live inputs): while the calls after the
 * damage run, this thread writes the image and the object's own bytes
 * over each other without pause, so fields change between two reads in
 * one call, as when a process writes the file concurrently. The lock's
 * 64 bytes are left alone: glibc stores list pointers there while the
 * lock is held, and unlocking writes through them (docs/RELIABILITY.md).
 * What it finds is not reproducible input by input; the stack says where.
 */
static void *fz_race_run(void *arg)
{
	struct fz_scribble *w = arg;
	while (!atomic_load_explicit(&w->stop, memory_order_relaxed)) {
		fz_copy_unlocked(w->map, w->img, w->n);
		fz_copy_unlocked(w->map, w->orig, w->n);
	}
	return NULL;
}

static void fz_race_start(struct fz_scribble *w)
{
	w->orig = malloc(w->n ? w->n : 1);
	if (!w->orig)
		fz_die("out of memory");
	memcpy(w->orig, w->map, w->n);
	atomic_init(&w->stop, false);
	if (pthread_create(&w->thread, NULL, fz_race_run, w) != 0)
		fz_die("cannot start the race thread");
}

static void fz_race_stop(struct fz_scribble *w)
{
	atomic_store(&w->stop, true);
	pthread_join(w->thread, NULL);
	fz_copy_unlocked(w->map, w->img, w->n);
	free(w->orig);
}

static void fz_run_live(struct fz_input *in)
{
	int id = fz_make_live(in);
	if (id < 0)
		return;
	int slot = id % IPCKIT_SLOTS;
	fz_note_id(in->kind, id);
	fz_ops(in->kind, id, false, &in->rng);
	struct fz_scribble w;
	bool mapped = fz_map_object(in->kind, slot, &w, in->img, in->len);
	if (mapped && fz_race) {
		fz_race_start(&w);
		fz_ops(in->kind, id, true, &in->rng);
		fz_walk(in->kind, id, slot);
		fz_race_stop(&w);
	} else if (mapped) {
		/* The image over the object, through the second mapping. */
		memcpy(w.map, in->img, w.n);
		/* The whole word: the image may cover only part of it. */
		fz_fix_lock(w.map, w.size);
	}
	fz_ops(in->kind, id, true, &in->rng);
	char name[64];
	fz_name(name, sizeof(name), in->kind, slot);
	if (!fz_key_would_wait(name))
		fz_get_by_key(in->kind, FZ_KEY + (key_t)in->kind);
	fz_walk(in->kind, id, slot);
	fz_ops(in->kind, id, false, &in->rng);
	fz_rmid(in->kind, id);
	if (mapped)
		munmap(w.map, w.size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < FZ_HDR)
		return -1; /* not worth keeping */
	struct fz_input in;
	uint32_t seed;
	memset(&in, 0, sizeof(in));
	in.kind = (data[0] & FZ_KIND_MASK) % 3 + 1;
	in.live = data[0] & FZ_LIVE;
	in.resize = data[0] & FZ_RESIZE;
	in.param = data[1];
	memcpy(&seed, data + 4, sizeof(seed));
	in.rng.s = ((uint64_t)seed << 1 | 1) * 0x9e3779b97f4a7c15ull;
	in.img = data + FZ_HDR;
	in.len = size - FZ_HDR;
	memcpy(&in.h, in.img, in.len < sizeof(in.h) ? in.len : sizeof(in.h));
	if (in.live)
		fz_run_live(&in);
	else
		fz_run_placed(&in);
	fz_reset();
	return 0;
}

/* ---- the seed corpus ----------------------------------------------------- */

static const char *mk_out;
static unsigned mk_count;

/* Writes one seed from the file `name`: placed, and live if asked. */
static void mk_seed_file(unsigned kind, const char *seed, const char *name,
			 bool live)
{
	int fd = openat(fz_dirfd, name, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "make-corpus: %s: no file %s\n", seed, name);
		exit(1);
	}
	size_t len = (size_t)st.st_size;
	uint8_t *buf = malloc(FZ_HDR + len);
	if (!buf || pread(fd, buf + FZ_HDR, len, 0) != (ssize_t)len)
		fz_die("make-corpus: cannot read an object");
	close(fd);
	/* The harness pads to h_size with zeros: leave them out. */
	while (len > IPCKIT_BODY_OFFSET && buf[FZ_HDR + len - 1] == 0)
		len--;
	for (int pass = 0; pass < (live ? 2 : 1); pass++) {
		uint32_t s = 0x1badcafe + mk_count;
		memset(buf, 0, FZ_HDR);
		buf[0] = (uint8_t)((kind - 1) | (pass ? FZ_LIVE : 0));
		memcpy(buf + 4, &s, sizeof(s));
		char path[PATH_MAX];
		snprintf(path, sizeof(path), "%s/%s/%s%s", mk_out,
			 fz_kind_name[kind], seed, pass ? "-live" : "");
		FILE *f = fopen(path, "we");
		if (!f || fwrite(buf, 1, FZ_HDR + len, f) != FZ_HDR + len ||
		    fclose(f) != 0) {
			fprintf(stderr, "make-corpus: cannot write %s\n", path);
			exit(1);
		}
		mk_count++;
	}
	free(buf);
}

static void mk_seed(unsigned kind, int id, const char *seed)
{
	char name[64];
	fz_name(name, sizeof(name), kind, id % IPCKIT_SLOTS);
	mk_seed_file(kind, seed, name, true);
}

/* The object file of `kind` in the namespace, whatever its slot or name. */
static void mk_seed_any(unsigned kind, const char *seed)
{
	int fd = openat(fz_dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fdopendir(fd);
	struct dirent *e;
	size_t klen = strlen(fz_kind_name[kind]);
	while (d && (e = readdir(d))) {
		const char *n = e->d_name;
		bool tmp = !strncmp(n, ".tmp.", 5) &&
			   !strncmp(n + 5, fz_kind_name[kind], klen);
		if (tmp ||
		    (!strncmp(n, fz_kind_name[kind], klen) && n[klen] == '.' &&
		     n[klen + 1] >= '0' && n[klen + 1] <= '9')) {
			mk_seed_file(kind, seed, n, false);
			closedir(d);
			return;
		}
	}
	fprintf(stderr, "make-corpus: %s: no object file\n", seed);
	exit(1);
}

static void mk_check(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "make-corpus: %s: %s\n", what, strerror(errno));
		exit(1);
	}
}

/* A u64 of the object's body, at `off` from its start. */
static uint64_t mk_body_u64(unsigned kind, int id, uint64_t off)
{
	char name[64];
	uint64_t v = 0;
	fz_name(name, sizeof(name), kind, id % IPCKIT_SLOTS);
	int fd = openat(fz_dirfd, name, O_RDONLY | O_CLOEXEC);
	mk_check(fd >= 0 && pread(fd, &v, sizeof(v),
				  (off_t)(IPCKIT_BODY_OFFSET + off)) ==
				(ssize_t)sizeof(v),
		 "pread");
	close(fd);
	return v;
}

/*
 * Rewrites the process record at `off` in the object's file to name pid 1
 * with no start time: a peer that never dies, whose holdings stay.
 */
static void mk_live_peer(unsigned kind, int id, uint64_t off)
{
	char name[64];
	struct ipckit_proc_rec rec = {.p_pid = 1};
	fz_name(name, sizeof(name), kind, id % IPCKIT_SLOTS);
	int fd = openat(fz_dirfd, name, O_RDWR | O_CLOEXEC);
	mk_check(fd >= 0 && pwrite(fd, &rec, sizeof(rec), (off_t)off) ==
				(ssize_t)sizeof(rec),
		 "pwrite");
	close(fd);
}

/* Waits (up to 10 s) until `done` says the child is where it should be. */
static void mk_wait_for(bool (*done)(int id), int id, const char *what)
{
	for (int i = 0; i < 10000; i++) {
		if (done(id))
			return;
		struct timespec nap = {0, 1000000};
		nanosleep(&nap, NULL);
	}
	fprintf(stderr, "make-corpus: %s never happened\n", what);
	exit(1);
}

static bool mk_msg_receiver(int id)
{
	int s = 0, r = 0;
	return ipckit_msg_waiters(id, &s, &r) == 0 && r > 0;
}

static bool mk_msg_sender(int id)
{
	int s = 0, r = 0;
	return ipckit_msg_waiters(id, &s, &r) == 0 && s > 0;
}

static bool mk_sem_waiter(int id)
{
	return ipckit_semctl(id, 0, GETNCNT) > 0 ||
	       ipckit_semctl(id, 1, GETZCNT) > 0;
}

static void mk_kill(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void mk_stop(pid_t pid)
{
	int st;
	kill(pid, SIGSTOP);
	waitpid(pid, &st, WUNTRACED);
}

/* A child that kills itself at crash point `fault` inside `fn`. */
static void mk_crash(const char *fault, void (*fn)(int id), int id)
{
	pid_t pid = fork();
	mk_check(pid >= 0, "fork");
	if (pid == 0) {
		setenv("IPCKIT_FAULT", fault, 1);
		fn(id);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	if (!WIFSIGNALED(st)) {
		fprintf(stderr, "make-corpus: crash point %s not reached\n",
			fault);
		exit(1);
	}
}

struct mk_msg {
	long mtype;
	char mtext[FZ_MSGMAX];
};

static void mk_msgsnd(int id)
{
	struct mk_msg m = {3, "crash"};
	ipckit_msgsnd(id, &m, 2, IPC_NOWAIT);
}

static void mk_msgrcv(int id)
{
	struct mk_msg m;
	ipckit_msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT);
}

/*
 * 70 sends in a row: the 65th goes through the queue's lane (msg.c). One
 * byte each, so that they fit in FZ_MSGMNB.
 */
static void mk_msgsnd_stream(int id)
{
	for (int i = 0; i < 70; i++) {
		struct mk_msg m = {1 + i % 2, "s"};
		ipckit_msgsnd(id, &m, 1, IPC_NOWAIT);
	}
}

static void mk_msgrcv_stream(int id)
{
	struct mk_msg m;
	while (ipckit_msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT) >= 0)
		;
}

static void mk_msgstat(int id)
{
	struct msqid_ds ds;
	ipckit_msgctl(id, IPC_STAT, &ds);
}

static void mk_msgget_keyed(int id)
{
	ipckit_msgget(FZ_KEY + 100 + id, IPC_CREAT | 0666);
}

static int mk_msg_queue(void)
{
	int id = ipckit_msgget(IPC_PRIVATE, 0666);
	mk_check(id >= 0, "msgget");
	return id;
}

static void mk_msg_send(int id, long type, size_t len)
{
	struct mk_msg m = {type, ""};
	memset(m.mtext, 'a' + (int)(type % 26), sizeof(m.mtext));
	mk_check(ipckit_msgsnd(id, &m, len, IPC_NOWAIT) == 0, "msgsnd");
}

static void mk_msg_corpus(void)
{
	static const size_t sizes[] = {0, 3, 8, 9, 40, 65};
	int id = mk_msg_queue();
	mk_seed(IPCKIT_KIND_MSG, id, "empty");
	for (unsigned k = 0; k < 6; k++)
		mk_msg_send(id, 1 + k % 3, sizes[k]);
	mk_seed(IPCKIT_KIND_MSG, id, "queued");
	mk_crash("msgsnd-filled", mk_msgsnd, id);
	mk_seed(IPCKIT_KIND_MSG, id, "killed-at-msgsnd-filled");
	mk_crash("msgrcv-copied", mk_msgrcv, id);
	mk_seed(IPCKIT_KIND_MSG, id, "killed-at-msgrcv-copied");
	mk_crash("msgrcv-unlinked", mk_msgrcv, id);
	mk_seed(IPCKIT_KIND_MSG, id, "killed-at-msgrcv-unlinked");
	ipckit_msgctl(id, IPC_RMID, NULL);

	/* The stream lane: on with messages in it, and its crash points. */
	id = mk_msg_queue();
	mk_msgsnd_stream(id);
	mk_seed(IPCKIT_KIND_MSG, id, "lane");
	mk_crash("msgctl-lane-off-chained", mk_msgstat, id);
	mk_seed(IPCKIT_KIND_MSG, id, "killed-at-msgctl-lane-off-chained");
	mk_msgrcv_stream(id);
	mk_msgsnd_stream(id);
	mk_crash("msgctl-lane-off-linked", mk_msgstat, id);
	mk_seed(IPCKIT_KIND_MSG, id, "killed-at-msgctl-lane-off-linked");
	mk_msgrcv_stream(id);
	mk_crash("msgsnd-lane-published", mk_msgsnd_stream, id);
	mk_seed(IPCKIT_KIND_MSG, id, "killed-at-msgsnd-lane-published");
	mk_crash("msgrcv-lane-copied", mk_msgrcv_stream, id);
	mk_seed(IPCKIT_KIND_MSG, id, "killed-at-msgrcv-lane-copied");
	ipckit_msgctl(id, IPC_RMID, NULL);

	/* A receiver blocked, then killed. */
	id = mk_msg_queue();
	mk_msg_send(id, 2, 20);
	pid_t pid = fork();
	mk_check(pid >= 0, "fork");
	if (pid == 0) {
		struct mk_msg m;
		ipckit_msgrcv(id, &m, sizeof(m.mtext), -1, 0);
		_exit(0);
	}
	mk_wait_for(mk_msg_receiver, id, "a blocked msgrcv");
	mk_seed(IPCKIT_KIND_MSG, id, "receiver");
	/* Handed a message while stopped: GOT, never taken. */
	mk_stop(pid);
	mk_msg_send(id, 1, 50);
	mk_seed(IPCKIT_KIND_MSG, id, "handed");
	mk_kill(pid);
	ipckit_msgctl(id, IPC_RMID, NULL);

	/* A full queue and a blocked sender. */
	id = mk_msg_queue();
	struct msqid_ds ds;
	mk_check(ipckit_msgctl(id, IPC_STAT, &ds) == 0, "IPC_STAT");
	ds.msg_qbytes = 16;
	mk_check(ipckit_msgctl(id, IPC_SET, &ds) == 0, "IPC_SET");
	mk_msg_send(id, 5, 9);
	mk_msg_send(id, 6, 7);
	pid = fork();
	mk_check(pid >= 0, "fork");
	if (pid == 0) {
		struct mk_msg m = {7, "x"};
		ipckit_msgsnd(id, &m, 10, 0);
		_exit(0);
	}
	mk_wait_for(mk_msg_sender, id, "a blocked msgsnd");
	mk_seed(IPCKIT_KIND_MSG, id, "sender");
	mk_kill(pid);
	ipckit_msgctl(id, IPC_RMID, NULL);

	/* A receiver that never dies (its record names pid 1). */
	id = mk_msg_queue();
	pid = fork();
	mk_check(pid >= 0, "fork");
	if (pid == 0) {
		struct mk_msg m;
		ipckit_msgrcv(id, &m, sizeof(m.mtext), 9, 0);
		_exit(0);
	}
	mk_wait_for(mk_msg_receiver, id, "a blocked msgrcv");
	mk_kill(pid);
	mk_live_peer(IPCKIT_KIND_MSG, id,
		     mk_body_u64(IPCKIT_KIND_MSG, id,
				 offsetof(struct msq_body, q_waiter_off)) +
			 offsetof(struct msq_waiter, w_proc));
	mk_seed(IPCKIT_KIND_MSG, id, "receiver-live-peer");
	ipckit_msgctl(id, IPC_RMID, NULL);

	/* A creator killed before publishing: an INIT object in its slot. */
	mk_crash("create-slotted", mk_msgget_keyed, 1);
	mk_seed_any(IPCKIT_KIND_MSG, "stillborn");
	fz_reset();
}

static int mk_sem_set(int nsems)
{
	int id = ipckit_semget(IPC_PRIVATE, nsems, 0666);
	mk_check(id >= 0, "semget");
	return id;
}

static void mk_semop(int id, unsigned short num, short op, short flg)
{
	struct sembuf sb = {num, op, flg};
	mk_check(ipckit_semop(id, &sb, 1) == 0, "semop");
}

static void mk_sem_undo_child(int id)
{
	struct sembuf sb[2] = {{1, 2, SEM_UNDO}, {2, -1, SEM_UNDO}};
	ipckit_semop(id, sb, 2);
}

static void mk_sem_setall(int id)
{
	unsigned short v[4] = {4, 3, 2, 1};
	union fz_semun a = {.array = v};
	ipckit_semctl(id, 0, SETALL, a);
}

static void mk_sem_setval(int id)
{
	union fz_semun a = {.val = 9};
	ipckit_semctl(id, 2, SETVAL, a);
}

static void mk_sem_block(int id)
{
	struct sembuf sb = {0, -5, SEM_UNDO};
	ipckit_semop(id, &sb, 1);
}

/* Blocks whatever the values are: the crash point comes before. */
static void mk_sem_block_big(int id)
{
	struct sembuf sb = {0, -30000, 0};
	ipckit_semop(id, &sb, 1);
}

static void mk_sem_post(int id)
{
	struct sembuf sb = {0, 5, 0};
	ipckit_semop(id, &sb, 1);
}

static void mk_sem_corpus(void)
{
	int id = mk_sem_set(1);
	mk_seed(IPCKIT_KIND_SEM, id, "one");
	ipckit_semctl(id, 0, IPC_RMID);

	id = mk_sem_set(4);
	unsigned short v[4] = {0, 1, 2, 32767};
	union fz_semun a = {.array = v};
	mk_check(ipckit_semctl(id, 0, SETALL, a) == 0, "SETALL");
	mk_seed(IPCKIT_KIND_SEM, id, "values");
	/* An undo record of a process that ended without applying it. */
	pid_t pid = fork();
	mk_check(pid >= 0, "fork");
	if (pid == 0) {
		mk_sem_undo_child(id);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	mk_seed(IPCKIT_KIND_SEM, id, "undo");
	mk_crash("sem-semop-committed", mk_sem_undo_child, id);
	mk_seed(IPCKIT_KIND_SEM, id, "killed-at-sem-semop-committed");
	mk_crash("sem-undo-taken", mk_sem_undo_child, id);
	mk_seed(IPCKIT_KIND_SEM, id, "killed-at-sem-undo-taken");
	mk_crash("sem-setall-applying", mk_sem_setall, id);
	mk_seed(IPCKIT_KIND_SEM, id, "killed-at-sem-setall-applying");
	mk_crash("sem-setval-committed", mk_sem_setval, id);
	mk_seed(IPCKIT_KIND_SEM, id, "killed-at-sem-setval-committed");
	ipckit_semctl(id, 0, IPC_RMID);

	/* Blocked waiters: -5 on 0 and wait-for-zero on 1. */
	id = mk_sem_set(3);
	mk_semop(id, 1, 1, 0);
	pid = fork();
	mk_check(pid >= 0, "fork");
	if (pid == 0) {
		mk_sem_block(id);
		_exit(0);
	}
	pid_t zpid = fork();
	mk_check(zpid >= 0, "fork");
	if (zpid == 0) {
		struct sembuf sb = {1, 0, 0};
		ipckit_semop(id, &sb, 1);
		_exit(0);
	}
	mk_wait_for(mk_sem_waiter, id, "a blocked semop");
	while (ipckit_semctl(id, 1, GETZCNT) < 1 ||
	       ipckit_semctl(id, 0, GETNCNT) < 1)
		sched_yield();
	mk_seed(IPCKIT_KIND_SEM, id, "waiters");
	/* Finished by a post while stopped: DONE, never acknowledged. */
	mk_stop(pid);
	mk_sem_post(id);
	mk_seed(IPCKIT_KIND_SEM, id, "done");
	mk_kill(pid);
	mk_kill(zpid);
	/* A waker killed inside the hand-off. */
	union fz_semun zero = {.val = 0};
	mk_check(ipckit_semctl(id, 0, SETVAL, zero) == 0, "SETVAL");
	pid = fork();
	mk_check(pid >= 0, "fork");
	if (pid == 0) {
		mk_sem_block(id);
		_exit(0);
	}
	mk_wait_for(mk_sem_waiter, id, "a blocked semop");
	mk_crash("sem-handoff-committed", mk_sem_post, id);
	mk_seed(IPCKIT_KIND_SEM, id, "killed-at-sem-handoff-committed");
	mk_kill(pid);
	mk_crash("sem-waiter-filled", mk_sem_block_big, id);
	mk_seed(IPCKIT_KIND_SEM, id, "killed-at-sem-waiter-filled");
	ipckit_semctl(id, 0, IPC_RMID);

	/* An undo record and a waiter of a peer that never dies (pid 1). */
	id = mk_sem_set(3);
	pid = fork();
	mk_check(pid >= 0, "fork");
	if (pid == 0) {
		struct sembuf sb = {1, 2, SEM_UNDO};
		ipckit_semop(id, &sb, 1);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	pid = fork();
	mk_check(pid >= 0, "fork");
	if (pid == 0) {
		mk_sem_block(id);
		_exit(0);
	}
	mk_wait_for(mk_sem_waiter, id, "a blocked semop");
	mk_kill(pid);
	mk_live_peer(IPCKIT_KIND_SEM, id,
		     mk_body_u64(IPCKIT_KIND_SEM, id,
				 offsetof(struct sma_body, s_undo_off)) +
			 offsetof(struct sma_undo, u_proc));
	mk_live_peer(IPCKIT_KIND_SEM, id,
		     mk_body_u64(IPCKIT_KIND_SEM, id,
				 offsetof(struct sma_body, s_wait_off)) +
			 offsetof(struct sma_waiter, w_proc));
	mk_seed(IPCKIT_KIND_SEM, id, "live-peer");
	ipckit_semctl(id, 0, IPC_RMID);
	fz_reset();
}

static int mk_shm_seg(size_t size)
{
	int id = ipckit_shmget(IPC_PRIVATE, size, 0666);
	mk_check(id >= 0, "shmget");
	return id;
}

static void mk_shm_attach(int id)
{
	ipckit_shmat(id, NULL, 0);
}

static void mk_shm_corpus(void)
{
	int id = mk_shm_seg(100);
	mk_seed(IPCKIT_KIND_SHM, id, "fresh");
	void *p = ipckit_shmat(id, NULL, 0);
	void *q = ipckit_shmat(id, NULL, SHM_RDONLY);
	mk_check(p != (void *)-1 && q != (void *)-1, "shmat");
	mk_seed(IPCKIT_KIND_SHM, id, "attached");
	ipckit_shmdt(p);
	ipckit_shmdt(q);
	mk_crash("shm-rec-add", mk_shm_attach, id);
	mk_seed(IPCKIT_KIND_SHM, id, "killed-at-shm-rec-add");
	mk_crash("shm-attach-counted", mk_shm_attach, id);
	mk_seed(IPCKIT_KIND_SHM, id, "killed-at-shm-attach-counted");
	ipckit_shmctl(id, IPC_RMID, NULL);

	/* Attached by a peer that never dies (pid 1). */
	id = mk_shm_seg(4096);
	pid_t peer = fork();
	mk_check(peer >= 0, "fork");
	if (peer == 0) {
		mk_shm_attach(id);
		_exit(0);
	}
	waitpid(peer, NULL, 0);
	mk_live_peer(IPCKIT_KIND_SHM, id, SHM_SEG_ATT_OFFSET);
	mk_seed(IPCKIT_KIND_SHM, id, "attached-live-peer");
	ipckit_shmctl(id, IPC_RMID, NULL);

	/* Removed while a (then killed) process is attached: SHM_DEST. */
	id = mk_shm_seg(3 * 4096 + 5);
	pid_t pid = fork();
	mk_check(pid >= 0, "fork");
	if (pid == 0) {
		ipckit_shmat(id, NULL, 0);
		raise(SIGSTOP);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, WUNTRACED);
	ipckit_shmctl(id, IPC_RMID, NULL);
	mk_seed(IPCKIT_KIND_SHM, id, "dest");
	mk_kill(pid);
	fz_reset();
}

static void mk_corpus(const char *out)
{
	mk_out = out;
	for (unsigned kind = 1; kind < IPCKIT_NKINDS; kind++) {
		char path[PATH_MAX];
		snprintf(path, sizeof(path), "%s/%s", out, fz_kind_name[kind]);
		mkdir(out, 0755);
		mkdir(path, 0755);
	}
	mk_msg_corpus();
	mk_sem_corpus();
	mk_shm_corpus();
	printf("make-corpus: %u seeds in %s\n", mk_count, out);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *slow = getenv("IPCKIT_FUZZ_SLOW_LOCKS");
	fz_slow_locks = slow && *slow && strcmp(slow, "0");
	const char *race = getenv("IPCKIT_FUZZ_RACE");
	fz_race = race && *race && strcmp(race, "0");
	/* The short waits should be short: no timer slack. */
	prctl(PR_SET_TIMERSLACK, 1UL);
	fz_make_dir();
	for (int i = 1; i < *argc; i++)
		if (!strncmp((*argv)[i], "--make-corpus=", 14)) {
			mk_corpus((*argv)[i] + 14);
			exit(0);
		}
	return 0;
}
