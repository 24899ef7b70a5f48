/*
 * mk.c - `ipckit mk`: ipcmk for ipckit (or, with --kernel, the kernel):
 * -M SIZE, -Q, -S NSEMS, -p MODE, plus --key. Prints each new id on its
 * own line, so `id=$(ipckit mk -Q)` works, and so does the usual
 * `ipcmk -Q | awk '{print $NF}'`.
 */
#include "cmd.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_mk(int argc, char **argv)
{
	enum { O_KERNEL = 256, O_DIR };
	static const struct option opts[] = {
	    {"shmem", required_argument, NULL, 'M'},
	    {"queue", no_argument, NULL, 'Q'},
	    {"semaphore", required_argument, NULL, 'S'},
	    {"mode", required_argument, NULL, 'p'},
	    {"key", required_argument, NULL, 'k'},
	    {"kernel", no_argument, NULL, O_KERNEL},
	    {"dir", required_argument, NULL, O_DIR},
	    {NULL, 0, NULL, 0},
	};
	const struct sysv *b = &sysv_ipckit;
	bool queue = false, shm = false;
	uint64_t size = 0;
	long long nsems = -1;
	int mode = 0644, c;
	key_t key = IPC_PRIVATE;
	while ((c = getopt_long(argc, argv, "M:QS:p:k:", opts, NULL)) != -1) {
		switch (c) {
		case 'M':
			size = parse_size(optarg);
			shm = true;
			break;
		case 'Q':
			queue = true;
			break;
		case 'S':
			nsems = parse_int("number of semaphores", optarg, 1,
					  INT32_MAX);
			break;
		case 'p':
			mode = parse_mode(optarg);
			break;
		case 'k':
			key = parse_key(optarg);
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
	if (optind < argc)
		usage_fail("unexpected argument '%s'", argv[optind]);
	if (!queue && !shm && nsems < 0)
		usage_fail("nothing to create: give -M, -Q or -S");
	/* An existing object under the key is an error: mk makes. */
	int flg = mode | IPC_CREAT | (key != IPC_PRIVATE ? IPC_EXCL : 0);
	char label[64];
	int status = 0;
	if (shm) {
		int id = b->shmget(key, (size_t)size, flg);
		snprintf(label, sizeof(label), "shm of %llu bytes",
			 (unsigned long long)size);
		if (id < 0) {
			warn_err(label, errno);
			status = 1;
		} else {
			printf("%d\n", id);
		}
	}
	if (queue) {
		int id = b->msgget(key, flg);
		if (id < 0) {
			warn_err("msg", errno);
			status = 1;
		} else {
			printf("%d\n", id);
		}
	}
	if (nsems >= 0) {
		int id = b->semget(key, (int)nsems, flg);
		snprintf(label, sizeof(label), "sem of %lld", nsems);
		if (id < 0) {
			warn_err(label, errno);
			status = 1;
		} else {
			printf("%d\n", id);
		}
	}
	return status;
}
