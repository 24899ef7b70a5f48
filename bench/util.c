/*
 * util.c - what the mechanisms share: the checksum, the clock, ring sizes,
 * sysctl reads, and the channel over file descriptors that pipes, FIFOs and
 * sockets all are once they are made.
 */
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/*
 * Fletcher's checksum widened to 64-bit words in four independent lanes:
 * b sums the running sums, so moving a word changes it, and the lanes keep
 * the adds from waiting on one another. Each lane is a variable of its own,
 * not an array element, so that it stays in a register: that is the
 * difference between 1.5 and 6.5 us for 64 KiB here. CRC32 in software
 * would cost tens of microseconds, inside every figure.
 */
uint32_t bench_sum(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
	uint64_t w[4], h = n;
	size_t i = 0;

	for (; i + 32 <= n; i += 32) {
		memcpy(w, s + i, 32);
		a0 += w[0];
		a1 += w[1];
		a2 += w[2];
		a3 += w[3];
		b0 += a0;
		b1 += a1;
		b2 += a2;
		b3 += a3;
	}
	for (; i < n; i++) {
		a0 += s[i];
		b0 += a0;
	}
	const uint64_t v[8] = {a0, a1, a2, a3, b0, b1, b2, b3};
	for (int l = 0; l < 8; l++)
		h = (h ^ v[l]) * 0x100000001b3ull; /* FNV-1a's prime */
	return (uint32_t)(h ^ (h >> 32));
}

uint64_t bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * 256 KiB of slots per direction: enough that a streaming sender rarely
 * waits for its reader, about what a socket buffer holds.
 */
unsigned bench_slots(size_t size)
{
	size_t n = (256 * 1024) / size;

	return n < 2 ? 2 : n > 64 ? 64 : (unsigned)n;
}

long bench_read_sysctl(const char *path)
{
	FILE *f = fopen(path, "r");
	long v;

	if (!f)
		return -errno;
	int ok = fscanf(f, "%ld", &v) == 1;
	fclose(f);
	return ok ? v : -EINVAL;
}

struct bench_fdchan *bench_fd_create(void)
{
	struct bench_fdchan *f = malloc(sizeof(*f));

	if (!f)
		return NULL;
	f->wr[0] = f->wr[1] = f->rd[0] = f->rd[1] = -1;
	f->dgram = false;
	return f;
}

static bool fd_is_kept(const struct bench_fdchan *f, int side, int fd)
{
	return fd == f->wr[side] || fd == f->rd[!side];
}

int bench_fd_attach(struct bench_chan *c)
{
	struct bench_fdchan *f = c->priv;
	int drop[2] = {f->wr[!c->side], f->rd[c->side]};

	for (int i = 0; i < 2; i++) {
		if (drop[i] < 0 || fd_is_kept(f, c->side, drop[i]))
			continue;
		if (i == 1 && drop[1] == drop[0])
			continue;
		close(drop[i]);
	}
	return 0;
}

int bench_fd_send(struct bench_chan *c, void *msg)
{
	struct bench_fdchan *f = c->priv;
	int fd = f->wr[c->side];
	const char *p = msg;
	size_t left = c->size;

	if (f->dgram) {
		ssize_t n;
		do
			n = send(fd, p, left, 0);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return -errno;
		return (size_t)n == left ? 0 : -EMSGSIZE;
	}
	while (left > 0) {
		ssize_t n = write(fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		left -= (size_t)n;
	}
	return 0;
}

int bench_fd_recv(struct bench_chan *c, void *buf, const void **msg)
{
	struct bench_fdchan *f = c->priv;
	int fd = f->rd[!c->side];
	char *p = buf;
	size_t left = c->size;

	*msg = buf;
	if (f->dgram) {
		ssize_t n;
		/* MSG_TRUNC: a longer datagram reports its full length. */
		do
			n = recv(fd, p, left, MSG_TRUNC);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return -errno;
		return (size_t)n == left ? 0 : -EMSGSIZE;
	}
	while (left > 0) {
		ssize_t n = read(fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EPIPE; /* the writer is gone mid-message */
		p += n;
		left -= (size_t)n;
	}
	return 0;
}

void bench_fd_teardown(struct bench_chan *c)
{
	struct bench_fdchan *f = c->priv;
	int fds[4] = {f->wr[0], f->wr[1], f->rd[0], f->rd[1]};

	for (int i = 0; i < 4; i++) {
		bool seen = false;
		for (int j = 0; j < i; j++)
			seen |= fds[j] == fds[i];
		if (fds[i] >= 0 && !seen)
			close(fds[i]);
	}
	free(f);
	c->priv = NULL;
}
