/*
 * recv.c - `ipckit recv QUEUE`: receives messages and writes them to
 * standard output, each followed by a newline (or raw, for binary data),
 * with msgrcv's selectors: --type N, --except N (MSG_EXCEPT), --max N
 * (msgtyp -N). --timeout uses ipckit_msgtimedrcv (for the kernel, a timer).
 */
#include "cmd.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cmd_recv(int argc, char **argv)
{
	enum { O_KERNEL = 256, O_DIR, O_TIMEOUT, O_NOERROR };
	static const struct option opts[] = {
	    {"type", required_argument, NULL, 't'},
	    {"except", required_argument, NULL, 'e'},
	    {"max", required_argument, NULL, 'x'},
	    {"count", required_argument, NULL, 'c'},
	    {"nowait", no_argument, NULL, 'n'},
	    {"raw", no_argument, NULL, 'r'},
	    {"show-type", no_argument, NULL, 'T'},
	    {"timeout", required_argument, NULL, O_TIMEOUT},
	    {"noerror", no_argument, NULL, O_NOERROR},
	    {"kernel", no_argument, NULL, O_KERNEL},
	    {"dir", required_argument, NULL, O_DIR},
	    {NULL, 0, NULL, 0},
	};
	const struct sysv *b = &sysv_ipckit;
	const struct timespec *timeout = NULL;
	struct timespec ts;
	long msgtyp = 0;
	long long count = 1;
	int flags = 0, selectors = 0, c;
	bool raw = false, show_type = false;
	while ((c = getopt_long(argc, argv, "t:e:x:c:nrT", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			msgtyp = (long)parse_int("type", optarg, 1, LONG_MAX);
			selectors++;
			break;
		case 'e':
			msgtyp = (long)parse_int("type", optarg, 1, LONG_MAX);
			flags |= MSG_EXCEPT;
			selectors++;
			break;
		case 'x':
			msgtyp = -(long)parse_int("type", optarg, 1, LONG_MAX);
			selectors++;
			break;
		case 'c':
			count = parse_int("count", optarg, 0, LLONG_MAX);
			break;
		case 'n':
			flags |= IPC_NOWAIT;
			break;
		case 'r':
			raw = true;
			break;
		case 'T':
			show_type = true;
			break;
		case O_TIMEOUT:
			ts = parse_seconds("timeout", optarg);
			timeout = &ts;
			break;
		case O_NOERROR:
			flags |= MSG_NOERROR;
			break;
		case O_KERNEL:
			b = &sysv_kernel;
			break;
		case O_DIR:
			set_dir(optarg);
			break;
		default:
			bad_option(argv);
		}
	}
	if (selectors > 1)
		usage_fail("--type, --except and --max exclude each other");
	if (optind != argc - 1)
		usage_fail(optind >= argc ? "which queue?"
					  : "one queue, please");
	if (count == 0 && !(flags & IPC_NOWAIT) && !timeout)
		usage_fail("--count 0 needs --nowait or --timeout");
	char label[96];
	int id =
	    resolve(b, IPCKIT_KIND_MSG, argv[optind], label, sizeof(label));
	if (id < 0)
		fail(label, -id);

	/* A buffer for the largest message the queue may hold. */
	struct msginfo mi;
	size_t max = 65536;
	if (b->msgctl(0, IPC_INFO, (struct msqid_ds *)&mi) >= 0 &&
	    mi.msgmax > 0)
		max = (size_t)mi.msgmax;
	/* Static: a failure exits holding it, and that is no leak. */
	static struct {
		long mtype;
		char mtext[];
	} * m;
	m = malloc(sizeof(long) + max);
	if (!m)
		fail(label, ENOMEM);
	for (long long got = 0; count == 0 || got < count; got++) {
		ssize_t n = b->msgtimedrcv(id, m, max, msgtyp, flags, timeout);
		if (n < 0) {
			/* "Every one there is" ends when none is left. */
			if (count == 0 && errno == ENOMSG)
				break;
			fflush(stdout);
			fail(label, errno);
		}
		if (show_type)
			printf("%ld\t", m->mtype);
		fwrite(m->mtext, 1, (size_t)n, stdout);
		if (!raw)
			putchar('\n');
		/* Each message is out before we wait for the next. */
		if (fflush(stdout) == EOF)
			fail("standard output", errno);
	}
	free(m);
	return 0;
}
