/*
 * internal.h - the ipckit__ functions shared between the library's files.
 *
 * Conventions: functions return 0 or a count on success and -Exxx on
 * failure, and never write errno; a public call converts once, on its last
 * line, with ipckit__ret(). Everything here has hidden visibility.
 */
#ifndef IPCKIT_INTERNAL_H
#define IPCKIT_INTERNAL_H

#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "ipckit.h"
#include "layout.h"

#define IPCKIT_HIDDEN __attribute__((visibility("hidden")))

/* ---- util.c: error conversion, time, spinning ---------------------------- */

/* rc >= 0 passes through; else errno = -rc and -1. */
IPCKIT_HIDDEN long ipckit__ret(long rc);
/* shmat's twin: a negative errno encoded as a pointer value. */
IPCKIT_HIDDEN void *ipckit__ret_ptr(void *p);
#define IPCKIT_ERR_PTR(e) ((void *)(intptr_t)(e))
#define IPCKIT_IS_ERR_PTR(p) ((uintptr_t)(p) >= (uintptr_t)-4095)

/* Seconds since 1970, for the *_time fields. */
IPCKIT_HIDDEN int64_t ipckit__now(void);

/*
 * Turns a caller's timeout into an absolute CLOCK_MONOTONIC deadline.
 * NULL means forever (*has_deadline = false). Malformed → -EINVAL.
 */
IPCKIT_HIDDEN int ipckit__deadline(const struct timespec *timeout, bool abs,
				   struct timespec *deadline,
				   bool *has_deadline);
/* True once CLOCK_MONOTONIC has passed `deadline`. */
IPCKIT_HIDDEN bool ipckit__expired(const struct timespec *deadline);
/*
 * The end of one sleep of a blocking call: `deadline` or, if sooner, `ms`
 * from now (stored in *slice). Returns the pointer to whichever it is, so
 * a caller can tell a slice's end from the deadline.
 */
IPCKIT_HIDDEN const struct timespec *
ipckit__slice_until(const struct timespec *deadline, struct timespec *slice,
		    long ms);

/* Spin iterations before sleeping (ipckit_set_spin, $IPCKIT_SPIN). */
IPCKIT_HIDDEN unsigned ipckit__spin_limit(void);
/* One iteration of a spin loop (a pause instruction). */
IPCKIT_HIDDEN void ipckit__cpu_relax(void);

/*
 * True if [p, p+len) is readable (write: writable) memory of this process,
 * so a bad user pointer gives EFAULT instead of a crash. Costs a system
 * call (process_vm_readv/writev on ourselves); used only on the argument
 * checks the kernel also makes, never per byte.
 */
IPCKIT_HIDDEN bool ipckit__user_readable(const void *p, size_t len);
IPCKIT_HIDDEN bool ipckit__user_writable(void *p, size_t len);

/*
 * Copies that give -EFAULT instead of crashing on a bad user pointer. The
 * plain ones trust the per-thread cache of proved ranges (data paths); the
 * _checked ones always ask the kernel (ctl calls, where a buffer made
 * read-only or unmapped since its last use must still give EFAULT).
 */
IPCKIT_HIDDEN int ipckit__copy_from_user(void *dst, const void *src,
					 size_t len);
IPCKIT_HIDDEN int ipckit__copy_to_user(void *dst, const void *src, size_t len);
IPCKIT_HIDDEN int ipckit__copy_from_user_checked(void *dst, const void *src,
						 size_t len);
IPCKIT_HIDDEN int ipckit__copy_to_user_checked(void *dst, const void *src,
					       size_t len);
/*
 * Copies the pieces `src[0..nsrc)` (len bytes in all) to consecutive user
 * memory at dst, proving the whole range at once: one system call for a
 * buffer not yet proved, none after.
 */
struct iovec;
IPCKIT_HIDDEN int ipckit__copy_to_user_gather(void *dst, size_t len,
					      const struct iovec *src,
					      int nsrc);

/*
 * Crash points for tests: when $IPCKIT_FAULT names `point` (read once per
 * process), the process kills itself there with SIGKILL, as if killed at
 * that instruction; when it names "stop:" and the point, the process
 * stops itself there with SIGSTOP (a stopped holder of a lock). Costs
 * one load and a branch when unset.
 */
IPCKIT_HIDDEN void ipckit__fault(const char *point);

