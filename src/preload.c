/*
 * preload.c - libipckit-preload.so: with LD_PRELOAD naming it, an
 * unmodified dynamically linked program's System V calls are served by
 * ipckit instead of the kernel. The only file that defines unprefixed libc
 * names; docs/PRELOAD.md tells users what it can and cannot serve.
 *
 * What it defines, and why each:
 * - msgget ... shmctl, the twelve System V calls: each calls its ipckit_
 *   twin. Exported unversioned (src/preload.map), so a program's versioned
 *   references (msgget@GLIBC_2.2.5) bind here: ld.so accepts an unversioned
 *   definition for any version.
 * - setuid and the rest of the set*id family: the real call, then
 *   ipckit__creds_changed(), so cached permission verdicts are recomputed
 *   with the new credentials.
 * - dlopen: libraries loaded with RTLD_DEEPBIND look symbols up in their
 *   own dependencies (libc) before the global scope, so their System V
 *   calls would skip us and reach the kernel; see "RTLD_DEEPBIND" below.
 * - Local only (never exported): raw-system-call versions of the file and
 *   credential functions ipckit itself calls (fstat, mkdir, geteuid...),
 *   and a wrapper of syscall() (linked with -Wl,--wrap=syscall). See
 *   "Other preload libraries" below.
 *
 * errno: every call leaves it as it found it on success (the library may
 * have set it on a path that then succeeded) and sets the kernel's value
 * on failure.
 *
 * Other preload libraries. Libraries stacked in front of us (fakeroot's
 * libfakeroot wraps fstat, mkdir, chmod, unlinkat, geteuid...; fakechroot
 * wraps open and friends) would see ipckit's own libc calls, and
 * libfakeroot answers them by talking to its daemon over System V message
 * queues, which land here again, inside a call that may hold a lock or a
 * pthread_once in progress: deadlock. Two defences:
 * 1. ipckit's own calls do not reach such wrappers: the functions below
 *    under "Raw system calls" are defined here with hidden visibility, so
 *    the library's references bind to them at link time and they go
 *    straight to the kernel. This also keeps ipckit's permission checks on
 *    the real credentials (fakeroot's geteuid() says 0), as the kernel's
 *    are.
 * 2. A thread-local guard: a System V call arriving while this thread is
 *    already inside ipckit is forwarded to the next definition (libc, the
 *    kernel) found with dlsym(RTLD_NEXT) instead of re-entering ipckit.
 *    One exception: when the thread is parked in ipckit's futex wait (a
 *    signal handler interrupted a blocked msgrcv, semop...), it holds no
 *    lock of ours, and the call is served by ipckit like any other. That
 *    is the common case of handlers that clean up (fakeroot's faked
 *    removes its queues from its SIGTERM handler while blocked in
 *    msgrcv); sending those to the kernel would name the wrong objects.
 *    The wait is recognized by wrapping syscall(), which futex.c alone
 *    calls for FUTEX_WAIT_BITSET.
 *
 * Signals, fork and exec need nothing here: ipckit's waits fail with EINTR
 * even under SA_RESTART (futex.c), children inherit LD_PRELOAD and
 * IPCKIT_DIR through the environment, and the library itself handles
 * attachments and undo across fork and exec.
 */
#include "internal.h"

#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <link.h>
#include <linux/futex.h>
#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

/* Linux leaves union semun to the caller; glibc reads it as this. */
union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *__buf;
};

/* ---- the next definitions (libc) ----------------------------------------- */

/*
 * Every name we export, in one table: the forwarding targets found with
 * dlsym(RTLD_NEXT), and the names patched into RTLD_DEEPBIND libraries.
 * Resolved by a constructor, so no dlsym runs later in a signal handler;
 * resolved again on first use if a call comes before the constructor (from
 * another library's constructor).
 */
enum {
	F_MSGGET,
	F_MSGSND,
	F_MSGRCV,
	F_MSGCTL,
	F_SEMGET,
	F_SEMOP,
	F_SEMTIMEDOP,
	F_SEMCTL,
	F_SHMGET,
	F_SHMAT,
	F_SHMDT,
	F_SHMCTL,
	F_SETUID,
	F_SETEUID,
	F_SETREUID,
	F_SETRESUID,
	F_SETGID,
	F_SETEGID,
	F_SETREGID,
	F_SETRESGID,
	F_SETGROUPS,
	F_DLOPEN,
	F_COUNT
};

