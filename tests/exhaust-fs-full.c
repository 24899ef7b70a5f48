/*
 * exhaust-fs-full.c - ipckit only: the namespace's file system full.
 *
 * Objects are files whose every page is reserved when they are made, so a
 * full file system shows as ENOSPC from msgget, semget and shmget, never
 * as SIGBUS later, and leaves no half-made file behind; what was made
 * before keeps working to its last byte: a queue filled to msg_qbytes and
 * drained, a set taking SEM_UNDO records, a segment written through. The
 * id file (<kind>.ids) is reserved too: with room for an object's file but
 * not for the id file of a kind not used yet, creating fails with ENOSPC
 * (it was SIGBUS). Freeing room makes creating work again.
 *
 * The namespace is a 4 MiB tmpfs mounted in a private mount namespace
 * (root). RLIMIT_FSIZE is checked too, and stands in for the full file
 * system where a mount is not allowed: ENOSPC up front, and no SIGXFSZ
 * (growing a file past the limit raises it, and it kills). Each part runs
 * in a child that has not used ipckit yet, so it picks its own directory.
 */
#include "helpers.h"

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>

#define KIB 1024

struct msg {
	long mtype;
	unsigned char mtext[1000];
};

/* Object, key and temporary files in `dir`. */
static int stray_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	if (!d)
		t_fail(__FILE__, __LINE__, "%s: %s", dir, strerror(errno));
	while ((e = readdir(d))) {
		const char *s = e->d_name;
		if (!strcmp(s, ".") || !strcmp(s, "..") || strstr(s, ".ids"))
			continue;
		if (!strncmp(s, "msg.", 4) || !strncmp(s, "sem.", 4) ||
		    !strncmp(s, "shm.", 4) || !strncmp(s, ".tmp.", 5))
			n++;
	}
	closedir(d);
	return n;
}

static long file_size(const char *dir, const char *kind, int id)
{
	char path[700];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s.%d", dir, kind, id % 32768);
	T_OK(stat(path, &st));
	return (long)st.st_size;
}

/* Writes `fd` until the file system is full; returns the bytes written. */
static off_t fill(int fd)
{
	static char block[4096];
	T_OK(ftruncate(fd, 0));
	T_OK(lseek(fd, 0, SEEK_SET));
	off_t n = 0;
	ssize_t w;
	while ((w = write(fd, block, sizeof(block))) > 0)
		n += w;
	T_EQ(errno, ENOSPC);
	return n;
}

static void fill_msg(struct msg *m, unsigned seq, size_t len)
{
	m->mtype = 1 + seq % 5;
	for (size_t i = 0; i < len; i++)
		m->mtext[i] = (unsigned char)(seq * 31 + i);
}

/* Fills the queue to msg_qbytes and drains it, checking every byte. */
static void queue_round_trip(int q)
{
	struct msqid_ds ds;
	struct msg m, got;
	unsigned sent = 0;
	size_t bytes = 0;
	T_OK(ipckit_msgctl(q, IPC_STAT, &ds));
	for (;; sent++) {
		size_t len = 1 + (sent * 97) % sizeof(m.mtext);
		fill_msg(&m, sent, len);
		if (ipckit_msgsnd(q, &m, len, IPC_NOWAIT) < 0)
			break;
		bytes += len;
	}
	T_EQ(errno, EAGAIN);
	T_ASSERT(bytes + sizeof(m.mtext) > ds.msg_qbytes);
	for (unsigned i = 0; i < sent; i++) {
		size_t len = 1 + (i * 97) % sizeof(m.mtext);
		fill_msg(&m, i, len);
		T_EQ(ipckit_msgrcv(q, &got, sizeof(got.mtext), 0, IPC_NOWAIT),
		     len);
		T_EQ(got.mtype, m.mtype);
		T_ASSERT(!memcmp(got.mtext, m.mtext, len));
	}
	T_FAIL_ERRNO(ipckit_msgrcv(q, &got, sizeof(got.mtext), 0, IPC_NOWAIT),
		     ENOMSG);
}

/* A child takes SEM_UNDO records and dies; the set gets the values back. */
static void set_round_trip(int s, int nsems)
{
	for (int k = 0; k < 4; k++) {
		pid_t pid = t_fork();
		if (pid == 0) {
			for (int i = 0; i < nsems; i++) {
				struct sembuf op = {(unsigned short)i, 1,
						    SEM_UNDO};
				T_OK(ipckit_semop(s, &op, 1));
			}
			_exit(0);
		}
		t_wait_ok(pid);
		for (int i = 0; i < nsems; i++)
			T_EQ(ipckit_semctl(s, i, GETVAL), 0);
	}
}

static void segment_round_trip(int id, size_t size)
{
	unsigned char *p = T_OK(ipckit_shmat(id, NULL, 0));
	memset(p, 0x5a, size);
	T_EQ(p[0], 0x5a);
	T_EQ(p[size - 1], 0x5a);
	T_OK(ipckit_shmdt(p));
}

/* Bytes of a one-semaphore set's file, made in a namespace of its own. */
static long sem_file_bytes(const char *dir)
{
	long *bytes = t_shared_alloc(sizeof(*bytes));
	char probe[400];
	snprintf(probe, sizeof(probe), "%s/probe", dir);
	T_OK(mkdir(probe, 01777));
	pid_t pid = t_fork();
	if (pid == 0) {
		setenv("IPCKIT_DIR", probe, 1);
		int s = T_OK(ipckit_semget(IPC_PRIVATE, 1, 0600));
		*bytes = file_size(probe, "sem", s);
		T_OK(ipckit_semctl(s, 0, IPC_RMID));
		_exit(0);
	}
	t_wait_ok(pid);
	return *bytes;
}

