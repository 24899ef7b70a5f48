/*
 * shm-rmid-freed-file.c - ipckit only: destroying a segment really frees
 * its memory, i.e. its file leaves the namespace directory, when the last
 * attach of a removed segment goes by shmdt, and when it goes by SIGKILL
 * (the next call that looks at the segment reaps it).
 *
 * Depends on the file layout, not on any interface (src/obj.c): a segment
 * lives in the namespace directory as the object file shm.<slot> and, if
 * it has a key, the link shm.key.<8 hex>; shm.ids (sequence numbers) stays
 * and is not counted. If that layout changes, this test must change with
 * it; it fails rather than passes when it finds no segment file at all.
 */
#include "helpers.h"

#include <dirent.h>
#include <signal.h>

/* Counts segment files in the namespace: shm.<slot> and shm.key.<hex>. */
static int shm_files(void)
{
	DIR *d = opendir(t_dir);
	struct dirent *e;
	int n = 0;
	if (!d)
		t_fail(__FILE__, __LINE__, "%s: %s", t_dir, strerror(errno));
	while ((e = readdir(d))) {
		const char *rest = e->d_name + 4;
		if (strncmp(e->d_name, "shm.", 4) != 0)
			continue;
		if ((*rest >= '0' && *rest <= '9') ||
		    strncmp(rest, "key.", 4) == 0)
			n++;
	}
	closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_IPCKIT);
	struct t_barrier *bar = t_barrier_create(2);
	struct shmid_ds ds;

	/* Last detach by shmdt, in the remover. */
	int id = T_OK(B->shmget(t_key(1), 1 << 20, IPC_CREAT | 0600));
	char *p = T_OK(B->shmat(id, NULL, 0));
	memset(p, 1, 1 << 20);
	if (shm_files() == 0)
		t_fail(__FILE__, __LINE__,
		       "no shm.* file in %s: has the layout changed?", t_dir);
	T_OK(B->shmctl(id, IPC_RMID, NULL));
	T_OK(B->shmdt(p));
	T_FAIL_ERRNO(B->shmctl(id, IPC_STAT, &ds), EINVAL);
	T_EQ(shm_files(), 0);

	/* Last attach held by a killed child. */
	id = T_OK(B->shmget(t_key(2), 1 << 20, IPC_CREAT | 0600));
	pid_t pid = t_fork();
	if (pid == 0) {
		char *c = T_OK(B->shmat(id, NULL, 0));
		memset(c, 2, 1 << 20);
		t_barrier_wait(bar);
		for (;;)
			pause();
	}
	t_barrier_wait(bar);
	T_OK(B->shmctl(id, IPC_RMID, NULL));
	T_ASSERT(shm_files() > 0);
	T_OK(kill(pid, SIGKILL));
	T_EQ(t_wait_signal(pid), SIGKILL);
	T_FAIL_ERRNO(B->shmctl(id, IPC_STAT, &ds), EINVAL);
	T_EQ(shm_files(), 0);
	return T_EXIT_PASS;
}