static const char *const fn_names[F_COUNT] = {
    "msgget",	  "msgsnd",    "msgrcv",    "msgctl",	 "semget", "semop",
    "semtimedop", "semctl",    "shmget",    "shmat",	 "shmdt",  "shmctl",
    "setuid",	  "seteuid",   "setreuid",  "setresuid", "setgid", "setegid",
    "setregid",	  "setresgid", "setgroups", "dlopen",
};

static void *next_fn[F_COUNT];

static void *next_of(int f)
{
	void *p = __atomic_load_n(&next_fn[f], __ATOMIC_ACQUIRE);
	if (!p) {
		p = dlsym(RTLD_NEXT, fn_names[f]);
		__atomic_store_n(&next_fn[f], p, __ATOMIC_RELEASE);
	}
	return p;
}

__attribute__((constructor)) static void preload_init(void)
{
	for (int f = 0; f < F_COUNT; f++)
		next_of(f);
}

/* The next definition as a typed pointer: NEXT(F_MSGGET, msgget_fn). */
#define NEXT(f, type) ((type)next_of(f))

typedef int (*msgget_fn)(key_t, int);
typedef int (*msgsnd_fn)(int, const void *, size_t, int);
typedef ssize_t (*msgrcv_fn)(int, void *, size_t, long, int);
typedef int (*msgctl_fn)(int, int, struct msqid_ds *);
typedef int (*semget_fn)(key_t, int, int);
typedef int (*semop_fn)(int, struct sembuf *, size_t);
typedef int (*semtimedop_fn)(int, struct sembuf *, size_t,
			     const struct timespec *);
typedef int (*semctl_fn)(int, int, int, ...);
typedef int (*shmget_fn)(key_t, size_t, int);
typedef void *(*shmat_fn)(int, const void *, int);
typedef int (*shmdt_fn)(const void *);
typedef int (*shmctl_fn)(int, int, struct shmid_ds *);
typedef int (*setid1_fn)(unsigned);
typedef int (*setid2_fn)(unsigned, unsigned);
typedef int (*setid3_fn)(unsigned, unsigned, unsigned);
typedef int (*setgroups_fn)(size_t, const gid_t *);
typedef void *(*dlopen_fn)(const char *, int);

/* ---- the re-entry guard -------------------------------------------------- */

/*
 * depth: how many of our System V calls this thread is inside.
 * parked: the innermost one is asleep in ipckit's futex wait.
 * initial-exec TLS: no __tls_get_addr (which may allocate) on a path that
 * signal handlers take; preload libraries are loaded at startup, where
 * static TLS is always available.
 */
static __thread int guard_depth __attribute__((tls_model("initial-exec")));
static __thread bool guard_parked __attribute__((tls_model("initial-exec")));

/* True if this call must go to the kernel instead of re-entering ipckit. */
static bool guard_is_nested(void)
{
	return guard_depth > 0 && !guard_parked;
}

/* Enters a call; returns the parked state to give back to guard_leave. */
static bool guard_enter(void)
{
	bool was_parked = guard_parked;
	guard_parked = false;
	guard_depth++;
	return was_parked;
}

static void guard_leave(bool was_parked)
{
	guard_depth--;
	guard_parked = was_parked;
}

long __real_syscall(long nr, ...);
long __wrap_syscall(long nr, ...);

/*
 * Every syscall() of the library lands here (-Wl,--wrap=syscall). A futex
 * wait marks the thread parked for its duration: futex.c waits only after
 * dropping every lock (STYLE.md: sample, unlock, wait), so a signal
 * handler running during it may re-enter ipckit.
 */
/*
 * Reading six variadic arguments when the caller passed fewer reads the
 * caller's stack past what it pushed (the sixth is not in a register):
 * harmless in practice, as in glibc's syscall(), but AddressSanitizer is
 * right to call it an underflow. So only the futex calls, which always
 * pass six, read six; every other call gets the five that arrive in
 * registers, whatever it passed (reading an unpassed one reads a saved
 * register, never the stack). Passing fewer once sent a signal number
 * made of whatever a register held (tgkill(pid, tid, 0) became SIGXCPU).
 */
