/*
 * ipckit.h - System V IPC in user space, on shared memory.
 *
 * The only public header of libipckit. Every call mirrors the Linux system
 * call of the same name without the prefix: same signature, same structures
 * (from <sys/msg.h>, <sys/sem.h>, <sys/shm.h>), same limits, same blocking
 * and wake-up rules, same errno values. A program moves from the kernel to
 * ipckit by prefixing the names (or, unmodified, through the preload library
 * libipckit-preload.so). Where ipckit knowingly differs from the kernel, the
 * declaration says so and docs/DESIGN.md lists it.
 *
 * Conventions for every call below:
 * - On failure the call returns -1 (shmat: (void *)-1) and sets errno. On
 *   success errno may have changed, as POSIX allows (the library makes
 *   system calls that fail on the way); the preload library restores it,
 *   as programs written for the kernel's wrappers may expect.
 * - Objects live as files in a namespace directory: $IPCKIT_DIR if set when
 *   the process first uses ipckit, else /dev/shm/ipckit. Processes share
 *   objects exactly when they share the directory.
 * - Any call on an object whose file was corrupted (bad magic, layout
 *   version, size or internal offsets) fails with EINVAL if the object
 *   cannot be identified, or EIDRM once it is found damaged; it never
 *   crashes or hangs the caller.
 * - Resources the kernel does not need: msgget, semget and shmget, shmat,
 *   and any call on an object this process has not opened yet open and
 *   map the object's file, so they can also fail with EMFILE or ENFILE
 *   (out of file descriptors) and ENOMEM (out of address space), errors
 *   the kernel's calls do not give there. The lists below name only the
 *   kernel's errors.
 * - Calls that may block fail with EINTR when a signal handler runs, even
 *   one installed with SA_RESTART: System V calls are never restarted.
 * - Thread-safe; fork() and exec() behave as on the kernel (see shmat and
 *   SEM_UNDO).
 */
#ifndef IPCKIT_H
#define IPCKIT_H

#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define IPCKIT_EXPORT __attribute__((visibility("default")))
#else
#define IPCKIT_EXPORT
#endif

/* ------------------------------------------------------------------------ */
/*  Common                                                                  */
/* ------------------------------------------------------------------------ */

/*
 * Flag for the timed message calls (ipckit_msgtimedsnd, ipckit_msgtimedrcv):
 * the timeout is an absolute CLOCK_MONOTONIC time instead of an interval. Chosen above every
 * flag bit the kernel defines for msgflg (IPC_NOWAIT, MSG_NOERROR,
 * MSG_EXCEPT, MSG_COPY) and the low 9 mode bits.
 */
#define IPCKIT_ABSTIME 0x40000000

/*
 * ipckit_set_spin - how long a caller about to block spins first.
 *
 * Before sleeping in the kernel (futex), a blocked call re-checks its
 * condition for up to `iterations` pause-loops (about 30 ns each on x86),
 * so a partner on another core can hand over work without a system call.
 * 0 turns spinning off: every wait sleeps at once. The default comes from
 * $IPCKIT_SPIN when the process first uses ipckit, else 600. The setting
 * is per process. Returns the previous value. Never fails.
 */
IPCKIT_EXPORT unsigned ipckit_set_spin(unsigned iterations);

/*
 * ipckit_dir - the namespace directory this process uses.
 *
 * Returns its path (owned by the library, valid until exit), or NULL with
 * errno set when the directory is unusable: EACCES or EPERM when it is
 * owned by another non-root user or is world-writable without the sticky
 * bit, ENOTDIR when the path is not a directory, or the errno of creating
 * it. The first call creates the default directory (mode 01777, like /tmp).
 */
IPCKIT_EXPORT const char *ipckit_dir(void);

/* ------------------------------------------------------------------------ */
/*  Message queues (man 2 msgget, msgop, msgctl)                            */
/* ------------------------------------------------------------------------ */

/*
 * ipckit_msgget - as msgget(2). Returns a queue id.
 * Errors: EACCES, EEXIST, ENOENT, ENOSPC (msgmni queues exist), ENOMEM.
 */