/* ---- futex.c: the only caller of the futex system call ------------------- */

/*
 * Sleeps while *word == val, on a word in a MAP_SHARED file mapping.
 * deadline: absolute CLOCK_MONOTONIC or NULL for forever. Returns 0 when
 * woken (or the value differed), -ETIMEDOUT, or -EINTR when a signal
 * handler ran, even one with SA_RESTART: the wait always carries a
 * deadline, so the kernel never restarts it.
 */
IPCKIT_HIDDEN int ipckit__futex_wait(_Atomic uint32_t *word, uint32_t val,
				     const struct timespec *deadline);
/*
 * Wakes up to n sleepers (INT_MAX: all). Returns how many it woke: 0 tells
 * a waker that nobody was asleep on the word (sem.c uses that to notice a
 * waiter that died asleep).
 */
IPCKIT_HIDDEN int ipckit__futex_wake(_Atomic uint32_t *word, int n);

/* ---- lock.c: the robust process-shared lock ------------------------------ */

/* Initializes a lock in a fresh mapping (64 bytes at `mem`). */
IPCKIT_HIDDEN int ipckit__lock_init(void *mem);
/*
 * Takes the lock. Returns 0; -EOWNERDEAD when the previous holder died
 * holding it (the caller now holds it, repairs the state it guards, then
 * calls ipckit__lock_consistent); -ENOTRECOVERABLE when a holder died
 * and nobody repaired (the object is lost); -EINVAL when the lock bytes
 * are corrupt. A holder that vanished without the kernel marking the lock
 * (a corrupted owner field) is detected and treated as dead.
 */
IPCKIT_HIDDEN int ipckit__lock(void *mem);
/*
 * The same, giving up with -ETIMEDOUT while a live owner keeps the lock
 * past `deadline` (absolute CLOCK_MONOTONIC; NULL: never), but never
 * before it has waited one 100 ms slice: for timed calls, which must end
 * near their timeout even behind a stopped process, and for readers such
 * as `ipckit ls`, which must not hang behind one.
 */
IPCKIT_HIDDEN int ipckit__lock_until(void *mem,
				     const struct timespec *deadline);
/*
 * How long the command's snapshots and gc wait for a lock before they
 * call its object busy: critical sections last microseconds, so a holder
 * that keeps it this long is stopped (SIGSTOP, a debugger) or worse.
 */
#define IPCKIT_BUSY_MS 1000
IPCKIT_HIDDEN void ipckit__lock_consistent(void *mem);
IPCKIT_HIDDEN void ipckit__unlock(void *mem);
/* The thread id the lock word names as owner, 0 when free (a hint). */
IPCKIT_HIDDEN pid_t ipckit__lock_owner(const void *mem);

/* ---- proc.c: process identity and death ---------------------------------- */

/* This process: pid and start time, refreshed after fork. */
IPCKIT_HIDDEN void ipckit__self(struct ipckit_proc_rec *out);
/* True if the process recorded in `rec` is gone (dead, zombie, pid reused). */
IPCKIT_HIDDEN bool ipckit__proc_is_dead(const struct ipckit_proc_rec *rec);
/* True if two records name the same process (pid and start time). */
static inline bool ipckit__proc_same(const struct ipckit_proc_rec *a,
				     const struct ipckit_proc_rec *b)
{
	return a->p_pid == b->p_pid && a->p_start == b->p_start;
}
/* Start time of `pid` (0 if it does not exist). */
IPCKIT_HIDDEN uint64_t ipckit__proc_start(pid_t pid);

/* ---- ns.c: the namespace directory and its limits ------------------------ */

struct ipckit_limits {
	uint32_t msgmax, msgmnb, msgmni;
	uint32_t semmsl, semmns, semopm, semmni, semvmx, semaem;
	uint64_t shmmax, shmall, shmmni, shmmin;
};

struct ipckit_ns {
	char path[PATH_MAX];
	int dirfd;
	struct ipckit_limits lim;
};

/* The namespace of this process, made and checked on first use. */
IPCKIT_HIDDEN int ipckit__ns(const struct ipckit_ns **out);
/*
 * The same, with dirfd checked to still name the directory (reopened if a
 * program closed it): for every use of dirfd. Costs an fstat.
 */
