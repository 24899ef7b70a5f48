/*
 * shm-ctl-ipc-info.c - IPC_INFO fills a struct shminfo with the limits the
 * kernel's sysctls set (shmmax, shmall, shmmni as in /proc/sys/kernel;
 * shmmin 1; shmseg as the kernel reports it) and returns the highest index
 * in use, which is at least our segment's. It needs no permission.
 */
#include "shm-common.h"

#include <sys/stat.h>

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

static void check_info(int own_index)
{
	struct shminfo si;
	memset(&si, 0x5a, sizeof(si));
	int max = T_OK(B->shmctl(0, IPC_INFO, (struct shmid_ds *)&si));
	T_ASSERT(max >= own_index);
	T_EQ(si.shmmax, read_proc("/proc/sys/kernel/shmmax"));
	T_EQ(si.shmall, read_proc("/proc/sys/kernel/shmall"));
	T_EQ(si.shmmni, read_proc("/proc/sys/kernel/shmmni"));
	T_EQ(si.shmmin, 1);

	/*
	 * shmseg is a constant of the kernel (SHMSEG), not a sysctl: ask it
	 * directly. (Under the preload library this reaches ipckit too.)
	 */
	struct shminfo k;
	T_OK(shmctl(0, IPC_INFO, (struct shmid_ds *)&k));
	T_EQ(si.shmseg, k.shmseg);

	/* The id is not looked at. */
	T_ASSERT(B->shmctl(123456, IPC_INFO, (struct shmid_ds *)&si) >=
		 own_index);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);

	int id = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	int idx = index_of(id);
	T_ASSERT(idx >= 0);
	check_info(idx);

	if (geteuid() == 0) {
		T_OK(chmod(t_dir, 01777));
		pid_t pid = t_fork();
		if (pid == 0) {
			t_become(T_NOBODY, T_NOBODY);
			check_info(idx);
			_exit(0);
		}
		t_wait_ok(pid);
	}

	T_OK(B->shmctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
