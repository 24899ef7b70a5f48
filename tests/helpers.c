/*
 * helpers.c - the test support declared in helpers.h: back-end tables,
 * private namespace and kernel-object cleanup, process and credential
 * helpers.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "helpers.h"

#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

const struct t_backend *B;
bool t_kernel_serves;
char t_dir[256];

static pid_t t_owner;		/* the process that ran t_init */
static unsigned t_key_base;

/*
 * Every kernel object made through the kernel back end, by the test or its
 * children, so that exit removes it even when the test fails half-way.
 * Lives in shared memory made by t_init, before any fork.
 */
#define T_MAX_KOBJ 4096
enum { T_KMSG = 1, T_KSEM, T_KSHM };
struct t_kobj_log {
	atomic_uint n;
	struct {
		int kind;
		int id;
	} obj[T_MAX_KOBJ];
};
static struct t_kobj_log *t_kobjs;

static void kobj_note(int kind, int id)
{
	if (id < 0 || !t_kobjs)
		return;
	unsigned i = atomic_fetch_add(&t_kobjs->n, 1);
	if (i < T_MAX_KOBJ) {
		t_kobjs->obj[i].kind = kind;
		t_kobjs->obj[i].id = id;
	}
}

static int k_msgget(key_t key, int flg)
{
	int id = msgget(key, flg);
	int e = errno;
	kobj_note(T_KMSG, id);
	errno = e;
	return id;
}

static int k_semget(key_t key, int n, int flg)
{
	int id = semget(key, n, flg);
	int e = errno;
	kobj_note(T_KSEM, id);
	errno = e;
	return id;
}

static int k_shmget(key_t key, size_t size, int flg)
{
	int id = shmget(key, size, flg);
	int e = errno;
	kobj_note(T_KSHM, id);
	errno = e;
	return id;
}

static const struct t_backend kernel_backend = {
	.name = "kernel",
	.is_kernel = true,
	.msgget = k_msgget,
	.msgsnd = msgsnd,
	.msgrcv = msgrcv,
	.msgctl = msgctl,
	.semget = k_semget,
	.semop = semop,
	.semtimedop = semtimedop,
	.semctl = semctl,
	.shmget = k_shmget,
	.shmat = shmat,
	.shmdt = shmdt,
	.shmctl = shmctl,
};

/*
 * T_NO_IPCKIT builds the kernel back end alone, for writing a test against
 * the kernel before the ipckit side of it exists. The Makefile never sets it.
 */
#ifndef T_NO_IPCKIT
static const struct t_backend ipckit_backend = {
	.name = "ipckit",
	.is_kernel = false,
	.msgget = ipckit_msgget,
	.msgsnd = ipckit_msgsnd,
	.msgrcv = ipckit_msgrcv,
	.msgctl = ipckit_msgctl,
	.semget = ipckit_semget,
	.semop = ipckit_semop,
	.semtimedop = ipckit_semtimedop,
	.semctl = ipckit_semctl,
	.shmget = ipckit_shmget,
	.shmat = ipckit_shmat,
	.shmdt = ipckit_shmdt,
	.shmctl = ipckit_shmctl,
};
#endif

/* Removes a directory tree; the namespace holds only files and dirs. */
static void remove_tree(const char *path)
{
	DIR *d = opendir(path);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char sub[512];
			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			struct stat st;
			if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
				remove_tree(sub);
			else
				unlink(sub);
		}
		closedir(d);
	}
	rmdir(path);
}

static void t_cleanup(void)
{
	if (getpid() != t_owner)
		return;
	if (t_kobjs) {
		unsigned n = atomic_load(&t_kobjs->n);
		if (n > T_MAX_KOBJ)
			n = T_MAX_KOBJ;
		/*
		 * Under the preload library these calls reach ipckit, whose
		 * objects vanish with the directory anyway; removing them
		 * first is harmless.
		 */
		for (unsigned i = 0; i < n; i++) {
			int id = t_kobjs->obj[i].id;
			switch (t_kobjs->obj[i].kind) {
			case T_KMSG:
				msgctl(id, IPC_RMID, NULL);
				break;
			case T_KSEM:
				semctl(id, 0, IPC_RMID);
				break;
			case T_KSHM:
				shmctl(id, IPC_RMID, NULL);
				break;
			}
		}
	}
	if (t_dir[0])
		remove_tree(t_dir);
}

