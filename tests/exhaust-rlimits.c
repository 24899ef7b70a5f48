/*
 * exhaust-rlimits.c - ipckit only: RLIMIT_NOFILE and RLIMIT_AS reached.
 *
 * ipckit opens and maps files where the kernel needs neither, so running
 * out of descriptors or address space shows in calls that never fail so
 * on the kernel. What must hold is what the issue asks: a clear errno
 * (EMFILE for descriptors, ENOMEM for address space), nothing left half
 * made in the namespace, and every object unharmed. So each limit is
 * walked through the points where creating can fail - 0, 1, 2... free
 * descriptors; 0, 64, 128... KiB of address space to spare - and each
 * attempt must either succeed (and the object work) or fail with that
 * errno, adding no file either way. Then, with nothing to spare, objects
 * this process already has mapped keep working (msgsnd, msgrcv, semop
 * with SEM_UNDO), the rest fail cleanly (xxxget of another's object,
 * shmat, ipckit_gc), a failed shmat counts no attach, and once the limit
 * is lifted everything works again.
 *
 * The RLIMIT_AS part is skipped under AddressSanitizer, whose shadow
 * memory needs more address space than any limit worth testing.
 */
#include "helpers.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

#define KIB 1024

struct msg {
	long mtype;
	char mtext[16];
};

/* The three objects a parent made; kept mapped by the children. */
static int q, s, m;
static const size_t m_size = 8u << 20;

/*
 * Object, key and temporary files in the namespace. Read with getdents64
 * on a descriptor opened beforehand: no descriptor or memory is left for
 * opendir() when this runs.
 */
static int dir_fd = -1;

static bool is_object_name(const char *name)
{
	return (!strncmp(name, "msg.", 4) || !strncmp(name, "sem.", 4) ||
		!strncmp(name, "shm.", 4) || !strncmp(name, ".tmp.", 5)) &&
	       !strstr(name, ".ids");
}

