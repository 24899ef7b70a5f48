/*
 * shm-get-size-limits.c - making a segment needs shmmin <= size <= shmmax:
 * size 0 and a size past /proc/sys/kernel/shmmax fail with EINVAL, whatever
 * the key, and leave nothing behind; size 1 (shmmin) works.
 */
#include "helpers.h"

static unsigned long long read_proc(const char *path)
{
	unsigned long long v;
	FILE *f = fopen(path, "r");
	if (!f)
		t_fail(__FILE__, __LINE__, "%s: %s", path, strerror(errno));
	if (fscanf(f, "%llu", &v) != 1)
		t_fail(__FILE__, __LINE__, "%s: unreadable", path);
	fclose(f);
	return v;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct shmid_ds ds;

	/* Size 0 is allowed only to open an existing segment. */
	T_FAIL_ERRNO(B->shmget(IPC_PRIVATE, 0, IPC_CREAT | 0600), EINVAL);
	T_FAIL_ERRNO(B->shmget(IPC_PRIVATE, 0, 0600), EINVAL);
	T_FAIL_ERRNO(B->shmget(t_key(1), 0, IPC_CREAT | 0600), EINVAL);
	T_FAIL_ERRNO(B->shmget(t_key(1), 0, IPC_CREAT | IPC_EXCL | 0600),
		     EINVAL);
	T_FAIL_ERRNO(B->shmget(t_key(1), 0, 0), ENOENT);

	unsigned long long shmmax = read_proc("/proc/sys/kernel/shmmax");
	if (shmmax < SIZE_MAX) {
		size_t over = (size_t)shmmax + 1;
		T_FAIL_ERRNO(B->shmget(IPC_PRIVATE, over, IPC_CREAT | 0600),
			     EINVAL);
		T_FAIL_ERRNO(B->shmget(t_key(2), over, IPC_CREAT | 0600),
			     EINVAL);
		T_FAIL_ERRNO(B->shmget(t_key(2), 0, 0), ENOENT);
		T_FAIL_ERRNO(B->shmget(IPC_PRIVATE, SIZE_MAX, IPC_CREAT | 0600),
			     EINVAL);
	}

	/* shmmin is 1. */
	int id = T_OK(B->shmget(t_key(3), 1, IPC_CREAT | 0600));
	T_OK(B->shmctl(id, IPC_STAT, &ds));
	T_EQ(ds.shm_segsz, 1);
	T_OK(B->shmctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
