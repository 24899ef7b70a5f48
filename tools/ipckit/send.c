/*
 * send.c - `ipckit send QUEUE [DATA...]`: each argument one message, or
 * standard input one message per line, or all of it as one (--whole, for
 * binary data), so a shell script can use a queue as it uses a FIFO.
 */
#include "cmd.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct sender {
	const struct sysv *b;
	int id;
	long type;
	int flags;
	const struct timespec *timeout;
	const char *label;
};

static void send_one(const struct sender *s, const void *data, size_t len)
{
	struct {
		long mtype;
		char mtext[];
	} *m = malloc(sizeof(long) + len + 1);
	if (!m)
		fail(s->label, ENOMEM);
	m->mtype = s->type;
	memcpy(m->mtext, data, len);
	int rc = s->b->msgtimedsnd(s->id, m, len, s->flags, s->timeout);
	int err = errno;
	free(m);
	if (rc < 0) {
		errno = err;
		/* The kernel's EINVAL for a long message says too little. */
		if (errno == EINVAL && len > 0) {
			struct msginfo mi;
			int e = errno;
			if (s->b->msgctl(0, IPC_INFO, (struct msqid_ds *)&mi) >=
				0 &&
			    len > (size_t)mi.msgmax)
				fail_msg("%s: message of %zu bytes is larger "
					 "than msgmax (%d)",
					 s->label, len, mi.msgmax);
			errno = e;
		}
		fail(s->label, errno);
	}
}

int cmd_send(int argc, char **argv)
{
	enum { O_KERNEL = 256, O_DIR, O_TIMEOUT };
	static const struct option opts[] = {
	    {"type", required_argument, NULL, 't'},
	    {"whole", no_argument, NULL, 'w'},
	    {"raw", no_argument, NULL, 'w'},
	    {"nowait", no_argument, NULL, 'n'},
	    {"timeout", required_argument, NULL, O_TIMEOUT},
	    {"kernel", no_argument, NULL, O_KERNEL},
	    {"dir", required_argument, NULL, O_DIR},
	    {NULL, 0, NULL, 0},
	};
	struct sender s = {.b = &sysv_ipckit, .type = 1};
	struct timespec timeout;
	bool whole = false;
	int c;
	while ((c = getopt_long(argc, argv, "t:wn", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			s.type = (long)parse_int("type", optarg, 1, LONG_MAX);
			break;
		case 'w':
			whole = true;
			break;
		case 'n':
			s.flags |= IPC_NOWAIT;
			break;
		case O_TIMEOUT:
			timeout = parse_seconds("timeout", optarg);
			s.timeout = &timeout;
			break;
		case O_KERNEL:
			s.b = &sysv_kernel;
			break;
		case O_DIR:
			set_dir(optarg);
			break;
		default:
			bad_option(argv);
		}
	}
	if (optind >= argc)
		usage_fail("which queue?");
	if (whole && optind + 1 < argc)
		usage_fail("--whole reads standard input: no DATA arguments");
	char label[96];
	s.label = label;
	s.id =
	    resolve(s.b, IPCKIT_KIND_MSG, argv[optind], label, sizeof(label));
	if (s.id < 0)
		fail(label, -s.id);
	if (optind + 1 < argc) {
		for (int i = optind + 1; i < argc; i++)
			send_one(&s, argv[i], strlen(argv[i]));
		return 0;
	}
	if (whole) {
		static char *buf;
		ssize_t n = read_all(STDIN_FILENO, &buf);
		if (n < 0)
			fail("standard input", (int)-n);
		send_one(&s, buf, (size_t)n);
		free(buf);
		return 0;
	}
	/* Static: a failed send exits holding it, and that is no leak. */
	static char *line;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, stdin)) >= 0) {
		if (n > 0 && line[n - 1] == '\n')
			n--;
		send_one(&s, line, (size_t)n);
	}
	if (ferror(stdin))
		fail("standard input", errno);
	free(line);
	return 0;
}
