/*
 * common.h - what several examples do the same way, written once:
 *
 * - option_number: a numeric command-line option, in range or exit 1;
 * - children_wait: waiting for worker processes that block on a semaphore
 *   set, and stopping them all if one fails;
 * - struct stop_thread: a server's thread that takes SIGINT and SIGTERM
 *   and removes the object its main thread waits on.
 *
 * Everything is static inline: each example is still one source file
 * plus headers, built on its own. This header includes sysv.h, so the
 * System V calls in it are renamed to ipckit's under -DUSE_IPCKIT exactly
 * as the example's own are.
 */
#ifndef EXAMPLES_COMMON_H
#define EXAMPLES_COMMON_H

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "sysv.h"

/*
 * The number in `s`, from `min` to `max`. Anything else (junk after the
 * digits, overflow, out of range) is a usage error: a message naming `prog`
 * and exit status 1.
 */
static inline long option_number(const char *prog, const char *s, long min,
				 long max)
{
	char *end;

	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		fprintf(stderr, "%s: bad number '%s' (%ld..%ld)\n", prog, s,
			min, max);
		exit(1);
	}
	return v;
}

/*
 * Waits for `running` children that work on the semaphore set *semid.
 * When one fails, or if `failed` says something already did (a fork, say),
 * the set is removed: every process still blocked on it wakes with EIDRM
 * and exits, so the run ends instead of hanging, and *semid becomes -1 so
 * that the caller does not remove it twice. Returns 1 if anything failed,
 * 0 if every child exited 0.
 */
static inline int children_wait(int running, int failed, int *semid)
{
	if (failed && semctl(*semid, 0, IPC_RMID) == 0)
		*semid = -1;
	while (running > 0) {
		int status;
		if (wait(&status) < 0) {
			perror("wait");
			return 1;
		}
		running--;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			continue;
		failed = 1;
		if (*semid >= 0 && semctl(*semid, 0, IPC_RMID) == 0)
			*semid = -1;
	}
	return failed;
}

/*
 * A server stopped by SIGINT or SIGTERM must still remove its objects.
 * A handler cannot do it: it could only set a flag, and a flag set just
 * before the main thread blocks (in msgrcv, semop) is never seen; msgctl
 * and semctl may not be called from one either (ipckit's take locks).
 *
 * So the server blocks both signals before it makes any object, in every
 * thread (stop_signals_block), and one thread takes them with sigwait()
 * (stop_thread_start). That thread notes the signal in `signal` and
 * calls `rmid`, which removes the object the main thread blocks on:
 * the main thread's call then fails with EIDRM (or EINVAL), it sees
 * `signal` set, and goes out through its cleanup path, which calls
 * stop_thread_end before removing what is left.
 *
 * `rmid` is the server's own: it runs on both threads, and must treat
 * EIDRM or EINVAL as done when `signal` is set (the other got there
 * first).
 */
struct stop_thread {
	sigset_t signals; /* SIGINT and SIGTERM */
	pthread_t thread;
	bool started;
	atomic_int signal; /* the signal taken, set before rmid runs */
	int (*rmid)(void); /* returns 0, or -1 after perror */
};

/* Blocks st->signals in this thread and every thread it makes: 0 or -1. */
static inline int stop_signals_block(struct stop_thread *st)
{
	sigemptyset(&st->signals);
	sigaddset(&st->signals, SIGINT);
	sigaddset(&st->signals, SIGTERM);
	int err = pthread_sigmask(SIG_BLOCK, &st->signals, NULL);
	if (err) {
		errno = err;
		perror("pthread_sigmask");
		return -1;
	}
	return 0;
}

static inline void *stop_thread_run(void *arg)
{
	struct stop_thread *st = arg;
	int sig;

	if (sigwait(&st->signals, &sig) == 0) {
		atomic_store(&st->signal, sig);
		st->rmid();
	}
	return NULL;
}

/* Starts the thread once the object `rmid` removes exists: 0 or -1. */
static inline int stop_thread_start(struct stop_thread *st, int (*rmid)(void))
{
	st->rmid = rmid;
	int err = pthread_create(&st->thread, NULL, stop_thread_run, st);
	if (err) {
		errno = err;
		perror("pthread_create");
		return -1;
	}
	st->started = true;
	return 0;
}

/*
 * Ends the signal thread (sigwait is a cancellation point) and waits for
 * it, so that its removal is over and no thread is left at exit. Further
 * stop signals are ignored from here on, which also drops any still
 * pending (timeout(1), for one, sends SIGTERM twice): the process is on
 * its way out and removes what is left itself.
 */
static inline void stop_thread_end(struct stop_thread *st)
{
	if (st->started) {
		pthread_cancel(st->thread);
		pthread_join(st->thread, NULL);
		st->started = false;
	}
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
}

#endif /* EXAMPLES_COMMON_H */