IPCKIT_HIDDEN int ipckit__ns_checked(const struct ipckit_ns **out);

/* ---- obj.c: objects, keys, ids, permissions ------------------------------ */

/* A process's mapping of one object; counted references. */
struct ipckit_obj {
	struct ipckit_hdr *hdr;	/* the mapping of the control part */
	uint64_t size;		/* mapped bytes (h_ctl_size, checked) */
	uint64_t file_size;	/* h_size, == the file's size (checked) */
	/*
	 * The creator's mapping of the rest of the file (shm's data pages),
	 * right after the control part, when that is at most
	 * IPCKIT_SPARE_MAX bytes; NULL otherwise and once shm.c has taken it
	 * (under its attachment lock). Unmapped with the handle if unused.
	 */
	void *spare;
	size_t spare_len;
	unsigned kind;
	int id;
	int slot;
	dev_t dev;
	ino_t ino;
	atomic_int refs;
	void *perm;		/* obj.c's permission cache, under h_lock */
	/*
	 * The kind's geometry (array sizes and offsets) as its validate()
	 * found it: private to this process, because the shared copy may be
	 * rewritten under us. Every bounds check uses these.
	 */
	uint64_t geom[8];
	/*
	 * CLOCK_MONOTONIC milliseconds of this process's last reap of the
	 * object on a blocking path (ipckit__reap_due), so that path reads
	 * /proc at most every IPCKIT_REAP_MS.
	 */
	_Atomic int64_t reap_ms;
};

/* The largest spare a creator maps (struct ipckit_obj's spare). */
#define IPCKIT_SPARE_MAX ((uint64_t)1 << 20)

#define IPCKIT_REAP_MS 100
/*
 * True if this process last reaped `o` on a blocking path more than
 * IPCKIT_REAP_MS ago, and notes now. Blocking paths reap only when this
 * says so: finding the dead costs /proc reads, and a waiter that runs into
 * a dead process's leftovers retries within the same bound anyway.
 */
IPCKIT_HIDDEN bool ipckit__reap_due(struct ipckit_obj *o);

/* What ipckit__get needs to know of a kind. */
struct ipckit_kind_ops {
	const char *name;	/* "msg", "sem", "shm": file names */
	/* Bytes of the object file for a create with `arg` (nsems, size). */
	uint64_t (*file_size)(uint64_t arg);
	/*
	 * Bytes of it that handles map (h_ctl_size): the whole file for
	 * msg and sem; shm leaves its data pages to shmat.
	 */
	uint64_t (*ctl_size)(uint64_t arg);
	/* Builds the body in a fresh zeroed mapping, before publication. */
	int (*init)(struct ipckit_obj *o, uint64_t arg);
	/* Checks the body against the header on open; -EINVAL if bad. */
	int (*validate)(struct ipckit_obj *o);
	/* Opening an existing object with `arg` (semget's nsems > count...). */
	int (*check_open)(struct ipckit_obj *o, uint64_t arg);
	/* Units of the kind's global limit this object uses (sems, pages). */
	uint64_t (*units)(struct ipckit_obj *o);
	/*
	 * Called with h_lock held after the previous holder died inside the
	 * critical section: make the body consistent or return -EIDRM to
	 * declare the object lost (it is then removed).
	 */
	int (*repair)(struct ipckit_obj *o);
	/* Called with h_lock held: give back what dead processes hold. */
	int (*reap)(struct ipckit_obj *o);
	/* Called with h_lock held once h_removed is set: wake every waiter. */
	void (*removed)(struct ipckit_obj *o);
};

IPCKIT_HIDDEN const struct ipckit_kind_ops *ipckit__kind(unsigned kind);
extern IPCKIT_HIDDEN const struct ipckit_kind_ops ipckit__msg_ops;
extern IPCKIT_HIDDEN const struct ipckit_kind_ops ipckit__sem_ops;
extern IPCKIT_HIDDEN const struct ipckit_kind_ops ipckit__shm_ops;

/*
 * The xxxget(2) call for every kind: key rules, creation, limits, the
 * low-9-bit permission check. `arg` is the kind's creation argument;
 * `units` what the new object counts against the kind's global limit
 * (semmns, shmall) and `units_max` that limit (0: none). Returns the id.
 */
IPCKIT_HIDDEN int ipckit__get(unsigned kind, key_t key, int flg, uint64_t arg,
			      uint64_t units, uint64_t units_max);

