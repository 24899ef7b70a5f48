/*
 * helpers.h - what every test program uses: checks that say what failed,
 * the back-end switch, process helpers, and the private namespace.
 *
 * A test is one program per behaviour. It starts with
 *	t_init(argc, argv, T_BOTH);
 * and then calls System V functions through the back-end table `B`
 * (B->msgget, B->semop, ...). tests/run runs it once per back end it
 * supports: "kernel" (the libc calls, or the preload library when the
 * runner sets LD_PRELOAD) and "ipckit" (the ipckit_ calls); both runs must
 * pass with the same expectations. Exit status: 0 pass, 1 fail, 77 skip.
 *
 * t_init gives every run its own namespace directory (IPCKIT_DIR, made with
 * mkdtemp) and removes it at exit, and removes every kernel object that a
 * B->...get call of this test (or its children) created.
 */
#ifndef T_HELPERS_H
#define T_HELPERS_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <time.h>
#include <unistd.h>

#include "ipckit.h"

#define T_EXIT_PASS 0
#define T_EXIT_FAIL 1
#define T_EXIT_SKIP 77

/* Which back ends a test runs on (t_init's third argument). */
#define T_KERNEL 1
#define T_IPCKIT 2
#define T_BOTH (T_KERNEL | T_IPCKIT)

/* Linux leaves union semun to the caller. */
union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *__buf;
};

struct t_backend {
	const char *name;	/* "kernel" or "ipckit" */
	bool is_kernel;		/* libc names (kernel, or preload library) */
	int (*msgget)(key_t key, int msgflg);
	int (*msgsnd)(int msqid, const void *msgp, size_t msgsz, int msgflg);
	ssize_t (*msgrcv)(int msqid, void *msgp, size_t msgsz, long msgtyp,
			  int msgflg);
	int (*msgctl)(int msqid, int cmd, struct msqid_ds *buf);
	int (*semget)(key_t key, int nsems, int semflg);
	int (*semop)(int semid, struct sembuf *sops, size_t nsops);
	int (*semtimedop)(int semid, struct sembuf *sops, size_t nsops,
			  const struct timespec *timeout);
	int (*semctl)(int semid, int semnum, int cmd, ...);
	int (*shmget)(key_t key, size_t size, int shmflg);
	void *(*shmat)(int shmid, const void *shmaddr, int shmflg);
	int (*shmdt)(const void *shmaddr);
	int (*shmctl)(int shmid, int cmd, struct shmid_ds *buf);
};

/* The back end this run uses; set by t_init. */
extern const struct t_backend *B;

/*
 * True when the kernel itself serves the calls: the kernel back end, and no
 * preload library has taken the libc names. Tests gate ipckit's documented
 * differences from the kernel (docs/DESIGN.md) on this, not on B->is_kernel.
 */
extern bool t_kernel_serves;

/* The test's private namespace directory (also exported as IPCKIT_DIR). */
extern char t_dir[];

/*
 * Sets up the run: parses `--backends` (prints the supported back ends and
 * exits 0) and `--backend NAME` (or $IPCKIT_TEST_BACKEND), makes the private
 * namespace and registers the cleanup. A test that cannot run on the chosen
 * back end exits 77.
 */
void t_init(int argc, char **argv, int backends);

/* A key no other test run uses: unique per process run and `n`. */
key_t t_key(int n);

/* Fail the test: print where and why, exit 1 (from any process). */
__attribute__((noreturn, format(printf, 3, 4))) void
t_fail(const char *file, int line, const char *fmt, ...);
/* Skip the test with a reason: exit 77. */
__attribute__((noreturn, format(printf, 1, 2))) void t_skip(const char *fmt,
							    ...);

