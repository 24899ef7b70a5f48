/*
 * A creator killed at any step of publication leaves nothing another
 * process can open: the key stays free (ENOENT, then a fresh create
 * works), no id reaches the half-made object, and ipckit_gc() removes
 * every file it left.
 */
#include "helpers.h"

#include <dirent.h>
#include <signal.h>

static int count_files(const char *prefix)
{
	DIR *d = opendir(t_dir);
	int n = 0;
	struct dirent *e;
	T_ASSERT(d);
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, prefix, strlen(prefix)))
			n++;
	closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_IPCKIT);
	static const char *points[] = {"create-built", "create-keyed",
				       "create-slotted"};
	for (size_t i = 0; i < sizeof(points) / sizeof(points[0]); i++) {
		key_t key = t_key((int)i);
		pid_t pid = t_fork();
		if (pid == 0) {
			setenv("IPCKIT_FAULT", points[i], 1);
			ipckit_msgget(key, IPC_CREAT | 0600);
			_exit(3); /* the fault point was never reached */
		}
		T_EQ(t_wait_signal(pid), SIGKILL);

		T_FAIL_ERRNO(ipckit_msgget(key, 0), ENOENT);
		/* No slot of a half-made object answers to any id. */
		struct msqid_ds ds;
		for (int slot = 0; slot < 8; slot++)
			for (int seq = 0; seq < 4; seq++)
				T_ASSERT(ipckit_msgctl(seq * 32768 + slot,
						       IPC_STAT, &ds) < 0);
		T_ASSERT(ipckit_gc() >= 0);
		T_EQ(count_files(".tmp."), 0);
		T_EQ(count_files("msg.key."), 0);
		/* No object file is left (the id file may be). */
		T_EQ(count_files("msg.") - count_files("msg.ids"), 0);

		int id = T_OK(ipckit_msgget(key, IPC_CREAT | 0600));
		T_EQ(ipckit_msgget(key, 0), id);
		T_OK(ipckit_msgctl(id, IPC_RMID, NULL));
	}
	return 0;
}
