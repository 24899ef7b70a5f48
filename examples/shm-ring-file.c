/*
 * shm-ring-file.c - moves a large file from one process to another through
 * a ring of chunks in a shared segment, and checks that it arrived whole.
 *
 * The ring has NSLOTS slots of CHUNK bytes. A producer process read()s the
 * file straight into the next free slot and a consumer process write()s it
 * out straight from the slot: two copies in all, where a pipe takes four.
 * Two semaphores keep them in step: EMPTY counts free slots (a producer's
 * P waits for room), FULL counts filled ones (a consumer's P waits for
 * data). With one producer and one consumer each slot index is private to
 * its side, so no mutex is needed; a slot of length 0 ends the file.
 *
 * Without INPUT, the program makes MIB mebibytes (default 32) of
 * pseudo-random data in a temporary file. The parent takes a checksum
 * (64-bit FNV-1a) of the input, the consumer of what came through the
 * ring, and the parent again of the output file: all three and the sizes
 * must agree. If a child fails the parent removes the semaphore set,
 * which wakes the other with EIDRM. Temporary files and both objects are
 * removed on every path.
 *
 * usage: shm-ring-file [-m MIB] [INPUT [OUTPUT]]
 *	INPUT must be a regular file (it is read twice); temporary files go
 *	to $TMPDIR (default /tmp)
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "sysv.h"

#define NSLOTS 8
#define CHUNK  (64 * 1024)

enum { SEM_EMPTY, SEM_FULL, NSEMS };

struct slot {
	uint32_t len; /* bytes of data; 0: end of file */
	uint32_t pad;
	unsigned char data[CHUNK];
};

struct ring {
	uint64_t got_sum; /* the consumer's checksum, for the parent */
	uint64_t got_bytes;
	struct slot slot[NSLOTS];
};

#define FNV_INIT 0xcbf29ce484222325ULL