long __wrap_syscall(long nr, ...)
{
	va_list ap;
	va_start(ap, nr);
	long a1 = va_arg(ap, long), a2 = va_arg(ap, long);
	long a3 = va_arg(ap, long), a4 = va_arg(ap, long);
	long a5 = va_arg(ap, long);
	if (nr != SYS_futex) {
		va_end(ap);
		return __real_syscall(nr, a1, a2, a3, a4, a5);
	}
	long a6 = va_arg(ap, long);
	va_end(ap);
	int cmd = (int)a2 & FUTEX_CMD_MASK;
	if (cmd != FUTEX_WAIT && cmd != FUTEX_WAIT_BITSET)
		return __real_syscall(nr, a1, a2, a3, a4, a5, a6);
	bool was_parked = guard_parked;
	guard_parked = true;
	long rc = __real_syscall(nr, a1, a2, a3, a4, a5, a6);
	guard_parked = was_parked;
	return rc;
}

/* ---- message queues ------------------------------------------------------ */

IPCKIT_EXPORT int msgget(key_t key, int msgflg)
{
	if (guard_is_nested())
		return NEXT(F_MSGGET, msgget_fn)(key, msgflg);
	int saved = errno;
	bool g = guard_enter();
	int rc = ipckit_msgget(key, msgflg);
	guard_leave(g);
	if (rc != -1)
		errno = saved;
	return rc;
}

IPCKIT_EXPORT int msgsnd(int msqid, const void *msgp, size_t msgsz, int msgflg)
{
	if (guard_is_nested())
		return NEXT(F_MSGSND, msgsnd_fn)(msqid, msgp, msgsz, msgflg);
	int saved = errno;
	bool g = guard_enter();
	int rc = ipckit_msgsnd(msqid, msgp, msgsz, msgflg);
	guard_leave(g);
	if (rc != -1)
		errno = saved;
	return rc;
}

IPCKIT_EXPORT ssize_t msgrcv(int msqid, void *msgp, size_t msgsz, long msgtyp,
			     int msgflg)
{
	if (guard_is_nested())
		return NEXT(F_MSGRCV, msgrcv_fn)(msqid, msgp, msgsz, msgtyp,
						 msgflg);
	int saved = errno;
	bool g = guard_enter();
	ssize_t rc = ipckit_msgrcv(msqid, msgp, msgsz, msgtyp, msgflg);
	guard_leave(g);
	if (rc != -1)
		errno = saved;
	return rc;
}

IPCKIT_EXPORT int msgctl(int msqid, int cmd, struct msqid_ds *buf)
{
	if (guard_is_nested())
		return NEXT(F_MSGCTL, msgctl_fn)(msqid, cmd, buf);
	int saved = errno;
	bool g = guard_enter();
	int rc = ipckit_msgctl(msqid, cmd, buf);
	guard_leave(g);
	if (rc != -1)
		errno = saved;
	return rc;
}

/* ---- semaphore sets ------------------------------------------------------ */

IPCKIT_EXPORT int semget(key_t key, int nsems, int semflg)
{
	if (guard_is_nested())
		return NEXT(F_SEMGET, semget_fn)(key, nsems, semflg);
	int saved = errno;
	bool g = guard_enter();
	int rc = ipckit_semget(key, nsems, semflg);
	guard_leave(g);
	if (rc != -1)
		errno = saved;
	return rc;
}

IPCKIT_EXPORT int semop(int semid, struct sembuf *sops, size_t nsops)
{
	if (guard_is_nested())
		return NEXT(F_SEMOP, semop_fn)(semid, sops, nsops);
	int saved = errno;
	bool g = guard_enter();
	int rc = ipckit_semop(semid, sops, nsops);
	guard_leave(g);
	if (rc != -1)
		errno = saved;
	return rc;
}