IPCKIT_EXPORT int ipckit_msgget(key_t key, int msgflg);

/*
 * ipckit_msgsnd - as msgsnd(2). Blocks while the queue is full unless
 * IPC_NOWAIT. Errors: EACCES, EAGAIN, EFAULT, EIDRM, EINTR, EINVAL.
 */
IPCKIT_EXPORT int ipckit_msgsnd(int msqid, const void *msgp, size_t msgsz,
				int msgflg);

/*
 * ipckit_msgrcv - as msgrcv(2), including MSG_EXCEPT, MSG_NOERROR and
 * MSG_COPY. Returns the number of bytes copied into mtext.
 * Errors: E2BIG, EACCES, EFAULT, EIDRM, EINTR, EINVAL, ENOMSG.
 */
IPCKIT_EXPORT ssize_t ipckit_msgrcv(int msqid, void *msgp, size_t msgsz,
				    long msgtyp, int msgflg);

/*
 * ipckit_msgctl - as msgctl(2): IPC_STAT, IPC_SET, IPC_RMID, IPC_INFO,
 * MSG_INFO, MSG_STAT, MSG_STAT_ANY.
 * Errors: EACCES, EFAULT, EIDRM, EINVAL, EPERM.
 */
IPCKIT_EXPORT int ipckit_msgctl(int msqid, int cmd, struct msqid_ds *buf);

/*
 * ipckit_msgtimedsnd, ipckit_msgtimedrcv - msgsnd and msgrcv that give up
 * after `timeout` (relative, or an absolute CLOCK_MONOTONIC time when
 * msgflg has IPCKIT_ABSTIME) with EAGAIN for msgtimedsnd and ENOMSG for
 * msgtimedrcv, the errno the IPC_NOWAIT form gives. A NULL timeout waits
 * forever. A negative or malformed timeout (tv_nsec outside [0, 1e9)) is
 * EINVAL. The timeout also bounds the wait for the queue's lock, should a
 * live process keep it (one stopped inside a call): the call then fails
 * the same way, at the timeout, but never before it has waited 100 ms for
 * the lock. Extensions: the kernel has no timed message calls.
 */
IPCKIT_EXPORT int ipckit_msgtimedsnd(int msqid, const void *msgp,
				     size_t msgsz, int msgflg,
				     const struct timespec *timeout);
IPCKIT_EXPORT ssize_t ipckit_msgtimedrcv(int msqid, void *msgp, size_t msgsz,
					 long msgtyp, int msgflg,
					 const struct timespec *timeout);

/*
 * ipckit_msg_waiters - how many processes (threads) are blocked in msgsnd
 * and in msgrcv on the queue right now, as far as the queue records them.
 * Needs read permission. Either pointer may be NULL.
 * Errors: EACCES, EIDRM, EINVAL. Extension.
 */
IPCKIT_EXPORT int ipckit_msg_waiters(int msqid, int *senders, int *receivers);

/* ------------------------------------------------------------------------ */
/*  Semaphore sets (man 2 semget, semop, semctl)                            */
/* ------------------------------------------------------------------------ */

/*
 * ipckit_semget - as semget(2). Returns a set id.
 * Errors: EACCES, EEXIST, EINVAL, ENOENT, ENOSPC, ENOMEM.
 */
IPCKIT_EXPORT int ipckit_semget(key_t key, int nsems, int semflg);

/*
 * ipckit_semop, ipckit_semtimedop - as semop(2) and semtimedop(2),
 * SEM_UNDO included: a process's adjustments are shared by its threads,
 * not inherited by fork(), kept across exec(), and applied when it ends,
 * however it ends (after a SIGKILL, by the next process that waits on or
 * inspects the set, within 100 ms for one already waiting). A
 * semtimedop's timeout also bounds the wait for the set's lock, should a
 * live process keep it (one stopped inside a call): EAGAIN at the
 * timeout, but never before it has waited 100 ms for the lock.
 * Errors: E2BIG, EACCES, EAGAIN, EFAULT, EFBIG, EIDRM, EINTR, EINVAL,
 * ENOMEM, ERANGE.
 */
