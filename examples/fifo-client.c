/*
 * fifo-client.c - writes lines into the named pipe of fifo-server.
 *
 * The rules it shows (man 7 fifo): open(O_WRONLY | O_NONBLOCK) fails at
 * once with ENXIO while no process has the FIFO open for reading, where a
 * plain open(O_WRONLY) would block until one does. The client tries the
 * first and falls back to the second, then clears O_NONBLOCK so that its
 * writes block, rather than fail with EAGAIN, when the FIFO is full.
 * Closing its end is what lets the reader see end of file.
 *
 * SIGPIPE is ignored, so a reader that goes away makes write() fail with
 * EPIPE instead of killing the client silently.
 *
 * usage: fifo-client [PATH [MESSAGE...]]	(default ./fifo, 3 messages)
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void write_line(int fd, const char *msg)
{
	char line[512];
	int len = snprintf(line, sizeof(line), "%s\n", msg);

	if (len < 0 || (size_t)len >= sizeof(line)) {
		fprintf(stderr, "fifo-client: message too long\n");
		exit(1);
	}
	const char *p = line;
	while (len > 0) {
		ssize_t n = write(fd, p, (size_t)len);
		if (n < 0)
			die("write");
		p += n;
		len -= (int)n;
	}
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "./fifo";
	static const char *const defaults[] = {
	    "hello through the FIFO",
	    "a second line",
	    "goodbye",
	};

	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		die("signal");

	int fd = open(path, O_WRONLY | O_NONBLOCK);
	if (fd < 0 && errno == ENXIO) {
		printf(
		    "fifo-client: no reader yet (ENXIO); blocking in open\n");
		fflush(stdout);
		fd = open(path, O_WRONLY);
	}
	if (fd < 0)
		die("open");
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
		die("fcntl");

	if (argc > 2) {
		for (int i = 2; i < argc; i++)
			write_line(fd, argv[i]);
	} else {
		for (size_t i = 0; i < sizeof(defaults) / sizeof(*defaults);
		     i++)
			write_line(fd, defaults[i]);
	}
	if (close(fd) < 0)
		die("close");
	printf("fifo-client: sent %d lines\n",
	       argc > 2 ? argc - 2
			: (int)(sizeof(defaults) / sizeof(*defaults)));
	return 0;
}
