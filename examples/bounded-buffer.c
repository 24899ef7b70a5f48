/*
 * bounded-buffer.c - producers and consumers, each a process, share a ring
 * of SLOTS items in a segment guarded by a set of three semaphores:
 *
 *	EMPTY	free slots (starts at SLOTS): a producer's P waits for room;
 *	FULL	filled slots (starts at 0): a consumer's P waits for an item;
 *	MUTEX	binary (starts at 1): one process at a time moves head/tail.
 *
 * A producer takes EMPTY before MUTEX; the other order would let it sleep
 * on a full ring while holding MUTEX, and no consumer could ever make room.
 *
 * Producer p sends the items p*N .. p*N+N-1. The last producer to finish
 * then sends one STOP item per consumer, so every consumer ends, and ends
 * only after every real item has been taken. Consumers count each item
 * they take in the segment (atomically, outside MUTEX, so that a broken
 * exclusion would show as a miscount rather than be hidden by the lock);
 * the parent checks at the end that every item was consumed exactly once.
 *
 * The parent only waits for its children. If one fails it removes the
 * semaphore set, which wakes every other process blocked on it with EIDRM,
 * so the run ends instead of hanging; both objects go on every path.
 *
 * usage: bounded-buffer [-p PRODUCERS] [-c CONSUMERS] [-n ITEMS]
 *	(defaults: 3 producers, 3 consumers, 10000 items per producer)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "sysv.h"

#define SLOTS	  16
#define STOP	  UINT32_MAX
#define MAX_PROCS 64

enum { SEM_EMPTY, SEM_FULL, SEM_MUTEX, NSEMS };

struct ring {
	uint32_t head;		 /* next slot to fill; MUTEX */
	uint32_t tail;		 /* next slot to empty; MUTEX */
	uint32_t producers_left; /* MUTEX */
	uint32_t slot[SLOTS];	 /* MUTEX */
	uint32_t seen[];	 /* per item: times consumed; atomic */
};

static int semid = -1;
static struct ring *ring;

static void sem_change(unsigned short num, short op)
{
	struct sembuf sb = {.sem_num = num, .sem_op = op, .sem_flg = 0};

	if (semop(semid, &sb, 1) < 0) {
		/* EIDRM: the parent removed the set because a peer failed. */
		perror("semop");
		_exit(1);
	}
}

static void put(uint32_t item)
{
	sem_change(SEM_EMPTY, -1);
	sem_change(SEM_MUTEX, -1);
	ring->slot[ring->head] = item;
	ring->head = (ring->head + 1) % SLOTS;
	sem_change(SEM_MUTEX, 1);
	sem_change(SEM_FULL, 1);
}

static uint32_t take(void)
{
	sem_change(SEM_FULL, -1);
	sem_change(SEM_MUTEX, -1);
	uint32_t item = ring->slot[ring->tail];
	ring->tail = (ring->tail + 1) % SLOTS;
	sem_change(SEM_MUTEX, 1);
	sem_change(SEM_EMPTY, 1);
	return item;
}

static void producer_run(uint32_t p, uint32_t n, uint32_t consumers)
{
	for (uint32_t i = 0; i < n; i++)
		put(p * n + i);

	sem_change(SEM_MUTEX, -1);
	int last = --ring->producers_left == 0;
	sem_change(SEM_MUTEX, 1);
	if (last)
		for (uint32_t c = 0; c < consumers; c++)
			put(STOP);
	_exit(0);
}

static void consumer_run(uint32_t total)
{
	for (;;) {
		uint32_t item = take();
		if (item == STOP)
			break;
		if (item >= total) {
			fprintf(stderr, "consumer: bad item %u\n", item);
			_exit(1);
		}
		__atomic_fetch_add(&ring->seen[item], 1, __ATOMIC_RELAXED);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	long producers = 3, consumers = 3, n = 10000;
	int running = 0, failed = 0, c;

	while ((c = getopt(argc, argv, "p:c:n:")) != -1) {
		switch (c) {
		case 'p':
			producers = option_number("bounded-buffer", optarg, 1,
						  MAX_PROCS);
			break;
		case 'c':
			consumers = option_number("bounded-buffer", optarg, 1,
						  MAX_PROCS);
			break;
		case 'n':
			n = option_number("bounded-buffer", optarg, 1, 1000000);
			break;
		default:
			fprintf(stderr, "usage: bounded-buffer [-p PRODUCERS] "
					"[-c CONSUMERS] [-n ITEMS]\n");
			return 1;
		}
	}
	uint32_t total = (uint32_t)(producers * n);
	size_t size = sizeof(struct ring) + total * sizeof(uint32_t);

	int shmid = shmget(IPC_PRIVATE, size, IPC_CREAT | 0600);
	if (shmid < 0) {
		perror("shmget");
		return 1;
	}
	semid = semget(IPC_PRIVATE, NSEMS, IPC_CREAT | 0600);
	if (semid < 0) {
		perror("semget");
		goto out_rmshm;
	}
	unsigned short init[NSEMS] = {
	    [SEM_EMPTY] = SLOTS, [SEM_FULL] = 0, [SEM_MUTEX] = 1};
	if (semctl(semid, 0, SETALL, (union semun){.array = init}) < 0) {
		perror("semctl SETALL");
		failed = 1;
		goto out_rmsem;
	}
	ring = shmat(shmid, NULL, 0);
	if (ring == (void *)-1) {
		perror("shmat");
		failed = 1;
		goto out_rmsem;
	}
	/* A new segment reads as zeros: only this needs setting. */
	ring->producers_left = (uint32_t)producers;

	fflush(stdout);
	for (long i = 0; i < producers + consumers; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			failed = 1;
			break;
		}
		if (pid == 0) {
			if (i < producers)
				producer_run((uint32_t)i, (uint32_t)n,
					     (uint32_t)consumers);
			consumer_run(total);
		}
		running++;
	}
	/* A failure removes the set: everyone still blocked gets EIDRM. */
	failed = children_wait(running, failed, &semid);

	if (!failed) {
		uint32_t missing = 0, repeated = 0;
		for (uint32_t i = 0; i < total; i++) {
			if (ring->seen[i] == 0)
				missing++;
			else if (ring->seen[i] > 1)
				repeated++;
		}
		printf("bounded-buffer: %ld producers, %ld consumers, %u items "
		       "through %d slots on %s\n",
		       producers, consumers, total, SLOTS, SYSV_BACKEND);
		if (missing || repeated) {
			fprintf(stderr,
				"bounded-buffer: %u items never "
				"consumed, %u consumed twice or more\n",
				missing, repeated);
			failed = 1;
		} else {
			printf("bounded-buffer: every item consumed exactly "
			       "once\n");
		}
	} else {
		fprintf(stderr, "bounded-buffer: a child failed\n");
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
	if (shmctl(shmid, IPC_RMID, NULL) < 0) {
		perror("shmctl IPC_RMID");
		return 1;
	}
	return failed;
out_rmshm:
	shmctl(shmid, IPC_RMID, NULL);
	return 1;
}