static int object_files(void)
{
	static char buf[16384];
	int n = 0;
	long got;
	if (dir_fd < 0)
		dir_fd = T_OK(open(t_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	T_OK(lseek(dir_fd, 0, SEEK_SET));
	while ((got = syscall(SYS_getdents64, dir_fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < got;) {
			struct dirent64 *e = (struct dirent64 *)(buf + off);
			n += is_object_name(e->d_name);
			off += e->d_reclen;
		}
	}
	T_EQ(got, 0);
	return n;
}

/* Creates one object of `kind`, or fails with `err`; adds no file then. */
static void try_create(int kind, int err)
{
	int before = object_files();
	errno = 0;
	int id = kind == 0   ? ipckit_msgget(IPC_PRIVATE, 0600)
		 : kind == 1 ? ipckit_semget(IPC_PRIVATE, 2, 0600)
			     : ipckit_shmget(IPC_PRIVATE, 4096, 0600);
	int e = errno;
	if (id < 0) {
		T_EQ(e, err);
		T_EQ(object_files(), before);
		return;
	}
	T_EQ(object_files(), before + 1);
	if (kind == 0) {
		struct msg x = {3, "made"};
		T_OK(ipckit_msgsnd(id, &x, sizeof(x.mtext), IPC_NOWAIT));
		T_OK(ipckit_msgctl(id, IPC_RMID, NULL));
	} else if (kind == 1) {
		struct sembuf op = {1, 1, SEM_UNDO};
		T_OK(ipckit_semop(id, &op, 1));
		T_EQ(ipckit_semctl(id, 1, GETVAL), 1);
		T_OK(ipckit_semctl(id, 0, IPC_RMID));
	} else {
		T_OK(ipckit_shmctl(id, IPC_RMID, NULL));
	}
	T_EQ(object_files(), before);
}

/* Mapped objects work; unmapped ones fail cleanly with `err`. */
static void with_nothing_to_spare(int err)
{
	struct msg x = {1, "queued"}, got;
	struct sembuf op = {0, 1, SEM_UNDO};
	struct shmid_ds ds;
	for (int i = 0; i < 3; i++) {
		T_OK(ipckit_msgsnd(q, &x, sizeof(x.mtext), IPC_NOWAIT));
		T_EQ(ipckit_msgrcv(q, &got, sizeof(got.mtext), 0, IPC_NOWAIT),
		     sizeof(x.mtext));
		T_OK(ipckit_semop(s, &op, 1));
	}
	T_FAIL_ERRNO(ipckit_msgget(t_key(1), 0), err);
	T_FAIL_ERRNO(ipckit_shmat(m, NULL, 0), err);
	/* The failed attach is not counted. */
	T_OK(ipckit_shmctl(m, IPC_STAT, &ds));
	T_EQ(ds.shm_nattch, 0);
	for (int kind = 0; kind < 3; kind++)
		try_create(kind, err);
}

/* Holds every descriptor but `spare`; returns how many it took. */
static int take_fds(int spare, int *fds, int max)
{
	int n = 0;
	while (n < max && (fds[n] = open("/dev/null", O_RDONLY)) >= 0)
		n++;
	T_EQ(errno, EMFILE);
	for (int i = 0; i < spare && n > 0; i++)
		close(fds[--n]);
	return n;
}

/*
 * In a process that has used ipckit for nothing but its namespace, so
 * that the id files too must be opened.
 */
static void nofile_walk(void)
{
	struct rlimit rl = {64, 64};
	int fds[64];
	T_ASSERT(ipckit_dir());
	object_files();
	T_OK(setrlimit(RLIMIT_NOFILE, &rl));
	for (int spare = 0; spare <= 4; spare++) {
		for (int kind = 0; kind < 3; kind++) {
			int n = take_fds(spare, fds, 64);
			try_create(kind, EMFILE);
			while (n > 0)
				close(fds[--n]);
		}
	}
}

static void nofile_mapped(void)
{
	struct rlimit rl = {64, 64};
	int fds[64];
	object_files();
	T_OK(setrlimit(RLIMIT_NOFILE, &rl));
	int n = take_fds(0, fds, 64);
	with_nothing_to_spare(EMFILE);
	T_FAIL_ERRNO(ipckit_gc(), EMFILE);
	while (n > 0)
		close(fds[--n]);
	void *p = T_OK(ipckit_shmat(m, NULL, 0));
	T_OK(ipckit_shmdt(p));
	T_EQ(ipckit_msgget(t_key(1), 0) >= 0, 1);
	T_OK(ipckit_gc());
}

#ifndef UNDER_ASAN
static long vm_size(void)
{
	char buf[4096];
	int fd = T_OK(open("/proc/self/status", O_RDONLY | O_CLOEXEC));
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	T_ASSERT(n > 0);
	buf[n] = 0;
	char *v = strstr(buf, "VmSize:");
	T_ASSERT(v);
	return atol(v + 7) * KIB;
}

static void limit_as(long spare)
{
	struct rlimit rl = {(rlim_t)(vm_size() + spare), (rlim_t)RLIM_INFINITY};
	T_OK(setrlimit(RLIMIT_AS, &rl));
}

static void unlimit_as(void)
{
	struct rlimit rl = {RLIM_INFINITY, RLIM_INFINITY};
	T_OK(setrlimit(RLIMIT_AS, &rl));
}

static void as_walk(void)
{
	T_ASSERT(ipckit_dir());
	for (long spare = 0; spare <= 1024 * KIB; spare += 64 * KIB) {
		for (int kind = 0; kind < 3; kind++) {
			limit_as(spare);
			try_create(kind, ENOMEM);
			unlimit_as();
		}
	}
}

static void as_mapped(void)
{
	limit_as(0);
	with_nothing_to_spare(ENOMEM);
	unlimit_as();
	void *p = T_OK(ipckit_shmat(m, NULL, 0));
	memset(p, 1, m_size);
	T_OK(ipckit_shmdt(p));
	T_EQ(ipckit_msgget(t_key(1), 0) >= 0, 1);
}
#endif

static void in_child(void (*fn)(void))
{
	pid_t pid = t_fork();
	if (pid == 0) {
		fn();
		_exit(0);
	}
	t_wait_ok(pid);
}

/* Another process's queue, which the children have not mapped. */
static void make_foreign(void)
{
	T_OK(ipckit_msgget(t_key(1), IPC_CREAT | 0600));
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_IPCKIT);
	/* Before this process maps anything. */
	in_child(nofile_walk);
#ifndef UNDER_ASAN
	in_child(as_walk);
#endif
	q = T_OK(ipckit_msgget(IPC_PRIVATE, 0600));
	s = T_OK(ipckit_semget(IPC_PRIVATE, 2, 0600));
	m = T_OK(ipckit_shmget(IPC_PRIVATE, m_size, 0600));
	in_child(make_foreign);
	in_child(nofile_mapped);
#ifndef UNDER_ASAN
	in_child(as_mapped);
#else
	printf("RLIMIT_AS not tested under AddressSanitizer\n");
#endif
	/* The children's SEM_UNDO went with them; nothing is left queued. */
	T_EQ(ipckit_semctl(s, 0, GETVAL), 0);
	struct msqid_ds ds;
	T_OK(ipckit_msgctl(q, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 0);
	T_OK(ipckit_msgctl(q, IPC_RMID, NULL));
	T_OK(ipckit_semctl(s, 0, IPC_RMID));
	T_OK(ipckit_shmctl(m, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