static void t_cleanup_on_signal(int sig)
{
	t_cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

void t_init(int argc, char **argv, int backends)
{
	const char *want = getenv("IPCKIT_TEST_BACKEND");
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--backends")) {
			printf("%s%s%s\n", backends & T_KERNEL ? "kernel" : "",
			       backends == T_BOTH ? " " : "",
			       backends & T_IPCKIT ? "ipckit" : "");
			exit(0);
		}
		if (!strcmp(argv[i], "--backend") && i + 1 < argc)
			want = argv[++i];
	}
	if (!want)
		want = backends & T_IPCKIT ? "ipckit" : "kernel";
	if (!strcmp(want, "kernel"))
		B = &kernel_backend;
#ifndef T_NO_IPCKIT
	else if (!strcmp(want, "ipckit"))
		B = &ipckit_backend;
#endif
	else
		t_fail(__FILE__, __LINE__, "unknown back end '%s'", want);
	if (!(backends & (B->is_kernel ? T_KERNEL : T_IPCKIT)))
		t_skip("test does not run on the %s back end", B->name);
	/* Under LD_PRELOAD the libc names resolve into the preload library. */
	Dl_info where;
	void *sym = dlsym(RTLD_DEFAULT, "msgget");
	t_kernel_serves = B->is_kernel &&
			  !(sym && dladdr(sym, &where) && where.dli_fname &&
			    strstr(where.dli_fname, "ipckit"));

	t_owner = getpid();
	t_key_base = ((unsigned)getpid() * 2654435761u) ^
		     (unsigned)time(NULL) << 16;
	t_kobjs = t_shared_alloc(sizeof(*t_kobjs));

	snprintf(t_dir, sizeof(t_dir), "/dev/shm/ipckit-test.XXXXXX");
	if (!mkdtemp(t_dir))
		t_fail(__FILE__, __LINE__, "mkdtemp %s: %s", t_dir,
		       strerror(errno));
	setenv("IPCKIT_DIR", t_dir, 1);
	atexit(t_cleanup);
	/* The runner's timeout sends SIGTERM first: clean up then too. */
	signal(SIGTERM, t_cleanup_on_signal);
	setvbuf(stdout, NULL, _IOLBF, 0);
}

key_t t_key(int n)
{
	key_t k = (key_t)((t_key_base + (unsigned)n * 7919u) & 0x7fffffff);
	return k == IPC_PRIVATE ? 1 : k;
}

void t_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "FAIL %s:%d [%s, pid %d]: ", file, line,
		B ? B->name : "?", (int)getpid());
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	if (getpid() == t_owner)
		exit(T_EXIT_FAIL);
	_exit(T_EXIT_FAIL);
}

void t_skip(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "SKIP: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(T_EXIT_SKIP);
}

pid_t t_fork(void)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		t_fail(__FILE__, __LINE__, "fork: %s", strerror(errno));
	return pid;
}

static int wait_status(pid_t pid)
{
	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			t_fail(__FILE__, __LINE__, "waitpid %d: %s", (int)pid,
			       strerror(errno));
	}
	return status;
}

int t_wait_exit(pid_t pid)
{
	int status = wait_status(pid);
	if (!WIFEXITED(status))
		t_fail(__FILE__, __LINE__, "child %d died by signal %d",
		       (int)pid, WTERMSIG(status));
	return WEXITSTATUS(status);
}

void t_wait_ok(pid_t pid)
{
	int code = t_wait_exit(pid);
	if (code != 0)
		t_fail(__FILE__, __LINE__, "child %d exited with %d", (int)pid,
		       code);
}

int t_wait_signal(pid_t pid)
{
	int status = wait_status(pid);
	if (!WIFSIGNALED(status))
		t_fail(__FILE__, __LINE__,
		       "child %d exited with %d, expected a signal", (int)pid,
		       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return WTERMSIG(status);
}

void t_become(uid_t uid, gid_t gid)
{
	/* Groups first: setgroups needs the CAP_SETGID that setresuid ends. */
	if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 ||
	    setresuid(uid, uid, uid) < 0)
		t_fail(__FILE__, __LINE__, "becoming %d:%d: %s", (int)uid,
		       (int)gid, strerror(errno));
}

