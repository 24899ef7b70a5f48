/*
 * fifo-server.c - reads lines from a named pipe until every writer is gone.
 *
 * The server makes the FIFO (mkfifo), opens it for reading and prints what
 * arrives. The rules it shows (man 7 fifo, man 7 pipe):
 * - open(O_RDONLY) blocks until some process opens the FIFO for writing;
 * - read() blocks while the FIFO is empty and a writer still has it open;
 * - read() returns 0, end of file, once the last writer has closed it.
 * A server that should outlive its clients would also open the FIFO for
 * writing itself, so that end of file never comes; this one serves one
 * round of writers and then removes the FIFO.
 *
 * SIGINT and SIGTERM remove the FIFO too: their handler calls only
 * unlink(), write() and _exit(), which are async-signal-safe, so it can
 * do the whole job wherever the signal lands. It is in force exactly
 * while the FIFO is ours (signals are blocked around mkfifo and the final
 * unlink), so it can never remove a file another process made.
 *
 * usage: fifo-server [PATH]	(default ./fifo)
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *path;
static sigset_t stop_signals;

static void on_signal(int sig)
{
	static const char msg[] = "fifo-server: stopped by a signal\n";

	(void)sig;
	unlink(path);
	ssize_t n = write(STDOUT_FILENO, msg, sizeof(msg) - 1);
	(void)n; /* nothing left to do if that fails */
	_exit(1);
}

/* Removes the FIFO with the handler held off, so it is done once. */
static int fifo_remove(void)
{
	sigprocmask(SIG_BLOCK, &stop_signals, NULL);
	return unlink(path);
}

/* The FIFO is ours once mkfifo succeeded: remove it on every way out. */
static void die(const char *what)
{
	perror(what);
	fifo_remove();
	exit(1);
}

int main(int argc, char **argv)
{
	struct sigaction sa;

	if (argc > 2) {
		fprintf(stderr, "usage: fifo-server [PATH]\n");
		return 1;
	}
	path = argc > 1 ? argv[1] : "./fifo";

	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &stop_signals, NULL) < 0) {
		perror("sigprocmask");
		return 1;
	}
	if (mkfifo(path, 0600) < 0) {
		perror("mkfifo");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) < 0 ||
	    sigaction(SIGTERM, &sa, NULL) < 0)
		die("sigaction");
	if (sigprocmask(SIG_UNBLOCK, &stop_signals, NULL) < 0)
		die("sigprocmask");
	printf("fifo-server: waiting for a writer on %s\n", path);
	fflush(stdout);

	int fd = open(path, O_RDONLY);
	if (fd < 0)
		die("open");
	printf("fifo-server: a writer opened the FIFO\n");

	/* stdio's reads end, and fgets returns NULL, when read() returns 0. */
	FILE *in = fdopen(fd, "r");
	if (!in)
		die("fdopen");
	char line[512];
	while (fgets(line, sizeof(line), in)) {
		line[strcspn(line, "\n")] = '\0';
		printf("fifo-server: got: %s\n", line);
	}
	if (ferror(in))
		die("read");
	printf("fifo-server: end of file: every writer has closed\n");
	if (fclose(in) != 0)
		die("close");
	if (fifo_remove() < 0) {
		perror("unlink");
		return 1;
	}
	return 0;
}