/*
 * In a namespace whose kind has no id file yet, there is room for the
 * object's file but not for the id file: ENOSPC, not SIGBUS. Runs before
 * this process uses ipckit, so that its child can pick the namespace.
 */
static void no_room_for_ids(const char *dir)
{
	long sem_bytes = sem_file_bytes(dir);
	char fresh[400], path[400];
	snprintf(fresh, sizeof(fresh), "%s/fresh", dir);
	T_OK(mkdir(fresh, 01777));
	snprintf(path, sizeof(path), "%s/filler", dir);
	int filler = T_OK(open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600));
	pid_t pid = t_fork();
	if (pid == 0) {
		setenv("IPCKIT_DIR", fresh, 1);
		off_t full = fill(filler);
		T_OK(ftruncate(filler, full - sem_bytes));
		T_FAIL_ERRNO(ipckit_semget(IPC_PRIVATE, 1, 0600), ENOSPC);
		T_FAIL_ERRNO(ipckit_semget(t_key(9), 1, IPC_CREAT | 0600),
			     ENOSPC);
		T_EQ(stray_files(fresh), 0);
		/* Room for both: it works. */
		T_OK(ftruncate(filler, full - sem_bytes - 256 * KIB));
		int s = T_OK(ipckit_semget(t_key(9), 1, IPC_CREAT | 0600));
		set_round_trip(s, 1);
		T_OK(ipckit_semctl(s, 0, IPC_RMID));
		_exit(0);
	}
	t_wait_ok(pid);
	close(filler);
	T_OK(unlink(path));
}

static void on_small_tmpfs(const char *dir)
{
	no_room_for_ids(dir);
	setenv("IPCKIT_DIR", dir, 1);

	/* Made while there is room. */
	int q = T_OK(ipckit_msgget(t_key(1), IPC_CREAT | 0600));
	int s = T_OK(ipckit_semget(t_key(2), 8, IPC_CREAT | 0600));
	int m = T_OK(ipckit_shmget(t_key(3), 100 * KIB, IPC_CREAT | 0600));

	char path[600];
	snprintf(path, sizeof(path), "%s/filler", dir);
	int filler = T_OK(open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600));
	fill(filler);

	/* Nothing new fits; nothing is left half made. */
	T_FAIL_ERRNO(ipckit_msgget(IPC_PRIVATE, 0600), ENOSPC);
	T_FAIL_ERRNO(ipckit_msgget(t_key(4), IPC_CREAT | 0600), ENOSPC);
	T_FAIL_ERRNO(ipckit_semget(IPC_PRIVATE, 1, 0600), ENOSPC);
	T_FAIL_ERRNO(ipckit_semget(t_key(5), 1, IPC_CREAT | 0600), ENOSPC);
	T_FAIL_ERRNO(ipckit_shmget(IPC_PRIVATE, 1, 0600), ENOSPC);
	T_FAIL_ERRNO(ipckit_shmget(t_key(6), 4096, IPC_CREAT | 0600), ENOSPC);
	T_FAIL_ERRNO(ipckit_msgget(t_key(4), 0), ENOENT);
	/* The three objects, each by slot and key name. */
	T_EQ(stray_files(dir), 6);

	/* What was made works to its last byte, however often. */
	for (int i = 0; i < 3; i++) {
		queue_round_trip(q);
		set_round_trip(s, 8);
		segment_round_trip(m, 100 * KIB);
	}
	T_EQ(ipckit_msgget(t_key(1), 0), q);
	T_EQ(ipckit_semget(t_key(2), 0, 0), s);
	T_EQ(ipckit_shmget(t_key(3), 0, 0), m);

	/* Room again: creating works again. */
	T_OK(ftruncate(filler, 0));
	int q2 = T_OK(ipckit_msgget(t_key(4), IPC_CREAT | 0600));
	queue_round_trip(q2);
	T_OK(ipckit_msgctl(q2, IPC_RMID, NULL));
	T_OK(ipckit_msgctl(q, IPC_RMID, NULL));
	T_OK(ipckit_semctl(s, 0, IPC_RMID));
	T_OK(ipckit_shmctl(m, IPC_RMID, NULL));
	close(filler);
	T_OK(unlink(path));
	T_EQ(stray_files(dir), 0);
}

/* Without a mount: files may not grow past 512 KiB; ENOSPC, no signal. */
static void under_fsize_limit(void)
{
	struct rlimit rl = {512 * KIB, 512 * KIB};
	/*
	 * SIGXFSZ keeps its default action, which kills: growing a file
	 * past the limit raises it, and the kernel's xxxget never does.
	 */
	signal(SIGXFSZ, SIG_DFL);
	int s = T_OK(ipckit_semget(IPC_PRIVATE, 8, 0600));
	T_OK(setrlimit(RLIMIT_FSIZE, &rl));
	T_FAIL_ERRNO(ipckit_msgget(IPC_PRIVATE, 0600), ENOSPC);
	T_FAIL_ERRNO(ipckit_msgget(t_key(1), IPC_CREAT | 0600), ENOSPC);
	T_FAIL_ERRNO(ipckit_shmget(IPC_PRIVATE, 1024 * KIB, 0600), ENOSPC);
	T_EQ(stray_files(t_dir), 1);
	set_round_trip(s, 8);
	T_OK(ipckit_semctl(s, 0, IPC_RMID));
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
		    mount("ipckit-test", dir, "tmpfs", 0, "size=4m,mode=1777") <
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
