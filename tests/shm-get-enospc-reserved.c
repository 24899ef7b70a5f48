/*
 * shm-get-enospc-reserved.c - ipckit only: a segment's memory is reserved
 * by shmget, so a file system without room fails shmget with ENOSPC and
 * leaves nothing behind, while a segment that was made can be written to
 * its last byte however full the file system is since (never SIGBUS).
 *
 * Two ways to run out of room: RLIMIT_FSIZE below the file's size, which
 * always works; and a 1 MiB tmpfs as the namespace, mounted in a private
 * mount namespace where that is allowed (root). Each runs in a child that
 * has not used ipckit yet, so it picks its own namespace directory.
 */
#include "helpers.h"

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>

#define KIB 1024u

/* Segment files, whole or half made, in `dir` (shm.ids aside). */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	if (!d)
		t_fail(__FILE__, __LINE__, "%s: %s", dir, strerror(errno));
	while ((e = readdir(d)))
		if ((!strncmp(e->d_name, "shm.", 4) &&
		     strcmp(e->d_name, "shm.ids")) ||
		    !strncmp(e->d_name, ".tmp.", 5))
			n++;
	closedir(d);
	return n;
}

/* The file size limit: larger segments are ENOSPC, smaller ones fine. */
static void under_fsize_limit(void)
{
	struct rlimit rl = {1024 * KIB, 1024 * KIB};
	signal(SIGXFSZ, SIG_IGN);
	T_OK(setrlimit(RLIMIT_FSIZE, &rl));
	T_FAIL_ERRNO(ipckit_shmget(IPC_PRIVATE, 4096 * KIB, IPC_CREAT | 0600),
		     ENOSPC);
	T_FAIL_ERRNO(ipckit_shmget(t_key(1), 2048 * KIB, IPC_CREAT | 0600),
		     ENOSPC);
	T_FAIL_ERRNO(ipckit_shmget(t_key(1), 0, 0), ENOENT);
	T_EQ(entries(t_dir), 0);
	int id = T_OK(ipckit_shmget(t_key(1), 256 * KIB, IPC_CREAT | 0600));
	char *p = T_OK(ipckit_shmat(id, NULL, 0));
	memset(p, 1, 256 * KIB);
	T_OK(ipckit_shmdt(p));
	T_OK(ipckit_shmctl(id, IPC_RMID, NULL));
}

/* A full file system: ENOSPC up front, and made segments fully usable. */
static void on_small_tmpfs(const char *dir)
{
	setenv("IPCKIT_DIR", dir, 1);
	T_FAIL_ERRNO(ipckit_shmget(IPC_PRIVATE, 2048 * KIB, IPC_CREAT | 0600),
		     ENOSPC);
	T_EQ(entries(dir), 0);

	/* Room for a few; fill the rest with segments, then a plain file. */
	int first =
	    T_OK(ipckit_shmget(IPC_PRIVATE, 256 * KIB, IPC_CREAT | 0600));
	int ids[16], n = 0;
	for (;;) {
		T_ASSERT(n < 16);
		errno = 0;
		ids[n] = ipckit_shmget(IPC_PRIVATE, 64 * KIB, IPC_CREAT | 0600);
		if (ids[n] < 0)
			break;
		n++;
	}
	T_EQ(errno, ENOSPC);
	T_ASSERT(n > 0);
	char path[600];
	snprintf(path, sizeof(path), "%s/filler", dir);
	int fd = T_OK(open(path, O_WRONLY | O_CREAT, 0600));
	static char block[4096];
	while (write(fd, block, sizeof(block)) > 0)
		;
	T_EQ(errno, ENOSPC);
	close(fd);

	/* Every page of the first segment is there to be written. */
	unsigned char *p = T_OK(ipckit_shmat(first, NULL, 0));
	memset(p, 0xa5, 256 * KIB);
	T_EQ(p[256 * KIB - 1], 0xa5);
	T_OK(ipckit_shmdt(p));

	/* Freeing one makes room for one again. */
	T_OK(ipckit_shmctl(ids[0], IPC_RMID, NULL));
	ids[0] = T_OK(ipckit_shmget(IPC_PRIVATE, 64 * KIB, IPC_CREAT | 0600));
	for (int i = 0; i < n; i++)
		T_OK(ipckit_shmctl(ids[i], IPC_RMID, NULL));
	T_OK(ipckit_shmctl(first, IPC_RMID, NULL));
	T_OK(unlink(path));
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_IPCKIT);
	char dir[300];
	snprintf(dir, sizeof(dir), "%s/small", t_dir);
	T_OK(mkdir(dir, 01777));

	pid_t pid = t_fork();
	if (pid == 0) {
		if (unshare(CLONE_NEWNS) < 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount("ipckit-test", dir, "tmpfs", 0, "size=1m,mode=1777") <
			0)
			_exit(T_EXIT_SKIP);
		on_small_tmpfs(dir);
		_exit(0);
	}
	int tmpfs = t_wait_exit(pid);
	if (tmpfs != T_EXIT_SKIP)
		T_EQ(tmpfs, 0);
	else
		printf("no private tmpfs here: RLIMIT_FSIZE only\n");

	pid = t_fork();
	if (pid == 0) {
		under_fsize_limit();
		_exit(0);
	}
	t_wait_ok(pid);
	return T_EXIT_PASS;
}
