/*
 * ns.c - the namespace directory: where it is, whether it is safe, and the
 * limits that hold in it.
 *
 * The directory is the whole system: objects are files in it, and
 * processes share objects exactly when they share it. It is chosen once per
 * process ($IPCKIT_DIR, else /dev/shm/ipckit) on first use.
 *
 * Safety: the directory must be owned by us or by root, and if others may
 * write to it, it must be sticky (as /tmp), so nobody can unlink or rename
 * another user's object files. A directory failing that is refused: another
 * user could otherwise replace our objects under us.
 *
 * Limits are the kernel's own (/proc/sys/kernel/...) unless the directory
 * holds an ipckit.conf owned by root or by the directory's owner (anyone
 * may create files in a sticky directory; only those two may set limits).
 */
#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_DIR "/dev/shm/ipckit"

static struct ipckit_ns the_ns;
static int ns_err;
static pthread_once_t ns_once = PTHREAD_ONCE_INIT;
/* The directory the_ns.dirfd must name; reopening is serialized. */
static dev_t ns_dev;
static ino_t ns_ino;
static pthread_mutex_t ns_reopen = PTHREAD_MUTEX_INITIALIZER;

static uint64_t read_proc_u64(const char *path, uint64_t dflt)
{
	char buf[64];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return dflt;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return dflt;
	buf[n] = 0;
	return strtoull(buf, NULL, 10);
}

static uint32_t clamp32(uint64_t v)
{
	return v > INT32_MAX ? INT32_MAX : (uint32_t)v;
}

/* The kernel's limits; its defaults where /proc cannot be read. */
static void read_kernel_limits(struct ipckit_limits *l)
{
	l->msgmax = clamp32(read_proc_u64("/proc/sys/kernel/msgmax", 8192));
	l->msgmnb = clamp32(read_proc_u64("/proc/sys/kernel/msgmnb", 16384));
	l->msgmni = clamp32(read_proc_u64("/proc/sys/kernel/msgmni", 32000));
	l->semmsl = 32000;
	l->semmns = 1024000000;
	l->semopm = 500;
	l->semmni = 32000;
	char buf[128];
	int fd = open("/proc/sys/kernel/sem", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		unsigned long a, b, c, d;
		if (n > 0) {
			buf[n] = 0;
			if (sscanf(buf, "%lu %lu %lu %lu", &a, &b, &c, &d) ==
			    4) {
				l->semmsl = clamp32(a);
				l->semmns = clamp32(b);
				l->semopm = clamp32(c);
				l->semmni = clamp32(d);
			}
		}
	}
	l->semvmx = 32767;	/* SEMVMX, fixed in the kernel */
	l->semaem = 32767;	/* SEMAEM */
	l->shmmax = read_proc_u64("/proc/sys/kernel/shmmax", UINT64_MAX);
	l->shmall = read_proc_u64("/proc/sys/kernel/shmall", UINT64_MAX);
	l->shmmni = read_proc_u64("/proc/sys/kernel/shmmni", 4096);
	l->shmmin = 1;
	/* One id space holds at most IPCKIT_SLOTS objects of a kind. */
	if (l->msgmni > IPCKIT_SLOTS)
		l->msgmni = IPCKIT_SLOTS;
	if (l->semmni > IPCKIT_SLOTS)
		l->semmni = IPCKIT_SLOTS;
	if (l->shmmni > IPCKIT_SLOTS)
		l->shmmni = IPCKIT_SLOTS;
}