#define T_ASSERT(cond)                                                         \
	do {                                                                   \
		if (!(cond))                                                   \
			t_fail(__FILE__, __LINE__, "assertion failed: %s",     \
			       #cond);                                         \
	} while (0)

#define T_EQ(a, b)                                                             \
	do {                                                                   \
		long long t_a_ = (long long)(a), t_b_ = (long long)(b);        \
		if (t_a_ != t_b_)                                              \
			t_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld",   \
			       #a, #b, t_a_, t_b_);                            \
	} while (0)

/* `call` must not return -1 (nor MAP_FAILED-like (void *)-1). */
#define T_OK(call)                                                             \
	({                                                                     \
		errno = 0;                                                     \
		__typeof__(call) t_r_ = (call);                                \
		if ((long long)(intptr_t)t_r_ == -1)                           \
			t_fail(__FILE__, __LINE__, "%s failed: %s", #call,     \
			       strerror(errno));                               \
		t_r_;                                                          \
	})

/* `call` must return -1 and set errno to `err`. */
#define T_FAIL_ERRNO(call, err)                                                \
	do {                                                                   \
		errno = 0;                                                     \
		long long t_r_ = (long long)(intptr_t)(call);                  \
		int t_e_ = errno;                                              \
		if (t_r_ != -1)                                                \
			t_fail(__FILE__, __LINE__,                             \
			       "%s returned %lld, expected -1 (%s)", #call,    \
			       t_r_, #err);                                    \
		if (t_e_ != (err))                                             \
			t_fail(__FILE__, __LINE__,                             \
			       "%s: errno %s (%d), expected %s", #call,        \
			       strerror(t_e_), t_e_, #err);                    \
	} while (0)

/*
 * Processes. t_fork() forks or fails the test; the child runs on and ends
 * with _exit(). t_wait_exit(pid) waits for it and returns its exit status
 * (failing the test if it died by a signal); t_wait_ok(pid) also requires
 * status 0; t_wait_signal(pid) requires death by a signal and returns it.
 */
pid_t t_fork(void);
int t_wait_exit(pid_t pid);
void t_wait_ok(pid_t pid);
int t_wait_signal(pid_t pid);

/*
 * Credentials, for the permission tests (which need root, and skip without
 * it). T_NOBODY is the uid and gid of nobody, the user they drop to.
 */
#define T_NOBODY 65534

/*
 * Drops all supplementary groups, then sets the real, effective and saved
 * gid to `gid` and uid to `uid`, as a process of that user would have.
 * Fails the test if a step is refused (setgroups, setresgid, setresuid:
 * it needs CAP_SETUID and CAP_SETGID). A uid other than 0 leaves the
 * process no capability and no way back, so call it in a child.
 */
void t_become(uid_t uid, gid_t gid);

/*
 * Runs `fn` in a child that has become uid:gid (t_become) and ends with
 * _exit(0) when fn returns; waits for it with t_wait_ok, so the test fails
 * if becoming fails, fn fails the test, or the child dies by a signal.
 */
void t_run_as(uid_t uid, gid_t gid, void (*fn)(void));

/*
 * True if capability `cap` (CAP_... of <linux/capability.h>) is in the
 * calling thread's effective set, as capget(2) reports it; false for a
 * number past the sets. Fails the test if capget fails.
 */
bool t_has_cap(int cap);

/*
 * The number in /proc/sys/kernel/NAME, e.g. t_sysctl("msgmnb"). Fails the
 * test if the file cannot be opened or does not start with a number.
 */
long t_sysctl(const char *name);

/*
 * msg_qnum of queue `id` (IPC_STAT through the back end); with `size`
 * not 0, also fails unless msg_cbytes is msg_qnum messages of that size.
 */
long t_msg_qnum(int id, size_t size);

/* shm_nattch of segment `id` (IPC_STAT through the back end). */
unsigned long t_shm_nattch(int id);

/*
 * Waits (up to 10 s, scaled by IPCKIT_TEST_TIMEOUT_MULT) until process
 * `pid` sleeps inside a System V call or a futex wait, then returns; fails
 * the test otherwise. This is how a test knows a peer has blocked without
 * sleeping for a guessed time. Test code must therefore not block in futex
 * waits of its own (t_barrier spins and yields).
 */
void t_wait_blocked(pid_t pid);

/* A barrier for `n` processes, in shared memory made before fork(). */
struct t_barrier;
struct t_barrier *t_barrier_create(unsigned n);
void t_barrier_wait(struct t_barrier *b);

/* Shared scratch memory for results, made before fork(). */
void *t_shared_alloc(size_t size);

/* A relative timespec of `ms` milliseconds. */
struct timespec t_ms(long ms);

/* Installs `handler` for `sig` with the given sa_flags (e.g. SA_RESTART). */
void t_signal(int sig, void (*handler)(int), int flags);

/* True in a build with AddressSanitizer (make sanitize). */
static inline bool t_under_asan(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return true;
#else
	return false;
#endif
}

/* Scales a time limit by IPCKIT_TEST_TIMEOUT_MULT (default 1). */
double t_time_mult(void);

#endif /* T_HELPERS_H */
