/*
 * util.c - the pieces every subcommand of the ipckit command shares:
 * errors, argument parsing, the ipckit and kernel back ends, naming
 * objects on the command line, and small output helpers.
 */
#include "cmd.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <math.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

/* As src/ns.c: where the library puts objects when $IPCKIT_DIR is unset. */
#define DEFAULT_DIR "/dev/shm/ipckit"

const char *cmd_name;

/* ---- errors -------------------------------------------------------------- */

void warn_err(const char *obj, int err)
{
	fprintf(stderr, "ipckit: %s: %s\n", obj, strerror(err));
}

void fail(const char *obj, int err)
{
	warn_err(obj, err);
	exit(1);
}

void fail_msg(const char *fmt, ...)
{
	va_list ap;
	fputs("ipckit: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void usage_fail(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "ipckit%s%s: ", cmd_name ? " " : "",
		cmd_name ? cmd_name : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'ipckit help%s%s'.\n", cmd_name ? " " : "",
		cmd_name ? cmd_name : "");
	exit(EXIT_USAGE);
}

void bad_option(char **argv)
{
	/* getopt's own messages are off (opterr = 0 in main): one line. */
	if (optopt)
		usage_fail("unknown option or missing value: -%c", optopt);
	usage_fail("unknown option or missing value: %s", argv[optind - 1]);
}

/* ---- parsing ------------------------------------------------------------- */

long long parse_int(const char *what, const char *s, long long min,
		    long long max)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 0);
	if (!*s || *end || errno || v < min || v > max)
		usage_fail("invalid %s '%s'", what, s);
	return v;
}

key_t parse_key(const char *s)
{
	const char *colon = strrchr(s, ':');
	if (colon && colon != s) {
		/* PATH:PROJ; the project id's low 8 bits are what ftok uses. */
		char path[4096];
		size_t n = (size_t)(colon - s);
		if (n >= sizeof(path))
			usage_fail("path too long in '%s'", s);
		memcpy(path, s, n);
		path[n] = 0;
		int proj = (int)parse_int("project id", colon + 1, 0, 255);
		key_t k = ftok(path, proj);
		if (k == (key_t)-1)
			fail(path, errno);
		return k;
	}
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (!*s || *end || errno || v > UINT32_MAX)
		usage_fail("invalid key '%s'", s);
	return (key_t)(uint32_t)v;
}

uint64_t parse_size(const char *s)
{
	char *end;
	errno = 0;
	if (!isdigit((unsigned char)*s))
		usage_fail("invalid size '%s'", s);
	unsigned long long v = strtoull(s, &end, 0);
	if (errno)
		usage_fail("invalid size '%s'", s);
	if (*end) {
		static const char units[] = "KMGTPEZY";
		const char *u = strchr(units, toupper((unsigned char)*end));
		if (!u || !*u)
			usage_fail("invalid size '%s'", s);
		unsigned base = 1024;
		if (!strcmp(end + 1, "B"))
			base = 1000;
		else if (end[1] && strcmp(end + 1, "iB"))
			usage_fail("invalid size '%s'", s);
		for (long i = 0; i <= u - units; i++) {
			if (v > UINT64_MAX / base)
				usage_fail("size '%s' too large", s);
			v *= base;
		}
	}
	return v;
}

int parse_mode(const char *s)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 8);
	if (!*s || *end || errno || v < 0 || v > 0777)
		usage_fail("invalid mode '%s'", s);
	return (int)v;
}

struct timespec parse_seconds(const char *what, const char *s)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end != s && !strcmp(end, "ms"))
		v /= 1000;
	else if (end != s && *end && strcmp(end, "s"))
		end = (char *)s;
	if (end == s || errno || !isfinite(v) || v < 0 || v > 1e9)
		usage_fail("invalid %s '%s'", what, s);
	struct timespec ts;
	ts.tv_sec = (time_t)v;
	ts.tv_nsec = (long)((v - (double)ts.tv_sec) * 1e9);
	if (ts.tv_nsec >= 1000000000L)
		ts.tv_nsec = 999999999L;
	return ts;
}

void set_dir(const char *dir)
{
	if (!*dir)
		usage_fail("empty --dir");
	setenv("IPCKIT_DIR", dir, 1);
}

/* ---- the namespace ------------------------------------------------------- */

const char *ns_path(void)
{
	const char *dir = getenv("IPCKIT_DIR");
	return dir && *dir ? dir : DEFAULT_DIR;
}

bool ns_exists(void)
{
	struct stat st;
	return stat(ns_path(), &st) == 0 && S_ISDIR(st.st_mode);
}

/* ---- back ends ----------------------------------------------------------- */

/*
 * The kernel has no timed msgsnd and msgrcv: a one-shot interval timer
 * interrupts the call (System V calls are never restarted), and EINTR
 * from our own timer becomes the IPC_NOWAIT errno, as ipckit's timed calls
 * give.
 */
static volatile sig_atomic_t alarm_fired;

static void on_alarm(int sig)
{
	alarm_fired = 1;
}

static bool timer_arm(const struct timespec *t)
{
	if (!t)
		return false;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = {{0, 0}, {t->tv_sec, t->tv_nsec / 1000}};
	if (!it.it_value.tv_sec && !it.it_value.tv_usec)
		it.it_value.tv_usec = 1;
	alarm_fired = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	return true;
}

static void timer_disarm(bool armed)
{
	if (!armed)
		return;
	struct itimerval it = {{0, 0}, {0, 0}};
	setitimer(ITIMER_REAL, &it, NULL);
}