/* Applies "name = value" lines; unknown names and bad lines are ignored. */
static void read_config(int dirfd, uid_t dir_owner, struct ipckit_limits *l)
{
	int fd = openat(dirfd, "ipckit.conf", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (st.st_uid != 0 && st.st_uid != dir_owner) ||
	    (st.st_mode & 0022)) {
		close(fd);
		return;
	}
	char text[4096];
	ssize_t n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return;
	text[n] = 0;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[32];
		unsigned long long v;
		if (line[0] == '#' ||
		    sscanf(line, " %31[a-z] = %llu", name, &v) != 2)
			continue;
		struct {
			const char *name;
			uint32_t *u32;
			uint64_t *u64;
			uint64_t max;
		} keys[] = {
			{"msgmax", &l->msgmax, NULL, INT32_MAX},
			{"msgmnb", &l->msgmnb, NULL, INT32_MAX},
			{"msgmni", &l->msgmni, NULL, IPCKIT_SLOTS},
			{"semmsl", &l->semmsl, NULL, INT32_MAX},
			{"semmns", &l->semmns, NULL, INT32_MAX},
			{"semopm", &l->semopm, NULL, INT32_MAX},
			{"semmni", &l->semmni, NULL, IPCKIT_SLOTS},
			{"shmmax", NULL, &l->shmmax, UINT64_MAX},
			{"shmall", NULL, &l->shmall, UINT64_MAX},
			{"shmmni", NULL, &l->shmmni, IPCKIT_SLOTS},
		};
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			if (strcmp(name, keys[i].name) || v > keys[i].max)
				continue;
			if (keys[i].u32)
				*keys[i].u32 = (uint32_t)v;
			else
				*keys[i].u64 = v;
		}
	}
}

/*
 * Opens the directory, making it if missing, and checks it is safe.
 * Made directories are world-writable and sticky, like /tmp, so every user
 * of the machine can share them.
 */
static int open_dir(const char *path, int *out)
{
	if (mkdir(path, 01777) == 0) {
		/* mkdir honours the umask; the mode must be exact. */
		if (chmod(path, 01777) < 0)
			return -errno;
	} else if (errno != EEXIST) {
		return -errno;
	}
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ELOOP ? -ENOTDIR : -errno;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		close(fd);
		return -EPERM;
	}
	if ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX)) {
		close(fd);
		return -EPERM;
	}
	*out = fd;
	return 0;
}

static void ns_init(void)
{
	const char *dir = getenv("IPCKIT_DIR");
	if (!dir || !*dir)
		dir = DEFAULT_DIR;
	if (strlen(dir) >= sizeof(the_ns.path)) {
		ns_err = -ENAMETOOLONG;
		return;
	}
	strcpy(the_ns.path, dir);
	ns_err = open_dir(dir, &the_ns.dirfd);
	if (ns_err) {
		fprintf(stderr,
			"ipckit: refusing namespace directory %s: %s%s\n", dir,
			strerror(-ns_err),
			ns_err == -EPERM ? " (owned by another user, or "
					   "world-writable without the sticky "
					   "bit)"
					 : "");
		return;
	}
	struct stat st;
	fstat(the_ns.dirfd, &st);
	ns_dev = st.st_dev;
	ns_ino = st.st_ino;
	read_kernel_limits(&the_ns.lim);
	read_config(the_ns.dirfd, st.st_uid, &the_ns.lim);
}

int ipckit__ns(const struct ipckit_ns **out)
{
	pthread_once(&ns_once, ns_init);
	if (ns_err)
		return ns_err;
	*out = &the_ns;
	return 0;
}

static bool dirfd_is_ours(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 && S_ISDIR(st.st_mode) &&
	       st.st_dev == ns_dev && st.st_ino == ns_ino;
}

/*
 * Daemons close every descriptor they did not open themselves, ours too,
 * and the number may then be reused for something else: a stale dirfd
 * would make our unlinks land in another directory. So the paths that use
 * the directory check it names the same directory first (one fstat) and
 * reopen it, with the same safety checks, when it does not. The old number
 * is never closed: it may belong to the program now.
 */
int ipckit__ns_checked(const struct ipckit_ns **out)
{
	int rc = ipckit__ns(out);
	if (rc < 0 || dirfd_is_ours(the_ns.dirfd))
		return rc;
	pthread_mutex_lock(&ns_reopen);
	if (!dirfd_is_ours(the_ns.dirfd)) {
		int fd;
		rc = open_dir(the_ns.path, &fd);
		if (rc == 0) {
			struct stat st;
			fstat(fd, &st);
			ns_dev = st.st_dev;
			ns_ino = st.st_ino;
			the_ns.dirfd = fd;
		}
	}
	pthread_mutex_unlock(&ns_reopen);
	return rc;
}

IPCKIT_EXPORT const char *ipckit_dir(void)
{
	const struct ipckit_ns *ns;
	int rc = ipckit__ns(&ns);
	if (rc < 0) {
		errno = -rc;
		return NULL;
	}
	return ns->path;
}
