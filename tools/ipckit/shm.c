/*
 * shm.c - `ipckit shm cat|write SEGMENT`: a segment's bytes to standard
 * output, or standard input into the segment. Each attaches the segment
 * for the copy (read-only for cat), as any reader or writer does.
 */
#include "cmd.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cmd_shm(int argc, char **argv)
{
	enum { O_KERNEL = 256, O_DIR };
	static const struct option opts[] = {
	    {"offset", required_argument, NULL, 'o'},
	    {"length", required_argument, NULL, 'l'},
	    {"kernel", no_argument, NULL, O_KERNEL},
	    {"dir", required_argument, NULL, O_DIR},
	    {NULL, 0, NULL, 0},
	};
	const struct sysv *b = &sysv_ipckit;
	uint64_t offset = 0, length = UINT64_MAX;
	int c;
	while ((c = getopt_long(argc, argv, "o:l:", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			offset = parse_size(optarg);
			break;
		case 'l':
			length = parse_size(optarg);
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
	if (argc - optind != 2)
		usage_fail("need cat or write, and SEGMENT");
	const char *verb = argv[optind];
	bool cat = !strcmp(verb, "cat");
	if (!cat && strcmp(verb, "write"))
		usage_fail("unknown action '%s' (cat, write)", verb);
	char label[96];
	int id =
	    resolve(b, IPCKIT_KIND_SHM, argv[optind + 1], label, sizeof(label));
	if (id < 0)
		fail(label, -id);
	struct shmid_ds ds;
	if (b->shmctl(id, IPC_STAT, &ds) < 0)
		fail(label, errno);
	uint64_t size = ds.shm_segsz;
	if (offset > size)
		fail_msg("%s: offset %llu is past its %llu bytes", label,
			 (unsigned long long)offset, (unsigned long long)size);
	char *base = b->shmat(id, NULL, cat ? SHM_RDONLY : 0);
	if (base == (void *)-1)
		fail(label, errno);
	int status = 0;
	if (cat) {
		uint64_t n = size - offset < length ? size - offset : length;
		if (!write_all(STDOUT_FILENO, base + offset, (size_t)n)) {
			warn_err("standard output", errno);
			status = 1;
		}
	} else {
		char *buf;
		ssize_t n = read_all(STDIN_FILENO, &buf);
		if (n < 0) {
			warn_err("standard input", (int)-n);
			status = 1;
		} else if ((uint64_t)n > size - offset) {
			fprintf(stderr,
				"ipckit: %s: %zd bytes do not fit in its %llu "
				"bytes after offset %llu\n",
				label, n, (unsigned long long)size,
				(unsigned long long)offset);
			status = 1;
			free(buf);
		} else {
			memcpy(base + offset, buf, (size_t)n);
			free(buf);
		}
	}
	if (b->shmdt(base) < 0)
		fail(label, errno);
	return status;
}