/*
 * Finds the object with `id`: returns 0 and a reference in *out, or
 * -EINVAL (no such id, stale, removed, or a damaged file).
 */
IPCKIT_HIDDEN int ipckit__obj_get(unsigned kind, int id,
				  struct ipckit_obj **out);
/* The object in `slot`, whatever its id (MSG_STAT and friends). */
IPCKIT_HIDDEN int ipckit__obj_get_slot(unsigned kind, int slot,
				       struct ipckit_obj **out);
IPCKIT_HIDDEN void ipckit__obj_put(struct ipckit_obj *o);

/*
 * Takes the object's lock. Returns 0, or -EIDRM when the object is removed
 * (the lock is then NOT held). Repairs after a dead holder through the
 * kind's repair(); a failed repair removes the object and gives -EIDRM.
 */
IPCKIT_HIDDEN int ipckit__obj_lock(struct ipckit_obj *o);
/* The same, or -ETIMEDOUT at `deadline` (see ipckit__lock_until). */
IPCKIT_HIDDEN int ipckit__obj_lock_until(struct ipckit_obj *o,
					 const struct timespec *deadline);
IPCKIT_HIDDEN void ipckit__obj_unlock(struct ipckit_obj *o);
IPCKIT_HIDDEN bool ipckit__obj_is_removed(const struct ipckit_obj *o);
/*
 * A message queue's stream lane off, its messages on the queue list
 * (msg.c): for readers such as inspect.c that copy the list. Called with
 * h_lock held. Returns 0 or -EIDRM.
 */
IPCKIT_HIDDEN int ipckit__msq_settle(struct ipckit_obj *o);

/*
 * The kernel's ipcperms(): flag holds the requested bits as the kernel
 * passes them (0444 read, 0222 write, or an xxxget's low 9 bits). Reads
 * credentials fresh (system calls): for slow paths.
 */
IPCKIT_HIDDEN int ipckit__perm(const struct ipckit_hdr *h, int flag);
/*
 * The same, cached per handle: no system call unless the object's owner or
 * mode changed, or this process's credentials may have (fork, set*id seen
 * by the preload library). Called with h_lock held.
 */
IPCKIT_HIDDEN int ipckit__perm_cached(struct ipckit_obj *o, int flag);
/*
 * The cached verdict alone, without the lock and without writing: 0, or
 * -EACCES, or 1 when the cache cannot say (the caller takes the lock and
 * asks ipckit__perm_cached). For lock-free fast paths.
 */
IPCKIT_HIDDEN int ipckit__perm_peek(struct ipckit_obj *o, int flag);
/* Tells the permission caches that credentials may have changed. */
IPCKIT_HIDDEN void ipckit__creds_changed(void);
/* Owner, creator or privileged (IPC_SET, IPC_RMID); else -EPERM. */
IPCKIT_HIDDEN int ipckit__may_own(const struct ipckit_hdr *h);
/*
 * The same with the effective uid from the handle's permission cache (no
 * system call unless credentials may have changed, as for
 * ipckit__perm_cached). Called with h_lock held.
 */
IPCKIT_HIDDEN int ipckit__may_own_cached(struct ipckit_obj *o);
/*
 * Capabilities, as the kernel checks them: CAP_IPC_OWNER bypasses the mode
 * bits, CAP_SYS_ADMIN the owner check of IPC_SET and IPC_RMID,
 * CAP_SYS_RESOURCE limits (msg_qbytes above msgmnb). Root in a container
 * may lack some. A system call: slow paths only.
 */
IPCKIT_HIDDEN bool ipckit__capable(int cap);
/* ipckit__capable(CAP_SYS_RESOURCE). */
IPCKIT_HIDDEN bool ipckit__privileged(void);

/* Fills a struct ipc_perm from the header. Called with h_lock held. */
IPCKIT_HIDDEN void ipckit__fill_perm(const struct ipckit_hdr *h,
				     struct ipc_perm *out);
/*
 * IPC_SET's common part: owner check, then uid, gid, the low 9 mode bits
 * and ctime, and the file's own mode and owner to match. Called with
 * h_lock held.
 */
IPCKIT_HIDDEN int ipckit__obj_set(struct ipckit_obj *o,
				  const struct ipc_perm *perm);
