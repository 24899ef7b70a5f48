/*
 * The namespace directory: a directory others could tamper with is
 * refused with EPERM (owned by another non-root user, or world-writable
 * without the sticky bit), a non-directory with ENOTDIR; a missing one is
 * made world-writable and sticky; ipckit.conf sets limits only when its
 * owner may.
 */
#include "helpers.h"

#include <fcntl.h>
#include <sys/stat.h>

/* In a fresh child: use `dir` as the namespace; returns msgget's errno. */
static int try_dir(const char *dir)
{
	int *err = t_shared_alloc(sizeof(int));
	pid_t pid = t_fork();
	if (pid == 0) {
		setenv("IPCKIT_DIR", dir, 1);
		errno = 0;
		int id = ipckit_msgget(IPC_PRIVATE, 0600);
		*err = id < 0 ? errno : 0;
		if (id >= 0)
			ipckit_msgctl(id, IPC_RMID, NULL);
		_exit(0);
	}
	t_wait_ok(pid);
	return *err;
}

/* In a fresh child: msg_qbytes of a new queue in `dir`. */
static long qbytes_in(const char *dir)
{
	long *out = t_shared_alloc(sizeof(long));
	pid_t pid = t_fork();
	if (pid == 0) {
		setenv("IPCKIT_DIR", dir, 1);
		int id = T_OK(ipckit_msgget(IPC_PRIVATE, 0600));
		struct msqid_ds ds;
		T_OK(ipckit_msgctl(id, IPC_STAT, &ds));
		*out = (long)ds.msg_qbytes;
		T_OK(ipckit_msgctl(id, IPC_RMID, NULL));
		_exit(0);
	}
	t_wait_ok(pid);
	return *out;
}

static void write_conf(const char *dir, const char *text, mode_t mode)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/ipckit.conf", dir);
	FILE *f = fopen(path, "w");
	T_ASSERT(f);
	fputs(text, f);
	fclose(f);
	T_OK(chmod(path, mode));
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_IPCKIT);
	char path[512];

	/* A missing directory is made, sticky and world-writable. */
	snprintf(path, sizeof(path), "%s/made", t_dir);
	T_EQ(try_dir(path), 0);
	struct stat st;
	T_OK(stat(path, &st));
	T_EQ(st.st_mode & 07777, 01777);

	/* World-writable without the sticky bit. */
	snprintf(path, sizeof(path), "%s/open", t_dir);
	T_OK(mkdir(path, 0700));
	T_OK(chmod(path, 0777));
	T_EQ(try_dir(path), EPERM);
	T_OK(chmod(path, 01777));
	T_EQ(try_dir(path), 0);

	/* A symbolic link and a regular file are not directories. */
	snprintf(path, sizeof(path), "%s/link", t_dir);
	char target[512];
	snprintf(target, sizeof(target), "%s/open", t_dir);
	T_OK(symlink(target, path));
	T_EQ(try_dir(path), ENOTDIR);
	snprintf(path, sizeof(path), "%s/file", t_dir);
	int fd = T_OK(open(path, O_CREAT | O_WRONLY, 0600));
	close(fd);
	T_EQ(try_dir(path), ENOTDIR);

	/* Owned by another, non-root user. */
	if (geteuid() == 0) {
		snprintf(path, sizeof(path), "%s/theirs", t_dir);
		T_OK(mkdir(path, 0755));
		T_OK(chown(path, 65534, 65534));
		T_EQ(try_dir(path), EPERM);
	}

	/* Limits from ipckit.conf, only when not writable by others. */
	snprintf(path, sizeof(path), "%s/conf", t_dir);
	T_OK(mkdir(path, 0700));
	long dflt = qbytes_in(path);
	write_conf(path, "# smaller queues\nmsgmnb = 1000\n", 0644);
	T_EQ(qbytes_in(path), 1000);
	write_conf(path, "msgmnb = 1000\n", 0666);
	T_EQ(qbytes_in(path), dflt);

	/* ipckit_dir names the namespace in use. */
	T_ASSERT(ipckit_dir() && !strcmp(ipckit_dir(), t_dir));
	return 0;
}