static int k_msgtimedsnd(int id, const void *p, size_t n, int flg,
			 const struct timespec *t)
{
	bool armed = timer_arm(t);
	int rc = msgsnd(id, p, n, flg);
	int e = errno;
	timer_disarm(armed);
	if (rc < 0 && e == EINTR && alarm_fired)
		e = EAGAIN;
	errno = e;
	return rc;
}

static ssize_t k_msgtimedrcv(int id, void *p, size_t n, long typ, int flg,
			     const struct timespec *t)
{
	bool armed = timer_arm(t);
	ssize_t rc = msgrcv(id, p, n, typ, flg);
	int e = errno;
	timer_disarm(armed);
	if (rc < 0 && e == EINTR && alarm_fired)
		e = ENOMSG;
	errno = e;
	return rc;
}

const struct sysv sysv_ipckit = {
    .name = "ipckit",
    .kernel = false,
    .msgget = ipckit_msgget,
    .msgtimedsnd = ipckit_msgtimedsnd,
    .msgtimedrcv = ipckit_msgtimedrcv,
    .msgctl = ipckit_msgctl,
    .semget = ipckit_semget,
    .semtimedop = ipckit_semtimedop,
    .semctl = ipckit_semctl,
    .shmget = ipckit_shmget,
    .shmat = ipckit_shmat,
    .shmdt = ipckit_shmdt,
    .shmctl = ipckit_shmctl,
};

const struct sysv sysv_kernel = {
    .name = "kernel",
    .kernel = true,
    .msgget = msgget,
    .msgtimedsnd = k_msgtimedsnd,
    .msgtimedrcv = k_msgtimedrcv,
    .msgctl = msgctl,
    .semget = semget,
    .semtimedop = semtimedop,
    .semctl = semctl,
    .shmget = shmget,
    .shmat = shmat,
    .shmdt = shmdt,
    .shmctl = shmctl,
};

const char *kind_name(unsigned kind)
{
	switch (kind) {
	case IPCKIT_KIND_MSG:
		return "msg";
	case IPCKIT_KIND_SEM:
		return "sem";
	case IPCKIT_KIND_SHM:
		return "shm";
	}
	return "?";
}

unsigned kind_parse(const char *s)
{
	if (!strcmp(s, "msg") || !strcmp(s, "q") || !strcmp(s, "queue") ||
	    !strcmp(s, "mq"))
		return IPCKIT_KIND_MSG;
	if (!strcmp(s, "sem") || !strcmp(s, "s") || !strcmp(s, "semaphore"))
		return IPCKIT_KIND_SEM;
	if (!strcmp(s, "shm") || !strcmp(s, "m") || !strcmp(s, "shmem"))
		return IPCKIT_KIND_SHM;
	return 0;
}

/* xxxget(key, 0) for the kind: the id of the object with that key. */
static int id_of_key(const struct sysv *b, unsigned kind, key_t key)
{
	int id;
	switch (kind) {
	case IPCKIT_KIND_MSG:
		id = b->msgget(key, 0);
		break;
	case IPCKIT_KIND_SEM:
		id = b->semget(key, 0, 0);
		break;
	default:
		id = b->shmget(key, 0, 0);
	}
	return id < 0 ? -errno : id;
}

int resolve(const struct sysv *b, unsigned kind, const char *arg, char *label,
	    size_t n)
{
	char k[16];
	snprintf(k, sizeof(k), "%s%s", b->kernel ? "kernel " : "",
		 kind_name(kind));
	bool is_key = !strncmp(arg, "0x", 2) || !strncmp(arg, "0X", 2) ||
		      !strncmp(arg, "key:", 4) || strchr(arg, ':');
	if (!is_key) {
		int id = (int)parse_int("id", arg, 0, INT32_MAX);
		snprintf(label, n, "%s %d", k, id);
		return id;
	}
	key_t key = parse_key(strncmp(arg, "key:", 4) ? arg : arg + 4);
	snprintf(label, n, "%s key 0x%08x", k, (unsigned)key);
	if (key == IPC_PRIVATE)
		return -EINVAL; /* names no object, as ipcrm says */
	return id_of_key(b, kind, key);
}

/* ---- output -------------------------------------------------------------- */

const char *user_name(uint32_t uid)
{
	static char buf[8][32];
	static int next;
	struct passwd *pw = getpwuid(uid);
	char *b = buf[next++ % 8];
	if (pw)
		snprintf(b, 32, "%s", pw->pw_name);
	else
		snprintf(b, 32, "%u", uid);
	return b;
}

const char *group_name(uint32_t gid)
{
	static char buf[8][32];
	static int next;
	struct group *gr = getgrgid(gid);
	char *b = buf[next++ % 8];
	if (gr)
		snprintf(b, 32, "%s", gr->gr_name);
	else
		snprintf(b, 32, "%u", gid);
	return b;
}

void fmt_time(char *buf, size_t n, int64_t t, bool full)
{
	if (t <= 0) {
		snprintf(buf, n, "Not set");
		return;
	}
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	strftime(buf, n, full ? "%a %b %e %H:%M:%S %Y" : "%b %d %H:%M:%S", &tm);
}

void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

ssize_t read_all(int fd, char **out)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (n == cap) {
			char *p = realloc(buf, cap * 2);
			if (!p) {
				free(buf);
				return -ENOMEM;
			}
			buf = p;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(buf);
			return -e;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*out = buf;
	return (ssize_t)n;
}

bool write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}
