/*
 * shm-rmid-freed-memory.c - ipckit only: a removed segment's memory is
 * given back when its last attach goes (shmdt, or SIGKILL of the last
 * holder, noticed by the next call), even while other processes still hold
 * a handle on the segment and so keep its file open: the file's blocks
 * drop to the control part. Removed while unattached, it is freed at once.
 *
 * Depends on the file layout (src/layout.h): the segment is the file
 * shm.<slot> in the namespace directory, its data after SHM_SEG_CTL_SIZE
 * bytes. An open descriptor stands for the handles of other processes.
 */
#include "helpers.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>

#include "layout.h"

#define SIZE (8u << 20)

static int open_file(int id)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/shm.%d", t_dir, id % IPCKIT_SLOTS);
	return T_OK(open(path, O_RDONLY));
}

/* Bytes of memory the file holds. */
static long long held(int fd)
{
	struct stat st;
	T_OK(fstat(fd, &st));
	return (long long)st.st_blocks * 512;
}

static void check_freed(int fd)
{
	struct stat st;
	T_OK(fstat(fd, &st));
	T_EQ(st.st_nlink, 0);
	if (held(fd) > SHM_SEG_CTL_SIZE)
		t_fail(__FILE__, __LINE__, "%lld bytes still held", held(fd));
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_IPCKIT);
	struct t_barrier *bar = t_barrier_create(2);
	struct shmid_ds ds;

	/* The last shmdt frees it, while a second process holds a handle. */
	int id = T_OK(ipckit_shmget(IPC_PRIVATE, SIZE, IPC_CREAT | 0600));
	int fd = open_file(id);
	T_ASSERT(held(fd) >= SIZE);
	char *p = T_OK(ipckit_shmat(id, NULL, 0));
	memset(p, 1, SIZE);
	pid_t pid = t_fork();
	if (pid == 0) {
		T_OK(ipckit_shmdt(p));
		T_OK(ipckit_shmctl(id, IPC_STAT, &ds)); /* holds a handle */
		t_barrier_wait(bar);
		t_barrier_wait(bar); /* parent detached */
		T_FAIL_ERRNO(ipckit_shmctl(id, IPC_STAT, &ds), EINVAL);
		_exit(0);
	}
	t_barrier_wait(bar);
	T_OK(ipckit_shmctl(id, IPC_RMID, NULL));
	T_ASSERT(held(fd) >= SIZE);
	T_OK(ipckit_shmdt(p));
	check_freed(fd);
	t_barrier_wait(bar);
	t_wait_ok(pid);
	close(fd);

	/* The last holder is killed: the next look at the id frees it. */
	id = T_OK(ipckit_shmget(IPC_PRIVATE, SIZE, IPC_CREAT | 0600));
	fd = open_file(id);
	pid = t_fork();
	if (pid == 0) {
		char *c = T_OK(ipckit_shmat(id, NULL, 0));
		memset(c, 2, SIZE);
		t_barrier_wait(bar);
		for (;;)
			pause();
	}
	t_barrier_wait(bar);
	T_OK(ipckit_shmctl(id, IPC_RMID, NULL));
	T_ASSERT(held(fd) >= SIZE);
	T_OK(kill(pid, SIGKILL));
	T_EQ(t_wait_signal(pid), SIGKILL);
	T_FAIL_ERRNO(ipckit_shmat(id, NULL, 0), EINVAL);
	check_freed(fd);
	close(fd);

	/* Removed unattached: freed by IPC_RMID itself. */
	id = T_OK(ipckit_shmget(IPC_PRIVATE, SIZE, IPC_CREAT | 0600));
	fd = open_file(id);
	p = T_OK(ipckit_shmat(id, NULL, 0));
	memset(p, 3, SIZE);
	T_OK(ipckit_shmdt(p));
	T_OK(ipckit_shmctl(id, IPC_RMID, NULL));
	check_freed(fd);
	close(fd);
	return T_EXIT_PASS;
}