static uint64_t fnv1a(uint64_t h, const unsigned char *p, size_t n)
{
	while (n--) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static int semid = -1;
static char in_tmp[256], out_tmp[256]; /* ours to remove, when made */

static void files_remove(void)
{
	if (in_tmp[0])
		unlink(in_tmp);
	if (out_tmp[0])
		unlink(out_tmp);
}

/* Before the objects exist: remove the temporary files and leave. */
static void die(const char *what)
{
	perror(what);
	files_remove();
	exit(1);
}

static void sem_change(unsigned short num, short op)
{
	struct sembuf sb = {.sem_num = num, .sem_op = op, .sem_flg = 0};

	if (semop(semid, &sb, 1) < 0) {
		perror("semop");
		_exit(1);
	}
}

static int temp_open(char *path, const char *tmpdir, const char *what)
{
	snprintf(path, 256, "%s/shm-ring-file.%s.XXXXXX", tmpdir, what);
	int fd = mkstemp(path);
	if (fd < 0) {
		path[0] = '\0';
		die("mkstemp");
	}
	return fd;
}

/* xorshift64: enough for data nobody could have guessed. */
static void generate(int fd, long mib)
{
	static uint64_t buf[(1 << 20) / sizeof(uint64_t)];
	uint64_t x = 0x9e3779b97f4a7c15ULL;

	for (long m = 0; m < mib; m++) {
		for (size_t i = 0; i < sizeof(buf) / sizeof(*buf); i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			buf[i] = x;
		}
		const char *p = (const char *)buf;
		size_t left = sizeof(buf);
		while (left > 0) {
			ssize_t n = write(fd, p, left);
			if (n < 0)
				die("write");
			p += n;
			left -= (size_t)n;
		}
	}
}

static int file_sum(int fd, uint64_t *sum, uint64_t *bytes)
{
	static unsigned char buf[1 << 16];
	ssize_t n;

	*sum = FNV_INIT;
	*bytes = 0;
	if (lseek(fd, 0, SEEK_SET) < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		*sum = fnv1a(*sum, buf, (size_t)n);
		*bytes += (uint64_t)n;
	}
	return n < 0 ? -1 : 0;
}

static void producer_run(struct ring *ring, int fd)
{
	for (unsigned i = 0;; i = (i + 1) % NSLOTS) {
		struct slot *s = &ring->slot[i];
		size_t len = 0;

		sem_change(SEM_EMPTY, -1);
		/* Fill the slot whole unless the file ends. */
		while (len < CHUNK) {
			ssize_t n = read(fd, s->data + len, CHUNK - len);
			if (n < 0) {
				perror("producer: read");
				_exit(1);
			}
			if (n == 0)
				break;
			len += (size_t)n;
		}
		s->len = (uint32_t)len;
		sem_change(SEM_FULL, 1);
		if (len == 0)
			_exit(0);
	}
}

static void consumer_run(struct ring *ring, int fd)
{
	uint64_t sum = FNV_INIT, bytes = 0;

	for (unsigned i = 0;; i = (i + 1) % NSLOTS) {
		struct slot *s = &ring->slot[i];

		sem_change(SEM_FULL, -1);
		uint32_t len = s->len;
		if (len == 0)
			break;
		if (len > CHUNK) {
			fprintf(stderr, "consumer: bad slot length %u\n", len);
			_exit(1);
		}
		sum = fnv1a(sum, s->data, len);
		for (uint32_t off = 0; off < len;) {
			ssize_t n = write(fd, s->data + off, len - off);
			if (n < 0) {
				perror("consumer: write");
				_exit(1);
			}
			off += (uint32_t)n;
		}
		bytes += len;
		sem_change(SEM_EMPTY, 1);
	}
	ring->got_sum = sum;
	ring->got_bytes = bytes;
	_exit(0);
}

int main(int argc, char **argv)
{
	const char *tmpdir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	long mib = 32;
	int c, in, out, failed = 0, running = 0;

	while ((c = getopt(argc, argv, "m:")) != -1) {
		if (c != 'm' || (mib = atol(optarg)) < 1 || mib > 4096) {
			fprintf(stderr,
				"usage: shm-ring-file [-m MIB (1..4096)] "
				"[INPUT [OUTPUT]]\n");
			return 1;
		}
	}
	if (argc - optind > 2) {
		fprintf(stderr, "usage: shm-ring-file [-m MIB] "
				"[INPUT [OUTPUT]]\n");
		return 1;
	}

	if (optind < argc) {
		in = open(argv[optind], O_RDONLY);
		if (in < 0)
			die("open input");
	} else {
		in = temp_open(in_tmp, tmpdir, "in");
		generate(in, mib);
	}
	if (optind + 1 < argc) {
		out = open(argv[optind + 1], O_RDWR | O_CREAT | O_TRUNC, 0644);
		if (out < 0)
			die("open output");
	} else {
		out = temp_open(out_tmp, tmpdir, "out");
	}
	uint64_t in_sum, in_bytes;
	if (file_sum(in, &in_sum, &in_bytes) < 0 || lseek(in, 0, SEEK_SET) < 0)
		die("read input");

	int shmid = shmget(IPC_PRIVATE, sizeof(struct ring), IPC_CREAT | 0600);
	if (shmid < 0)
		die("shmget");
	semid = semget(IPC_PRIVATE, NSEMS, IPC_CREAT | 0600);
	if (semid < 0) {
		perror("semget");
		failed = 1;
		goto out_rmshm;
	}
	unsigned short init[NSEMS] = {[SEM_EMPTY] = NSLOTS, [SEM_FULL] = 0};
	if (semctl(semid, 0, SETALL, (union semun){.array = init}) < 0) {
		perror("semctl SETALL");
		failed = 1;
		goto out_rmsem;
	}
	struct ring *ring = shmat(shmid, NULL, 0);
	if (ring == (void *)-1) {
		perror("shmat");
		failed = 1;
		goto out_rmsem;
	}

	fflush(stdout);
	for (int i = 0; i < 2; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			failed = 1;
			break;
		}
		if (pid == 0) {
			if (i == 0)
				producer_run(ring, in);
			consumer_run(ring, out);
		}
		running++;
	}
	/* A failure removes the set: the other side, if blocked, gets EIDRM. */
	failed = children_wait(running, failed, &semid);

	if (!failed) {
		uint64_t out_sum, out_bytes;
		if (file_sum(out, &out_sum, &out_bytes) < 0) {
			perror("read output");
			failed = 1;
		} else {
			printf("shm-ring-file: moved %llu bytes through %d "
			       "slots of %d KiB on %s\n",
			       (unsigned long long)ring->got_bytes, NSLOTS,
			       CHUNK / 1024, SYSV_BACKEND);
			printf("shm-ring-file: checksums: input %016llx, "
			       "received %016llx, output %016llx\n",
			       (unsigned long long)in_sum,
			       (unsigned long long)ring->got_sum,
			       (unsigned long long)out_sum);
			if (in_sum != ring->got_sum || in_sum != out_sum ||
			    in_bytes != ring->got_bytes ||
			    in_bytes != out_bytes) {
				fprintf(stderr, "shm-ring-file: the copy "
						"differs from the input\n");
				failed = 1;
			} else {
				printf("shm-ring-file: checksums match\n");
			}
		}
	} else {
		fprintf(stderr, "shm-ring-file: a child failed\n");
	}
	if (shmdt(ring) < 0) {
		perror("shmdt");
		failed = 1;
	}

out_rmsem:
	if (semid >= 0 && semctl(semid, 0, IPC_RMID) < 0) {
		perror("semctl IPC_RMID");
		failed = 1;
	}
out_rmshm:
	if (shmctl(shmid, IPC_RMID, NULL) < 0) {
		perror("shmctl IPC_RMID");
		failed = 1;
	}
	close(in);
	close(out);
	files_remove();
	return failed;
}
