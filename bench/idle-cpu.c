/*
 * idle-cpu.c - what a blocked waiter costs while nothing arrives. Issue 3
 * asks that a receiver waiting on an empty queue use no measurable CPU
 * after its bounded spin. For each waiter below, a child process blocks
 * (msgrcv on an empty queue; semop P on a semaphore at 0). Once it sleeps
 * in the kernel, the parent reads the child's time on CPU from
 * /proc/PID/schedstat (nanoseconds, the scheduler's own account) and
 * again a window later; then it removes the object, so the child wakes
 * with EIDRM and exits, and reaps it. Printed: CPU time per second of the
 * window (median of the rounds) and the child's whole CPU time from fork
 * to its sleep, spin included. Never pass or fail (STYLE.md, bench/): the
 * figures are for reading.
 *
 * What an ipckit waiter still does while it sleeps: it wakes at the end
 * of each death-check slice (1 s on a queue or set nobody else uses,
 * 100 ms when another process could die holding what it waits for) to
 * look for dead processes, then sleeps again.
 *
 * usage: idle-cpu [--seconds S] [--rounds R]
 */
#include "bench.h"
#include "ipckit.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_ROUNDS 31

struct waiter {
	const char *name;
	bool ipckit;
	bool sem;
	int spin; /* -1: the library's default */
};

static const struct waiter waiters[] = {
	{"kernel msgrcv", false, false, -1},
	{"ipckit msgrcv, spin on", true, false, -1},
	{"ipckit msgrcv, spin off", true, false, 0},
	{"kernel semop", false, true, -1},
	{"ipckit semop, spin on", true, true, -1},
	{"ipckit semop, spin off", true, true, 0},
};
#define NWAITERS (sizeof(waiters) / sizeof(waiters[0]))

static void die(const char *what)
{
	fprintf(stderr, "idle-cpu: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void nap_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

/* The process's time on CPU in ns, from the scheduler; -1 if gone. */
static long long cpu_ns(pid_t pid)
{
	char path[64];
	long long ns = -1;
	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
	FILE *f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%lld", &ns) != 1)
			ns = -1;
		fclose(f);
	}
	return ns;
}

/* The process's state letter from /proc/PID/stat, or 0 if gone. */
static char proc_state(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	char *p = strrchr(buf, ')'); /* the command name may hold anything */
	return p && p[1] == ' ' ? p[2] : 0;
}

/* The child: blocks until the object is removed. */
static void wait_forever(const struct waiter *w, int id)
{
	if (w->ipckit && w->spin >= 0)
		ipckit_set_spin((unsigned)w->spin);
	if (w->sem) {
		struct sembuf p = {0, -1, 0};
		if (w->ipckit)
			ipckit_semop(id, &p, 1);
		else
			semop(id, &p, 1);
	} else {
		struct {
			long mtype;
			char text[64];
		} m;
		if (w->ipckit)
			ipckit_msgrcv(id, &m, sizeof(m.text), 0, 0);
		else
			msgrcv(id, &m, sizeof(m.text), 0, 0);
	}
	_exit(0);
}

/*
 * One round for waiter w: the CPU ns per second over `seconds` once the
 * child sleeps, and in *before the child's CPU ns up to then.
 */
static double one_round(const struct waiter *w, int seconds,
			long long *before)
{
	int id;
	if (w->sem)
		id = w->ipckit ? ipckit_semget(IPC_PRIVATE, 1, 0600)
			       : semget(IPC_PRIVATE, 1, 0600);
	else
		id = w->ipckit ? ipckit_msgget(IPC_PRIVATE, 0600)
			       : msgget(IPC_PRIVATE, 0600);
	if (id < 0)
		die(w->name);
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0)
		wait_forever(w, id);
	/* Asleep in the kernel: past any spin. Then let it settle. */
	for (int i = 0; i < 2000 && proc_state(pid) != 'S'; i++)
		nap_ms(1);
	nap_ms(100);
	long long t0 = cpu_ns(pid);
	nap_ms(seconds * 1000L);
	long long t1 = cpu_ns(pid);
	if (w->sem) {
		if (w->ipckit)
			ipckit_semctl(id, 0, IPC_RMID);
		else
			semctl(id, 0, IPC_RMID);
	} else {
		if (w->ipckit)
			ipckit_msgctl(id, IPC_RMID, NULL);
		else
			msgctl(id, IPC_RMID, NULL);
	}
	int status;
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	if (t0 < 0 || t1 < 0) {
		fprintf(stderr, "idle-cpu: %s: no /proc/PID/schedstat\n",
			w->name);
		exit(1);
	}
	*before = t0;
	return (double)(t1 - t0) / seconds;
}

int main(int argc, char **argv)
{
	int seconds = 2, rounds = 3;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
			seconds = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
			rounds = atoi(argv[++i]);
		} else {
			fprintf(stderr,
				"usage: %s [--seconds S] [--rounds R]\n",
				argv[0]);
			return 2;
		}
	}
	if (seconds < 1 || rounds < 1 || rounds > MAX_ROUNDS) {
		fprintf(stderr, "idle-cpu: bad --seconds or --rounds\n");
		return 2;
	}

	/* A private namespace, removed at the end. */
	char dir[] = "/dev/shm/ipckit-idle.XXXXXX";
	if (!mkdtemp(dir))
		die("mkdtemp");
	setenv("IPCKIT_DIR", dir, 1);

	printf("a waiter blocked on an empty queue or a semaphore at 0: its "
	       "CPU time\nwhile asleep (per second, median of %d rounds of "
	       "%d s) and from fork to sleep\n\n",
	       rounds, seconds);
	printf("%-26s %16s %16s\n", "waiter", "asleep, ns/s", "to sleep, us");
	for (size_t k = 0; k < NWAITERS; k++) {
		double per_s[MAX_ROUNDS], first[MAX_ROUNDS];
		for (int r = 0; r < rounds; r++) {
			long long before;
			per_s[r] = one_round(&waiters[k], seconds, &before);
			first[r] = (double)before / 1000;
		}
		printf("%-26s %16.0f %16.0f\n", waiters[k].name,
		       bench_quantile(per_s, (size_t)rounds, 0.5), bench_quantile(first, (size_t)rounds, 0.5));
		fflush(stdout);
	}
	bench_tree_remove(dir);
	return 0;
}
