/*
 * proc.c - who this process is, and whether a recorded process is dead.
 *
 * A process is recorded as pid plus start time (clock ticks after boot,
 * /proc/PID/stat field 22): a pid alone is reused, the pair is not within
 * one boot. Death is read from /proc: no entry, a zombie (a killed child
 * its parent has not waited for yet is dead for us: it holds nothing), or
 * another start time.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Parses /proc/PID/stat: state letter and start time. -errno on failure. */
static int read_stat(pid_t pid, char *state, uint64_t *start)
{
	char path[48], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	int err = errno;
	close(fd);
	if (n <= 0)
		return n < 0 ? -err : -ESRCH;
	buf[n] = 0;
	/* The command name may hold spaces and parentheses: skip to the last ')'. */
	char *p = strrchr(buf, ')');
	if (!p || p[1] != ' ')
		return -EIO;
	p += 2;
	*state = *p;
	/* Field 3 is the state; the start time is field 22. */
	for (int field = 3; field < 22; field++) {
		p = strchr(p, ' ');
		if (!p)
			return -EIO;
		p++;
	}
	*start = strtoull(p, NULL, 10);
	return 0;
}

uint64_t ipckit__proc_start(pid_t pid)
{
	char state;
	uint64_t start;
	return read_stat(pid, &state, &start) == 0 ? start : 0;
}

static struct ipckit_proc_rec self_rec;
static pthread_once_t self_once = PTHREAD_ONCE_INIT;

static void self_refresh(void)
{
	self_rec.p_pid = (int32_t)getpid();
	self_rec.p_start = ipckit__proc_start(getpid());
}

static void self_after_fork(void)
{
	self_refresh();
}

static void self_init(void)
{
	self_refresh();
	pthread_atfork(NULL, NULL, self_after_fork);
}

void ipckit__self(struct ipckit_proc_rec *out)
{
	pthread_once(&self_once, self_init);
	*out = self_rec;
}

bool ipckit__proc_is_dead(const struct ipckit_proc_rec *rec)
{
	if (rec->p_pid <= 0)
		return true;
	char state;
	uint64_t start;
	int rc = read_stat(rec->p_pid, &state, &start);
	if (rc == -ENOENT || rc == -ESRCH)
		return true;
	if (rc < 0) {
		/* /proc hidden from us (hidepid): fall back to the pid alone. */
		return kill(rec->p_pid, 0) < 0 && errno == ESRCH;
	}
	if (state == 'Z' || state == 'X' || state == 'x')
		return true;
	return rec->p_start != 0 && start != rec->p_start;
}
