/*
 * pipe.c - a parent and its child talk through an anonymous pipe.
 *
 * The child writes LINES lines (default 5) and closes its end; the parent
 * reads until read() returns 0. That end of file comes only once every
 * write end is closed, the parent's own copy included, which is why each
 * side closes the end it does not use right after fork(). Then the reverse
 * rule: writing to a pipe that no process can read fails with EPIPE (once
 * SIGPIPE, which would otherwise kill the writer, is ignored).
 *
 * usage: pipe [LINES]
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* A pipe may take less than asked only past PIPE_BUF; loop anyway. */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static void child_write(int fd, int lines)
{
	char line[64];

	for (int i = 1; i <= lines; i++) {
		int len =
		    snprintf(line, sizeof(line), "line %d of %d\n", i, lines);
		if (write_all(fd, line, (size_t)len) < 0) {
			perror("child: write");
			_exit(1);
		}
	}
	if (close(fd) < 0) {
		perror("child: close");
		_exit(1);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	int lines = argc > 1 ? atoi(argv[1]) : 5;
	int fds[2];

	if (argc > 2 || lines < 0) {
		fprintf(stderr, "usage: pipe [LINES]\n");
		return 1;
	}
	if (pipe(fds) < 0)
		die("pipe");

	/* Anything still buffered would be printed twice, once per process. */
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(fds[0]);
		child_write(fds[1], lines);
	}

	/* Without this close, the read below would never see end of file. */
	if (close(fds[1]) < 0)
		die("close");
	FILE *in = fdopen(fds[0], "r");
	if (!in)
		die("fdopen");
	char buf[128];
	int got = 0;
	while (fgets(buf, sizeof(buf), in)) {
		printf("parent: got: %s", buf);
		got++;
	}
	if (ferror(in))
		die("read");
	fclose(in);
	printf("parent: end of file after %d lines\n", got);

	int status;
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "pipe: child failed (status 0x%x)\n", status);
		return 1;
	}
	printf("parent: child exited with status 0\n");
	if (got != lines) {
		fprintf(stderr, "pipe: expected %d lines, got %d\n", lines,
			got);
		return 1;
	}

	/* The other rule: a pipe with no reader left refuses writes. */
	if (pipe(fds) < 0)
		die("pipe");
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		die("signal");
	close(fds[0]);
	if (write(fds[1], "x", 1) != -1 || errno != EPIPE) {
		fprintf(stderr, "pipe: write with no reader did not fail "
				"with EPIPE\n");
		return 1;
	}
	printf("parent: write with no reader: %s (EPIPE)\n", strerror(EPIPE));
	close(fds[1]);
	return 0;
}
