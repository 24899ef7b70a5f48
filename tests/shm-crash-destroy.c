/*
 * shm-crash-destroy.c - ipckit only: a process killed in the middle of
 * destroying a segment, holding its lock, leaves the job to the next
 * caller: IPC_RMID killed after marking SHM_DEST, the last detach killed
 * after its count went to 0 or after the data was punched out. Whoever
 * touches the segment next finishes: it is gone (its first caller may see
 * EIDRM, as for a segment removed under it; then EINVAL), its names are
 * unlinked and its memory is freed; or, still attached, it is marked
 * SHM_DEST with its key freed.
 *
 * Depends on the file layout (src/layout.h): the segment is the file
 * shm.<slot> in the namespace directory, with the link shm.key.<hex> when
 * it has a key, its data after SHM_SEG_CTL_SIZE bytes.
 */
#include "helpers.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>

#include "layout.h"

#define SIZE (1u << 20)

static struct t_barrier *bar;

/* Segment files in the namespace: shm.<slot> and shm.key.<hex>. */
static int shm_files(void)
{
	DIR *d = opendir(t_dir);
	struct dirent *e;
	int n = 0;
	if (!d)
		t_fail(__FILE__, __LINE__, "%s: %s", t_dir, strerror(errno));
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "shm.", 4) &&
		    strcmp(e->d_name, "shm.ids") != 0)
			n++;
	closedir(d);
	return n;
}

static int open_file(int id)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/shm.%d", t_dir, id % IPCKIT_SLOTS);
	return T_OK(open(path, O_RDONLY));
}

/* The segment is gone, and so are its names and its memory. */
static void check_destroyed(int id, int fd)
{
	struct shmid_ds ds;
	struct stat st;
	errno = 0;
	int r = ipckit_shmctl(id, IPC_STAT, &ds);
	T_EQ(r, -1);
	T_ASSERT(errno == EIDRM || errno == EINVAL);
	T_FAIL_ERRNO(ipckit_shmctl(id, IPC_STAT, &ds), EINVAL);
	T_FAIL_ERRNO(ipckit_shmat(id, NULL, 0), EINVAL);
	T_EQ(shm_files(), 0);
	T_OK(fstat(fd, &st));
	T_EQ(st.st_nlink, 0);
	T_ASSERT(st.st_blocks * 512 <= SHM_SEG_CTL_SIZE);
	close(fd);
}

/*
 * A child that attaches (if `attach`), waits for the parent, then, with
 * IPCKIT_FAULT at `point`, removes the segment (rmid) or detaches. The
 * crash point is read at the child's first ipckit call, so it is set
 * before fork; the parent holds no attach then, so fork makes no call.
 */
static pid_t die_at(const char *point, int id, bool attach, bool rmid)
{
	setenv("IPCKIT_FAULT", point, 1);
	pid_t pid = t_fork();
	if (pid == 0) {
		char *p = attach ? T_OK(ipckit_shmat(id, NULL, 0)) : NULL;
		if (p)
			memset(p, 1, SIZE);
		t_barrier_wait(bar);
		t_barrier_wait(bar);
		if (rmid)
			ipckit_shmctl(id, IPC_RMID, NULL);
		else
			ipckit_shmdt(p);
		_exit(3);
	}
	unsetenv("IPCKIT_FAULT");
	t_barrier_wait(bar);
	return pid;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_IPCKIT);
	struct shmid_ds ds;
	bar = t_barrier_create(2);

	/* IPC_RMID of an unattached segment, killed after SHM_DEST. */
	int id = T_OK(ipckit_shmget(t_key(1), SIZE, IPC_CREAT | 0600));
	int fd = open_file(id);
	pid_t pid = die_at("shm-rmid-dest", id, false, true);
	t_barrier_wait(bar);
	T_EQ(t_wait_signal(pid), SIGKILL);
	check_destroyed(id, fd);
	T_FAIL_ERRNO(ipckit_shmget(t_key(1), 0, 0), ENOENT);

	/* The same, of an attached segment: it must end up SHM_DEST. */
	id = T_OK(ipckit_shmget(t_key(2), SIZE, IPC_CREAT | 0600));
	fd = open_file(id);
	pid = die_at("shm-rmid-dest", id, false, true);
	char *p = T_OK(ipckit_shmat(id, NULL, 0));
	t_barrier_wait(bar);
	T_EQ(t_wait_signal(pid), SIGKILL);
	T_OK(ipckit_shmctl(id, IPC_STAT, &ds));
	T_EQ(ds.shm_perm.mode, SHM_DEST | 0600);
	T_EQ(ds.shm_nattch, 1);
	T_FAIL_ERRNO(ipckit_shmget(t_key(2), 0, 0), ENOENT);
	int next = T_OK(ipckit_shmget(t_key(2), 4096, IPC_CREAT | 0600));
	T_ASSERT(next != id);
	T_OK(ipckit_shmctl(next, IPC_RMID, NULL));
	T_OK(ipckit_shmdt(p));
	check_destroyed(id, fd);

	/* IPC_RMID of an unattached segment, killed after the punch. */
	id = T_OK(ipckit_shmget(IPC_PRIVATE, SIZE, IPC_CREAT | 0600));
	fd = open_file(id);
	pid = die_at("shm-destroy-punched", id, false, true);
	t_barrier_wait(bar);
	T_EQ(t_wait_signal(pid), SIGKILL);
	check_destroyed(id, fd);

	/* The last detach, killed once its count is 0, or after the punch. */
	static const char *const last[] = {"shm-reap-dropped",
					   "shm-destroy-punched"};
	for (int i = 0; i < 2; i++) {
		id = T_OK(ipckit_shmget(t_key(3 + i), SIZE, IPC_CREAT | 0600));
		fd = open_file(id);
		pid = die_at(last[i], id, true, false);
		T_OK(ipckit_shmctl(id, IPC_RMID, NULL));
		T_OK(ipckit_shmctl(id, IPC_STAT, &ds));
		T_EQ(ds.shm_nattch, 1);
		t_barrier_wait(bar);
		T_EQ(t_wait_signal(pid), SIGKILL);
		check_destroyed(id, fd);
	}
	return T_EXIT_PASS;
}