/*
 * IPC_RMID's common part. Called with h_lock held: sets h_removed, unlinks
 * the key and slot names, calls the kind's removed() to wake waiters.
 */
IPCKIT_HIDDEN void ipckit__obj_remove(struct ipckit_obj *o);
/* Frees only the key, leaving the object reachable by id (shm's SHM_DEST). */
IPCKIT_HIDDEN void ipckit__obj_unlink_key(struct ipckit_obj *o);

/*
 * Opens the object's file again (for shmat's data mapping): returns an fd
 * checked to be the same file, -EIDRM if its slot name is gone or names
 * another file, or -errno (EACCES when the file mode denies us).
 */
IPCKIT_HIDDEN int ipckit__obj_open_fd(struct ipckit_obj *o, int flags);

/* Highest slot in use for `kind`, or -1; and how many objects exist. */
IPCKIT_HIDDEN int ipckit__obj_scan(unsigned kind, int *max_slot, int *count,
				   uint64_t *units);

/* ---- handle.c: the per-process table from ids to mappings ---------------- */

/* Cached reference to the mapping for `id`, or NULL (caller then maps). */
IPCKIT_HIDDEN struct ipckit_obj *ipckit__handle_find(unsigned kind, int id);
/* Offers a fresh mapping to the cache (takes its own reference). */
IPCKIT_HIDDEN void ipckit__handle_insert(struct ipckit_obj *o);
/* Drops the cached entry for `o` (after it was found removed). */
IPCKIT_HIDDEN void ipckit__handle_forget(struct ipckit_obj *o);

/* ---- reap.c: giving back what the dead held ------------------------------ */

/* Reaps one object: takes the lock, calls the kind's reap. */
IPCKIT_HIDDEN int ipckit__reap_obj(struct ipckit_obj *o);
/* The same, or -ETIMEDOUT at `deadline` (see ipckit__lock_until). */
IPCKIT_HIDDEN int ipckit__reap_obj_until(struct ipckit_obj *o,
					 const struct timespec *deadline);
/* Reaps the whole namespace (ipckit_gc); reports each repair to `note`. */
IPCKIT_HIDDEN int ipckit__reap_all(void (*note)(const char *what, void *arg),
				   void *arg, bool dry_run);

/* ---- inspect.c: read-only snapshots, for the ipckit command -------------- */

/*
 * What a snapshot could make of an object file (ipckit_snap.status). Only
 * OK fills the kind's part; the others say why not and fill what the
 * header could still tell (NOACCESS: owner and mode of the file itself).
 */
#define IPCKIT_SNAP_OK	     0 /* live and valid */
#define IPCKIT_SNAP_NOACCESS 1 /* we may not open the file */
#define IPCKIT_SNAP_DAMAGED  2 /* fails validation: corrupted */
#define IPCKIT_SNAP_NEWER    3 /* a layout version newer than ours */
#define IPCKIT_SNAP_INIT     4 /* being made; or its creator died first */
#define IPCKIT_SNAP_REMOVED  5 /* removed; only its name is left */

/* A process named in an object; `dead` as ipckit__proc_is_dead says. */
struct ipckit_snap_proc {
	int32_t pid;
	bool dead;
};

/* Queued messages of one type. */
struct ipckit_snap_type {
	int64_t mtype;
	uint64_t count, bytes;
};

/* Receiver selectors (ipckit_snap_waiter.search), as msgrcv's msgtyp. */
#define IPCKIT_SNAP_ANY	      0 /* msgtyp 0 */
#define IPCKIT_SNAP_EQUAL     1 /* msgtyp > 0 */
#define IPCKIT_SNAP_EXCEPT    2 /* msgtyp > 0 with MSG_EXCEPT */
#define IPCKIT_SNAP_LESSEQUAL 3 /* msgtyp < 0: the lowest type <= |msgtyp| */

/* A blocked msgsnd or msgrcv. */
struct ipckit_snap_waiter {
	struct ipckit_snap_proc proc;
	bool sender;
	bool handed;	 /* receiver: handed a message, not yet taken */
	uint32_t search; /* receiver: IPCKIT_SNAP_ANY... */
	int64_t msgtyp;	 /* receiver: |msgtyp| */
	uint32_t bytes;	 /* sender: its message; receiver: its buffer */
};

