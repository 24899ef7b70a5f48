/*
 * philosophers.c - the dining philosophers, each a process, each fork a
 * semaphore.
 *
 * N philosophers sit at a round table with one fork between neighbours:
 * philosopher i needs forks i and (i + 1) % N. Taking one fork and then
 * the other can deadlock (everyone holds a left fork and waits for a right
 * one). Here each philosopher takes both in one semop with two operations,
 * which the system applies all at once or not at all, so nobody ever holds
 * one fork while waiting for the other: no deadlock, no fork order needed.
 *
 * Each philosopher eats MEALS meals. While eating it raises its flag in a
 * shared segment and looks at its neighbours' flags; with sequentially
 * consistent atomics, two neighbours eating at once could not both miss
 * each other's flag, so any such overlap is counted. The parent checks
 * that no overlap was seen and every meal was eaten. If a philosopher
 * fails, the parent removes the semaphore set so the others stop (EIDRM);
 * both objects are removed on every path.
 *
 * usage: philosophers [-p PHILOSOPHERS] [-m MEALS]	(defaults: 5, 2000)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "sysv.h"

#define MAX_PHILOSOPHERS 64

struct table {
	uint32_t overlaps;		   /* atomic */
	uint32_t eating[MAX_PHILOSOPHERS]; /* atomic flags */
	uint32_t meals[MAX_PHILOSOPHERS];  /* each its own */
};

static int semid = -1;
static struct table *table;

static void forks_change(unsigned short left, unsigned short right, short op)
{
	struct sembuf sb[2] = {
	    {.sem_num = left, .sem_op = op, .sem_flg = 0},
	    {.sem_num = right, .sem_op = op, .sem_flg = 0},
	};

	if (semop(semid, sb, 2) < 0) {
		perror("semop");
		_exit(1);
	}
}

static void philosopher_run(int i, int n, long meals)
{
	unsigned short left = (unsigned short)i;
	unsigned short right = (unsigned short)((i + 1) % n);
	uint32_t *mine = &table->eating[i];
	uint32_t *before = &table->eating[(i + n - 1) % n];
	uint32_t *after = &table->eating[(i + 1) % n];

	for (long m = 0; m < meals; m++) {
		forks_change(left, right, -1);
		__atomic_store_n(mine, 1, __ATOMIC_SEQ_CST);
		/* Look a few times: the meal takes a little while. */
		for (int k = 0; k < 8; k++) {
			if (__atomic_load_n(before, __ATOMIC_SEQ_CST) ||
			    __atomic_load_n(after, __ATOMIC_SEQ_CST)) {
				__atomic_fetch_add(&table->overlaps, 1,
						   __ATOMIC_RELAXED);
				break;
			}
		}
		table->meals[i]++;
		__atomic_store_n(mine, 0, __ATOMIC_SEQ_CST);
		forks_change(left, right, 1);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	long n = 5, meals = 2000;
	int running = 0, failed = 0, c;

	while ((c = getopt(argc, argv, "p:m:")) != -1) {
		switch (c) {
		case 'p':
			/* One philosopher would need the same fork twice. */
			n = option_number("philosophers", optarg, 2,
					  MAX_PHILOSOPHERS);
			break;
		case 'm':
			meals =
			    option_number("philosophers", optarg, 1, 10000000);
			break;
		default:
			fprintf(stderr, "usage: philosophers [-p PHILOSOPHERS] "
					"[-m MEALS]\n");
			return 1;
		}
	}

	int shmid = shmget(IPC_PRIVATE, sizeof(struct table), IPC_CREAT | 0600);
	if (shmid < 0) {
		perror("shmget");
		return 1;
	}
	semid = semget(IPC_PRIVATE, (int)n, IPC_CREAT | 0600);
	if (semid < 0) {
		perror("semget");
		shmctl(shmid, IPC_RMID, NULL);
		return 1;
	}
	unsigned short forks[MAX_PHILOSOPHERS];
	for (long i = 0; i < n; i++)
		forks[i] = 1;
	if (semctl(semid, 0, SETALL, (union semun){.array = forks}) < 0) {
		perror("semctl SETALL");
		failed = 1;
		goto out_remove;
	}
	table = shmat(shmid, NULL, 0);
	if (table == (void *)-1) {
		perror("shmat");
		failed = 1;
		goto out_remove;
	}

	fflush(stdout);
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			failed = 1;
			break;
		}
		if (pid == 0)
			philosopher_run(i, (int)n, meals);
		running++;
	}
	/* A failure removes the set: everyone waiting for forks gets EIDRM. */
	failed = children_wait(running, failed, &semid);

	if (!failed) {
		long eaten = 0;
		for (int i = 0; i < n; i++)
			eaten += table->meals[i];
		printf("philosophers: %ld philosophers ate %ld meals on %s, "
		       "%u times a neighbour was eating too\n",
		       n, eaten, SYSV_BACKEND, table->overlaps);
		if (eaten != n * meals || table->overlaps != 0)
			failed = 1;
		else
			printf("philosophers: no two neighbours ever ate at "
			       "once\n");
	} else {
		fprintf(stderr, "philosophers: a philosopher failed\n");
	}
	if (shmdt(table) < 0) {
		perror("shmdt");
		failed = 1;
	}

out_remove:
	if (semid >= 0 && semctl(semid, 0, IPC_RMID) < 0) {
		perror("semctl IPC_RMID");
		failed = 1;
	}
	if (shmctl(shmid, IPC_RMID, NULL) < 0) {
		perror("shmctl IPC_RMID");
		failed = 1;
	}
	return failed;
}