IPCKIT_EXPORT int semtimedop(int semid, struct sembuf *sops, size_t nsops,
			     const struct timespec *timeout)
{
	if (guard_is_nested())
		return NEXT(F_SEMTIMEDOP, semtimedop_fn)(semid, sops, nsops,
							 timeout);
	int saved = errno;
	bool g = guard_enter();
	int rc = ipckit_semtimedop(semid, sops, nsops, timeout);
	guard_leave(g);
	if (rc != -1)
		errno = saved;
	return rc;
}

/*
 * The fourth argument exists only for the commands that take one, and is
 * read only for those, exactly as glibc's semctl does (sysdeps/unix/sysv/
 * linux/semctl.c, 2.31 to 2.39): a caller may pass three arguments for
 * GETVAL or IPC_RMID, and reading a fourth would read garbage.
 */
IPCKIT_EXPORT int semctl(int semid, int semnum, int cmd, ...)
{
	union semun arg = {0};
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
		arg = va_arg(ap, union semun);
		va_end(ap);
		break;
	}
	}
	if (guard_is_nested())
		return NEXT(F_SEMCTL, semctl_fn)(semid, semnum, cmd, arg);
	int saved = errno;
	bool g = guard_enter();
	int rc = ipckit_semctl(semid, semnum, cmd, arg);
	guard_leave(g);
	if (rc != -1)
		errno = saved;
	return rc;
}

/* ---- shared memory ------------------------------------------------------- */

IPCKIT_EXPORT int shmget(key_t key, size_t size, int shmflg)
{
	if (guard_is_nested())
		return NEXT(F_SHMGET, shmget_fn)(key, size, shmflg);
	int saved = errno;
	bool g = guard_enter();
	int rc = ipckit_shmget(key, size, shmflg);
	guard_leave(g);
	if (rc != -1)
		errno = saved;
	return rc;
}

IPCKIT_EXPORT void *shmat(int shmid, const void *shmaddr, int shmflg)
{
	if (guard_is_nested())
		return NEXT(F_SHMAT, shmat_fn)(shmid, shmaddr, shmflg);
	int saved = errno;
	bool g = guard_enter();
	void *p = ipckit_shmat(shmid, shmaddr, shmflg);
	guard_leave(g);
	if (p != (void *)-1)
		errno = saved;
	return p;
}

IPCKIT_EXPORT int shmdt(const void *shmaddr)
{
	if (guard_is_nested())
		return NEXT(F_SHMDT, shmdt_fn)(shmaddr);
	int saved = errno;
	bool g = guard_enter();
	int rc = ipckit_shmdt(shmaddr);
	guard_leave(g);
	if (rc != -1)
		errno = saved;
	return rc;
}

IPCKIT_EXPORT int shmctl(int shmid, int cmd, struct shmid_ds *buf)
{
	if (guard_is_nested())
		return NEXT(F_SHMCTL, shmctl_fn)(shmid, cmd, buf);
	int saved = errno;
	bool g = guard_enter();
	int rc = ipckit_shmctl(shmid, cmd, buf);
	guard_leave(g);
	if (rc != -1)
		errno = saved;
	return rc;
}

/* ---- credentials --------------------------------------------------------- */

/*
 * The real calls (glibc's change every thread's credentials, which a raw
 * system call would not), then the permission caches hear of it. Told even
 * on failure: a partial change is possible, and a spurious notice only
 * costs one fresh check per handle. ipckit__creds_changed leaves errno
 * alone. Not seen: initgroups() (glibc calls setgroups internally) and
 * capset(); docs/PRELOAD.md.
 */
IPCKIT_EXPORT int setuid(uid_t uid)
{
	int rc = NEXT(F_SETUID, setid1_fn)(uid);
	ipckit__creds_changed();
	return rc;
}

IPCKIT_EXPORT int seteuid(uid_t euid)
{
	int rc = NEXT(F_SETEUID, setid1_fn)(euid);
	ipckit__creds_changed();
	return rc;
}

IPCKIT_EXPORT int setreuid(uid_t ruid, uid_t euid)
{
	int rc = NEXT(F_SETREUID, setid2_fn)(ruid, euid);
	ipckit__creds_changed();
	return rc;
}