void t_run_as(uid_t uid, gid_t gid, void (*fn)(void))
{
	pid_t pid = t_fork();
	if (pid == 0) {
		t_become(uid, gid);
		fn();
		_exit(0);
	}
	t_wait_ok(pid);
}

bool t_has_cap(int cap)
{
	/* glibc has no capget wrapper; version 3 reports all 64 bits. */
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
		.pid = 0,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	if (syscall(SYS_capget, &hdr, data) < 0)
		t_fail(__FILE__, __LINE__, "capget: %s", strerror(errno));
	if (cap < 0 || cap >= 32 * _LINUX_CAPABILITY_U32S_3)
		return false;
	return data[cap / 32].effective >> (cap % 32) & 1;
}

long t_msg_qnum(int id, size_t size)
{
	struct msqid_ds ds;
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	if (size)
		T_EQ(ds.msg_cbytes, ds.msg_qnum * size);
	return (long)ds.msg_qnum;
}

unsigned long t_shm_nattch(int id)
{
	struct shmid_ds ds;
	T_OK(B->shmctl(id, IPC_STAT, &ds));
	return (unsigned long)ds.shm_nattch;
}

long t_sysctl(const char *name)
{
	char path[128];
	long v;

	snprintf(path, sizeof(path), "/proc/sys/kernel/%s", name);
	FILE *f = fopen(path, "r");
	if (!f || fscanf(f, "%ld", &v) != 1)
		t_fail(__FILE__, __LINE__, "cannot read %s", path);
	fclose(f);
	return v;
}

double t_time_mult(void)
{
	const char *m = getenv("IPCKIT_TEST_TIMEOUT_MULT");
	double v = m ? atof(m) : 1.0;
	return v > 0 ? v : 1.0;
}

/* True if /proc/PID/syscall shows it blocked in a System V call or futex. */
static bool is_blocked(pid_t pid)
{
	char path[64], buf[128];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	char *p = strrchr(buf, ')');
	if (!p || p[1] != ' ' || p[2] != 'S')
		return false;

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	long nr = strtol(buf, NULL, 10);
	/* A wait resumed after SIGSTOP/SIGCONT shows as restart_syscall. */
	return nr == SYS_msgsnd || nr == SYS_msgrcv || nr == SYS_semop ||
	       nr == SYS_semtimedop || nr == SYS_futex ||
	       nr == SYS_restart_syscall;
}

void t_wait_blocked(pid_t pid)
{
	double limit = 10.0 * t_time_mult();
	struct timespec nap = {0, 1000000};
	for (double waited = 0; waited < limit; waited += 0.001) {
		/* Two readings in a row: a passing futex wait is not a block. */
		if (is_blocked(pid)) {
			nanosleep(&nap, NULL);
			if (is_blocked(pid))
				return;
		}
		nanosleep(&nap, NULL);
	}
	t_fail(__FILE__, __LINE__, "process %d did not block within %.0f s",
	       (int)pid, limit);
}

struct t_barrier {
	atomic_uint count;
	atomic_uint generation;
	unsigned n;
};

struct t_barrier *t_barrier_create(unsigned n)
{
	struct t_barrier *b = t_shared_alloc(sizeof(*b));
	b->n = n;
	return b;
}

void t_barrier_wait(struct t_barrier *b)
{
	unsigned gen = atomic_load(&b->generation);
	if (atomic_fetch_add(&b->count, 1) + 1 == b->n) {
		atomic_store(&b->count, 0);
		atomic_fetch_add(&b->generation, 1);
		return;
	}
	/* Spins and yields, never futex-waits: see t_wait_blocked. */
	while (atomic_load(&b->generation) == gen)
		sched_yield();
}

void *t_shared_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		t_fail(__FILE__, __LINE__, "mmap: %s", strerror(errno));
	return p;
}

struct timespec t_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	return ts;
}

void t_signal(int sig, void (*handler)(int), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL) < 0)
		t_fail(__FILE__, __LINE__, "sigaction: %s", strerror(errno));
}
