/*
 * preload.c - `ipckit preload PID...`: whether a running process has
 * libipckit-preload.so loaded, read from /proc/PID/maps (its LD_PRELOAD
 * may have been dropped: a set-uid program, an exec with a clean
 * environment; the maps say what is loaded now).
 */
#include "cmd.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PRELOAD_NAME "libipckit-preload.so"

/* 1 loaded (path in `path`), 0 not, -errno when unreadable. */
static int preload_of(long pid, char *path, size_t n)
{
	char file[64], line[PATH_MAX + 128];
	snprintf(file, sizeof(file), "/proc/%ld/maps", pid);
	FILE *f = fopen(file, "re");
	if (!f)
		return errno == ENOENT ? -ESRCH : -errno;
	int found = 0;
	while (!found && fgets(line, sizeof(line), f)) {
		char *p = strchr(line, '/');
		if (!p)
			continue;
		p[strcspn(p, "\n")] = 0;
		const char *base = strrchr(p, '/') + 1;
		/* libipckit-preload.so, or a versioned libipckit-preload.so.0
		 */
		if (!strncmp(base, PRELOAD_NAME, strlen(PRELOAD_NAME)) &&
		    (base[strlen(PRELOAD_NAME)] == 0 ||
		     base[strlen(PRELOAD_NAME)] == '.' ||
		     base[strlen(PRELOAD_NAME)] == ' ')) {
			snprintf(path, n, "%s", p);
			found = 1;
		}
	}
	fclose(f);
	return found;
}

int cmd_preload(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"quiet", no_argument, NULL, 'q'},
	    {NULL, 0, NULL, 0},
	};
	bool quiet = false;
	int c, status = 0;
	while ((c = getopt_long(argc, argv, "q", opts, NULL)) != -1) {
		if (c != 'q')
			bad_option(argv);
		quiet = true;
	}
	if (optind >= argc)
		usage_fail("which process?");
	for (int i = optind; i < argc; i++) {
		long pid = (long)parse_int("pid", argv[i], 1, INT32_MAX);
		char path[PATH_MAX], label[48];
		int rc = preload_of(pid, path, sizeof(path));
		snprintf(label, sizeof(label), "process %ld", pid);
		if (rc < 0) {
			if (!quiet)
				warn_err(label, -rc);
			status = 1;
		} else if (rc == 0) {
			if (!quiet)
				printf("%ld: not loaded\n", pid);
			status = 1;
		} else if (!quiet) {
			printf("%ld: loaded (%s)\n", pid, path);
		}
	}
	return status;
}