/* One semaphore of a set. */
struct ipckit_snap_sem {
	uint32_t val, ncnt, zcnt;
	int32_t pid;
};

/* A blocked semop, counted in ncnt (op < 0) or zcnt (op 0) of `num`. */
struct ipckit_snap_semwait {
	struct ipckit_snap_proc proc;
	uint16_t num;	/* the semaphore it waits on */
	int16_t op;	/* that operation's sem_op */
	uint16_t nsops; /* operations in its semop */
};

/* A process's pending SEM_UNDO adjustments on one set (nonzero ones). */
struct ipckit_snap_undo {
	struct ipckit_snap_proc proc;
	uint32_t nadj;
	uint32_t *num; /* semaphore numbers */
	int32_t *adj;  /* their adjustments */
};

/* One attached process of a segment. */
struct ipckit_snap_att {
	struct ipckit_snap_proc proc;
	uint32_t count; /* its attaches */
	bool pending;	/* made by a forking parent for its child */
};

/*
 * Everything known about one object file, copied under the object's lock
 * (`locked`; without write access to the file the lock cannot be taken and
 * the copy is made without it: values may then be torn). Nothing in the
 * object is changed: no reaping, so counts may include processes that have
 * died since the object last reaped; each such process is listed with
 * `dead` set, and the `live` counts leave them out. Free with
 * ipckit__inspect_free.
 */
struct ipckit_snap {
	unsigned kind;
	int slot;
	int status; /* IPCKIT_SNAP_* */
	bool locked;
	/*
	 * Not locked because a live holder kept the lock past the wait: the
	 * thread id its lock word names (-1 if none). 0 otherwise.
	 */
	pid_t busy;
	char name[32]; /* its file in the namespace: "msg.5" */
	/* The header (status OK, INIT, REMOVED; else as far as known). */
	uint32_t version;
	int id; /* -1 when unknown */
	int32_t key;
	uint32_t uid, gid, cuid, cgid, mode;
	struct ipckit_snap_proc creator;
	int64_t ctime;
	uint64_t file_size;
	struct {
		uint64_t qnum, cbytes, qbytes, cap;
		int32_t lspid, lrpid;
		int64_t stime, rtime;
		uint32_t handed;       /* handed to receivers, not yet taken */
		uint32_t nsend, nrecv; /* blocked, as recorded */
		uint32_t live_send, live_recv; /* of them, alive */
		size_t ntypes;
		struct ipckit_snap_type *types; /* ascending mtype */
		size_t nwaiters;
		struct ipckit_snap_waiter *waiters; /* arrival order */
	} msg;
	struct {
		uint32_t nsems;
		int64_t otime;
		struct ipckit_snap_sem *sems; /* ncnt, zcnt: live waiters */
		size_t nwaiters;
		struct ipckit_snap_semwait *waiters; /* arrival order */
		uint32_t unrecorded; /* waiters beyond the table: in no
					ncnt or zcnt here */
		size_t nundo;
		struct ipckit_snap_undo *undo;
	} sem;
	struct {
		uint64_t segsz;
		int32_t lpid;
		int64_t atime, dtime;
		bool dest, locked;
		uint64_t nattch;      /* sum over the records */
		uint64_t live_nattch; /* of them, of live processes */
		size_t natts;
		struct ipckit_snap_att *atts;
	} shm;
};

/*
 * Snapshots the object file in `slot`. Returns 0 (status says what was
 * found), -ENOENT when the slot is empty, or -errno (the namespace, or
 * -ENOMEM). Never modifies the object, except that taking its lock after
 * a holder died runs the kind's repair, as any caller's would: leaving
 * the lock unrepaired would lose the object for everyone.
 */
IPCKIT_HIDDEN int ipckit__inspect_slot(unsigned kind, int slot,
				       struct ipckit_snap *out);
/* The same by id: -EINVAL when the slot holds another id (a stale one). */
IPCKIT_HIDDEN int ipckit__inspect_id(unsigned kind, int id,
				     struct ipckit_snap *out);
/* The slots that have an object file, ascending, in a malloc'd *slots. */
IPCKIT_HIDDEN int ipckit__inspect_slots(unsigned kind, int **slots);
IPCKIT_HIDDEN void ipckit__inspect_free(struct ipckit_snap *s);

#endif /* IPCKIT_INTERNAL_H */