IPCKIT_EXPORT int ipckit_semop(int semid, struct sembuf *sops, size_t nsops);
IPCKIT_EXPORT int ipckit_semtimedop(int semid, struct sembuf *sops,
				    size_t nsops,
				    const struct timespec *timeout);

/*
 * ipckit_semctl - as semctl(2), with the same variadic fourth argument
 * (union semun, which the caller defines, as on Linux): GETVAL, SETVAL,
 * GETALL, SETALL, GETNCNT, GETZCNT, GETPID, IPC_STAT, IPC_SET, IPC_RMID,
 * IPC_INFO, SEM_INFO, SEM_STAT, SEM_STAT_ANY.
 * Errors: EACCES, EFAULT, EIDRM, EINVAL, EPERM, ERANGE.
 */
IPCKIT_EXPORT int ipckit_semctl(int semid, int semnum, int cmd, ...);

/* ------------------------------------------------------------------------ */
/*  Shared memory (man 2 shmget, shmop, shmctl)                             */
/* ------------------------------------------------------------------------ */

/*
 * ipckit_shmget - as shmget(2). Returns a segment id. The backing store is
 * reserved when the segment is made, so a full file system gives ENOSPC
 * here rather than SIGBUS later (where the kernel refuses a segment larger
 * than memory accounting allows with ENOMEM, ipckit says ENOSPC).
 * SHM_NORESERVE is accepted and changes nothing: the memory is reserved
 * all the same, so a segment larger than the namespace's file system can
 * hold fails with ENOSPC even with SHM_NORESERVE (differs from kernel).
 * SHM_HUGETLB is refused as the kernel refuses it when it cannot supply
 * huge pages: EPERM for a caller without CAP_IPC_LOCK and outside
 * vm.hugetlb_shm_group, else ENOMEM (namespace files cannot be backed by
 * huge pages). Both flags matter only when a segment is made.
 * Errors: EACCES, EEXIST, EINVAL, ENOENT, ENOMEM, ENOSPC, EPERM.
 */
IPCKIT_EXPORT int ipckit_shmget(key_t key, size_t size, int shmflg);

/*
 * ipckit_shmat - as shmat(2). Returns the address, or (void *)-1.
 * Attachments are inherited by fork() and dropped by exec() and exit. At
 * most 2038 processes can hold attaches of one segment at once; past that,
 * ENOMEM.
 * Errors: EACCES, EIDRM, EINVAL, ENOMEM, EPERM (an address below
 * vm.mmap_min_addr).
 */
IPCKIT_EXPORT void *ipckit_shmat(int shmid, const void *shmaddr, int shmflg);

/* ipckit_shmdt - as shmdt(2). Errors: EINVAL. */
IPCKIT_EXPORT int ipckit_shmdt(const void *shmaddr);

/*
 * ipckit_shmctl - as shmctl(2): IPC_STAT, IPC_SET, IPC_RMID, IPC_INFO,
 * SHM_INFO, SHM_STAT, SHM_STAT_ANY, SHM_LOCK, SHM_UNLOCK. SHM_LOCK records
 * SHM_LOCKED but does not pin the pages.
 * Errors: EACCES, EFAULT, EIDRM, EINVAL, ENOMEM, EOVERFLOW, EPERM.
 */
IPCKIT_EXPORT int ipckit_shmctl(int shmid, int cmd, struct shmid_ds *buf);

/* ------------------------------------------------------------------------ */
/*  Housekeeping                                                            */
/* ------------------------------------------------------------------------ */

/*
 * ipckit_gc - give back what dead processes left in the namespace:
 * semaphore undo, shared-memory attachments, removed segments with no
 * attachment left, half-made objects of killed creators. ipckit does this
 * lazily on its own; this call does it now, for every object but one
 * whose lock a live process keeps for over a second (stopped, say: what
 * it holds is not a dead process's). Returns the number of repairs made.
 */
IPCKIT_EXPORT int ipckit_gc(void);

#ifdef __cplusplus
}
#endif

#endif /* IPCKIT_H */
