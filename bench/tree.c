/*
 * tree.c - removing a directory tree: the private namespaces the benchmark
 * and its standalone programs (preload-ratio, idle-cpu) make and remove.
 */
#include "bench.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void bench_tree_remove(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char sub[PATH_MAX];
	struct stat st;

	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			bench_tree_remove(sub);
		else
			unlink(sub);
	}
	if (d)
		closedir(d);
	rmdir(path);
}
