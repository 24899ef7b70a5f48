/*
 * sem.c - `ipckit sem SET get|set|op ...`: a semaphore set from the shell.
 * get prints values; set is SETVAL (NUM=VALUE) or SETALL (one VALUE per
 * semaphore); op runs NUM:DELTA[:FLAGS] operations as one semop, and
 * with "-- COMMAND" then runs COMMAND, as flock(1) does: its SEM_UNDO
 * adjustments stay with this process until COMMAND ends (or this process
 * is killed), so `op 0:-1:u -- cmd` is a critical section.
 */
#include "cmd.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const struct sysv *B;
static char label[96];

static int nsems_of(int id)
{
	struct semid_ds ds;
	union semun arg = {.buf = &ds};
	if (B->semctl(id, 0, IPC_STAT, arg) < 0)
		fail(label, errno);
	return (int)ds.sem_nsems;
}

static int sem_get(int id, int argc, char **argv)
{
	if (argc > 1)
		usage_fail("get takes at most one semaphore number");
	if (argc == 1) {
		int num =
		    (int)parse_int("semaphore number", argv[0], 0, INT32_MAX);
		int v = B->semctl(id, num, GETVAL);
		if (v < 0)
			fail(label, errno);
		printf("%d\n", v);
		return 0;
	}
	int n = nsems_of(id);
	static unsigned short *vals; /* a failure exits holding it */
	vals = calloc((size_t)n + 1, sizeof(*vals));
	if (!vals)
		fail(label, ENOMEM);
	union semun arg = {.array = vals};
	if (B->semctl(id, 0, GETALL, arg) < 0)
		fail(label, errno);
	for (int i = 0; i < n; i++)
		printf("%s%u", i ? " " : "", vals[i]);
	putchar('\n');
	free(vals);
	return 0;
}

static int sem_set(int id, int argc, char **argv)
{
	if (argc == 0)
		usage_fail("set needs NUM=VALUE... or one VALUE per semaphore");
	bool pairs = strchr(argv[0], '=') != NULL;
	for (int i = 1; i < argc; i++)
		if ((strchr(argv[i], '=') != NULL) != pairs)
			usage_fail("set takes NUM=VALUE pairs or plain values, "
				   "not both");
	if (pairs) {
		for (int i = 0; i < argc; i++) {
			char *eq = strchr(argv[i], '=');
			*eq = 0;
			int num = (int)parse_int("semaphore number", argv[i], 0,
						 INT32_MAX);
			union semun arg = {.val = (int)parse_int(
					       "value", eq + 1, 0, INT32_MAX)};
			if (B->semctl(id, num, SETVAL, arg) < 0)
				fail(label, errno);
		}
		return 0;
	}
	int n = nsems_of(id);
	if (argc != n)
		usage_fail("%s has %d semaphores: give %d values", label, n, n);
	static unsigned short *vals; /* a failure exits holding it */
	vals = calloc((size_t)n, sizeof(*vals));
	if (!vals)
		fail(label, ENOMEM);
	for (int i = 0; i < n; i++)
		vals[i] =
		    (unsigned short)parse_int("value", argv[i], 0, USHRT_MAX);
	union semun arg = {.array = vals};
	if (B->semctl(id, 0, SETALL, arg) < 0)
		fail(label, errno);
	free(vals);
	return 0;
}

/* NUM:DELTA[:FLAGS], FLAGS from "n" (IPC_NOWAIT) and "u" (SEM_UNDO). */
static void op_parse(const char *s, struct sembuf *op, int flags)
{
	char buf[64], *save = NULL;
	snprintf(buf, sizeof(buf), "%s", s);
	char *num = strtok_r(buf, ":", &save);
	char *delta = strtok_r(NULL, ":", &save);
	char *fl = strtok_r(NULL, ":", &save);
	if (!num || !delta || strtok_r(NULL, ":", &save))
		usage_fail("invalid operation '%s' (NUM:DELTA[:FLAGS])", s);
	op->sem_num =
	    (unsigned short)parse_int("semaphore number", num, 0, USHRT_MAX);
	op->sem_op = (short)parse_int("delta", delta, SHRT_MIN, SHRT_MAX);
	op->sem_flg = (short)flags;
	for (; fl && *fl; fl++) {
		if (*fl == 'n')
			op->sem_flg |= IPC_NOWAIT;
		else if (*fl == 'u')
			op->sem_flg |= SEM_UNDO;
		else
			usage_fail("invalid flag '%c' in '%s' (n, u)", *fl, s);
	}
}

/* Runs the command and returns its exit status, as a shell reports it. */
static int run(char **command)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		fail("fork", errno);
	if (pid == 0) {
		execvp(command[0], command);
		warn_err(command[0], errno);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			fail(command[0], errno);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int cmd_sem(int argc, char **argv)
{
	enum { O_KERNEL = 256, O_DIR, O_TIMEOUT };
	static const struct option opts[] = {
	    {"nowait", no_argument, NULL, 'n'},
	    {"timeout", required_argument, NULL, O_TIMEOUT},
	    {"kernel", no_argument, NULL, O_KERNEL},
	    {"dir", required_argument, NULL, O_DIR},
	    {NULL, 0, NULL, 0},
	};
	const struct timespec *timeout = NULL;
	struct timespec ts;
	int flags = 0, c;
	char **command = NULL;
	B = &sysv_ipckit;
	/* "-- COMMAND": cut it off before getopt, which would move it. */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			command = argv + i + 1;
			argv[i] = NULL;
			argc = i;
			break;
		}
	}
	/* Operations start with a digit ("0:-1"): never taken for options. */
	while ((c = getopt_long(argc, argv, "n", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			flags |= IPC_NOWAIT;
			break;
		case O_TIMEOUT:
			ts = parse_seconds("timeout", optarg);
			timeout = &ts;
			break;
		case O_KERNEL:
			B = &sysv_kernel;
			break;
		case O_DIR:
			set_dir(optarg);
			break;
		default:
			bad_option(argv);
		}
	}
	if (argc - optind < 2)
		usage_fail("need SET and get, set or op");
	int id =
	    resolve(B, IPCKIT_KIND_SEM, argv[optind], label, sizeof(label));
	if (id < 0)
		fail(label, -id);
	const char *verb = argv[optind + 1];
	int nargs = argc - optind - 2;
	char **args = argv + optind + 2;
	if (command && strcmp(verb, "op"))
		usage_fail("only op runs a command");
	if (command && !*command)
		usage_fail("no command after --");
	if (!strcmp(verb, "get"))
		return sem_get(id, nargs, args);
	if (!strcmp(verb, "set"))
		return sem_set(id, nargs, args);
	if (strcmp(verb, "op"))
		usage_fail("unknown action '%s' (get, set, op)", verb);
	if (nargs == 0)
		usage_fail("op needs NUM:DELTA operations");
	static struct sembuf *ops; /* a failure exits holding it */
	ops = calloc((size_t)nargs, sizeof(*ops));
	if (!ops)
		fail(label, ENOMEM);
	for (int i = 0; i < nargs; i++)
		op_parse(args[i], &ops[i], flags);
	if (B->semtimedop(id, ops, (size_t)nargs, timeout) < 0)
		fail(label, errno);
	free(ops);
	return command ? run(command) : 0;
}