IPCKIT_EXPORT int setresuid(uid_t ruid, uid_t euid, uid_t suid)
{
	int rc = NEXT(F_SETRESUID, setid3_fn)(ruid, euid, suid);
	ipckit__creds_changed();
	return rc;
}

IPCKIT_EXPORT int setgid(gid_t gid)
{
	int rc = NEXT(F_SETGID, setid1_fn)(gid);
	ipckit__creds_changed();
	return rc;
}

IPCKIT_EXPORT int setegid(gid_t egid)
{
	int rc = NEXT(F_SETEGID, setid1_fn)(egid);
	ipckit__creds_changed();
	return rc;
}

IPCKIT_EXPORT int setregid(gid_t rgid, gid_t egid)
{
	int rc = NEXT(F_SETREGID, setid2_fn)(rgid, egid);
	ipckit__creds_changed();
	return rc;
}

IPCKIT_EXPORT int setresgid(gid_t rgid, gid_t egid, gid_t sgid)
{
	int rc = NEXT(F_SETRESGID, setid3_fn)(rgid, egid, sgid);
	ipckit__creds_changed();
	return rc;
}

IPCKIT_EXPORT int setgroups(size_t size, const gid_t *list)
{
	int rc = NEXT(F_SETGROUPS, setgroups_fn)(size, list);
	ipckit__creds_changed();
	return rc;
}

/* ---- raw system calls for ipckit's own use ------------------------------- */

/*
 * Hidden, so only the library's own references bind to them (see the
 * opening comment). The set is what ipckit calls of what fakeroot,
 * fakechroot and similar preload libraries wrap; `nm -u` on the library
 * objects lists the rest, none of which those libraries touch. Each has
 * the libc function's contract: -1 and errno on failure.
 */
/* glibc's __OPEN_NEEDS_MODE: only then is there a third argument. */
static bool needs_mode(int flags)
{
	return (flags & O_CREAT) || (flags & __O_TMPFILE) == __O_TMPFILE;
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	if (needs_mode(flags)) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return (int)__real_syscall(SYS_openat, AT_FDCWD, path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	if (needs_mode(flags)) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return (int)__real_syscall(SYS_openat, dirfd, path, flags, mode);
}

int mkdir(const char *path, mode_t mode)
{
	return (int)__real_syscall(SYS_mkdirat, AT_FDCWD, path, mode);
}

int chmod(const char *path, mode_t mode)
{
	return (int)__real_syscall(SYS_fchmodat, AT_FDCWD, path, mode);
}

int fchmod(int fd, mode_t mode)
{
	return (int)__real_syscall(SYS_fchmod, fd, mode);
}

/* On x86_64 and aarch64 glibc's struct stat is the kernel's. */
int fstatat(int dirfd, const char *restrict path, struct stat *restrict st,
	    int flags)
{
	return (int)__real_syscall(SYS_newfstatat, dirfd, path, st, flags);
}

int fstat(int fd, struct stat *st)
{
	return fstatat(fd, "", st, AT_EMPTY_PATH);
}

int lstat(const char *restrict path, struct stat *restrict st)
{
	return fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

int linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
	   int flags)
{
	return (int)__real_syscall(SYS_linkat, olddirfd, oldpath, newdirfd,
				   newpath, flags);
}

int unlinkat(int dirfd, const char *path, int flags)
{
	return (int)__real_syscall(SYS_unlinkat, dirfd, path, flags);
}

int setxattr(const char *path, const char *name, const void *value, size_t size,
	     int flags)
{
	return (int)__real_syscall(SYS_setxattr, path, name, value, size,
				   flags);
}

int removexattr(const char *path, const char *name)
{
	return (int)__real_syscall(SYS_removexattr, path, name);
}

uid_t geteuid(void)
{
	return (uid_t)__real_syscall(SYS_geteuid);
}

gid_t getegid(void)
{
	return (gid_t)__real_syscall(SYS_getegid);
}

int getgroups(int size, gid_t list[])
{
	return (int)__real_syscall(SYS_getgroups, size, list);
}

/* ---- RTLD_DEEPBIND ------------------------------------------------------- */

/*
 * A library dlopen()ed with RTLD_DEEPBIND resolves its references in its
 * own dependency tree first, where libc's msgget is, so its System V calls
 * would reach the kernel. PHP loads its sysvmsg, sysvsem and sysvshm
 * extensions that way.
 *
 * Approach: load as asked, then patch. After the real dlopen returns, the
 * GOT slots of the new objects that refer to one of our names, and that
 * the object does not define itself, are set to what the global scope
 * gives for that name (dlsym(RTLD_DEFAULT): us, or a library stacked in
 * front of us). Everything else keeps the deep binding the caller asked
 * for.
 *
 * Rejected: clearing RTLD_DEEPBIND. Simpler, but it changes how every
 * other symbol of the library binds, and programs ask for deep binding
 * exactly to keep a library's private copies of symbols apart from the
 * host's (PHP, against Apache's).
 *
 * Cost: a dlopen without RTLD_DEEPBIND is a tail call to the real one, so
 * glibc still sees the caller's return address (it decides the caller's
 * namespace, $ORIGIN in the file name and the DT_RUNPATH searched from
 * it). With RTLD_DEEPBIND the real call comes from here: those are judged
 * as if the executable had called (docs/PRELOAD.md). PHP passes full paths.
 *
 * Patched: JUMP_SLOT, GLOB_DAT and ABS64 relocations (calls, and addresses
 * taken) in the DT_JMPREL and DT_RELA tables, x86_64 and aarch64 only;
 * elsewhere deep-bound libraries reach the kernel. Slots in the RELRO
 * segment, read-only after loading, are made writable for the store.
 */
#if defined(__x86_64__)
#define R_SLOT R_X86_64_JUMP_SLOT
#define R_GLOB R_X86_64_GLOB_DAT
#define R_ABS  R_X86_64_64
#elif defined(__aarch64__)
#define R_SLOT R_AARCH64_JUMP_SLOT
#define R_GLOB R_AARCH64_GLOB_DAT
#define R_ABS  R_AARCH64_ABS64
#endif

#ifdef R_SLOT
/* The read-only-after-relocation pages of one object: [lo, hi). */
struct relro {
	uintptr_t addr; /* l_addr of the object sought */
	uintptr_t dyn;	/* its l_ld, to tell objects apart */
	uintptr_t lo, hi;
};

static int relro_find(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct relro *r = arg;
	if (info->dlpi_addr != r->addr)
		return 0;
	bool match = false;
	uintptr_t lo = 0, hi = 0, page = (uintptr_t)sysconf(_SC_PAGESIZE);
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t start = info->dlpi_addr + ph->p_vaddr;
		if (ph->p_type == PT_DYNAMIC && start == r->dyn)
			match = true;
		if (ph->p_type == PT_GNU_RELRO) {
			/* As ld.so protects it: whole pages only. */
			lo = start & ~(page - 1);
			hi = (start + ph->p_memsz) & ~(page - 1);
		}
	}
	if (!match)
		return 0;
	r->lo = lo;
	r->hi = hi;
	return 1;
}

static void slot_store(void **slot, void *val, const struct relro *ro)
{
	uintptr_t a = (uintptr_t)slot;
	if (a < ro->lo || a >= ro->hi) {
		__atomic_store_n(slot, val, __ATOMIC_RELEASE);
		return;
	}
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	void *p = (void *)(a & ~(page - 1));
	if (mprotect(p, page, PROT_READ | PROT_WRITE) < 0)
		return;
	__atomic_store_n(slot, val, __ATOMIC_RELEASE);
	mprotect(p, page, PROT_READ);
}

/*
 * The dynamic section's pointers: glibc adds l_addr to them in place on
 * x86_64 and aarch64, but not where .dynamic is read-only.
 */
static uintptr_t dyn_ptr(const struct link_map *l, ElfW(Addr) p)
{
	return p < l->l_addr ? l->l_addr + p : p;
}

static void patch_relocs(const struct link_map *l, const ElfW(Rela) * rel,
			 size_t size, const ElfW(Sym) * symtab,
			 const char *strtab, size_t strsz,
			 void *const target[F_COUNT], const struct relro *ro)
{
	for (size_t i = 0; i < size / sizeof(*rel); i++) {
		unsigned type = ELF64_R_TYPE(rel[i].r_info);
		if (type != R_SLOT && type != R_GLOB && type != R_ABS)
			continue;
		const ElfW(Sym) *sym = &symtab[ELF64_R_SYM(rel[i].r_info)];
		if (sym->st_shndx != SHN_UNDEF || sym->st_name >= strsz)
			continue;
		const char *name = strtab + sym->st_name;
		for (int f = 0; f < F_COUNT; f++) {
			if (!target[f] || strcmp(name, fn_names[f]))
				continue;
			void *val = (char *)target[f] +
				    (type == R_ABS ? rel[i].r_addend : 0);
			void **slot = (void **)(l->l_addr + rel[i].r_offset);
			if (*slot != val)
				slot_store(slot, val, ro);
			break;
		}
	}
}

static void patch_object(const struct link_map *l, void *const target[F_COUNT])
{
	const ElfW(Sym) *symtab = NULL;
	const char *strtab = NULL;
	size_t strsz = 0, relasz = 0, pltsz = 0;
	const ElfW(Rela) *rela = NULL, *plt = NULL;
	bool plt_is_rela = true;
	for (const ElfW(Dyn) *d = l->l_ld; d && d->d_tag != DT_NULL; d++) {
		switch (d->d_tag) {
		case DT_SYMTAB:
			symtab = (const void *)dyn_ptr(l, d->d_un.d_ptr);
			break;
		case DT_STRTAB:
			strtab = (const void *)dyn_ptr(l, d->d_un.d_ptr);
			break;
		case DT_STRSZ:
			strsz = d->d_un.d_val;
			break;
		case DT_RELA:
			rela = (const void *)dyn_ptr(l, d->d_un.d_ptr);
			break;
		case DT_RELASZ:
			relasz = d->d_un.d_val;
			break;
		case DT_JMPREL:
			plt = (const void *)dyn_ptr(l, d->d_un.d_ptr);
			break;
		case DT_PLTRELSZ:
			pltsz = d->d_un.d_val;
			break;
		case DT_PLTREL:
			plt_is_rela = d->d_un.d_val == DT_RELA;
			break;
		}
	}
	if (!symtab || !strtab)
		return;
	struct relro ro = {l->l_addr, (uintptr_t)l->l_ld, 0, 0};
	dl_iterate_phdr(relro_find, &ro);
	if (rela)
		patch_relocs(l, rela, relasz, symtab, strtab, strsz, target,
			     &ro);
	if (plt && plt_is_rela)
		patch_relocs(l, plt, pltsz, symtab, strtab, strsz, target, &ro);
}

/*
 * Patches `handle`'s object and every object after it in its namespace's
 * list: the dependencies this dlopen loaded are appended after it. Objects
 * that were there before are harmless to visit: their slots already hold
 * the global definitions, or lazy stubs that would resolve to them.
 */
static void deepbind_patch(void *handle)
{
	struct link_map *self = NULL, *lm = NULL;
	Dl_info info;
	if (!dladdr1((void *)deepbind_patch, &info, (void **)&self,
		     RTLD_DL_LINKMAP) ||
	    dlinfo(handle, RTLD_DI_LINKMAP, &lm) < 0 || !lm)
		return;
	void *target[F_COUNT];
	for (int f = 0; f < F_COUNT; f++)
		target[f] = dlsym(RTLD_DEFAULT, fn_names[f]);
	for (struct link_map *l = lm; l; l = l->l_next)
		if (l != self)
			patch_object(l, target);
}
#else
static void deepbind_patch(void *handle)
{
}
#endif

static void *deepbind_open(const char *file, int mode)
{
	void *h = NEXT(F_DLOPEN, dlopen_fn)(file, mode);
	if (h) {
		int saved = errno;
		deepbind_patch(h);
		errno = saved;
	}
	return h;
}

IPCKIT_EXPORT void *dlopen(const char *file, int mode)
{
	if (mode & RTLD_DEEPBIND)
		return deepbind_open(file, mode);
	/* A tail call: glibc must see our caller's return address. */
	return NEXT(F_DLOPEN, dlopen_fn)(file, mode);
}
