/*
 * shm-client.c - the shared-memory client: writes lines for shm-server.
 *
 * The client finds the server's segment and semaphore set by the same
 * ftok key (flags 0: open, never create), attaches the segment and, for
 * each message, waits for EMPTY, writes the text, and posts FULL. It ends
 * the session with an empty line, and detaches before posting that last
 * FULL, so the server never sees a client attachment once it is over.
 *
 * A server that goes away while the client waits makes semop fail with
 * EIDRM (or EINVAL once the id is gone), which the client reports.
 *
 * usage: shm-client [KEYPATH [MESSAGE...]]	(default ".", 3 messages)
 *
 * KEYPATH and the values below must match shm-server.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysv.h"

#define SHM_PROJ  'S'
#define SHM_SIZE  4096
#define SEM_EMPTY 0
#define SEM_FULL  1

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void sem_change(int semid, unsigned short num, short op)
{
	struct sembuf sb = {.sem_num = num, .sem_op = op, .sem_flg = 0};

	if (semop(semid, &sb, 1) < 0)
		die("semop");
}

int main(int argc, char **argv)
{
	const char *keypath = argc > 1 ? argv[1] : ".";
	char defaults[3][64];

	key_t key = ftok(keypath, SHM_PROJ);
	if (key == -1)
		die("ftok");
	int shmid = shmget(key, 0, 0);
	if (shmid < 0)
		die("shmget");
	int semid = semget(key, 0, 0);
	if (semid < 0)
		die("semget");
	char *mem = shmat(shmid, NULL, 0);
	if (mem == (void *)-1)
		die("shmat");

	snprintf(defaults[0], sizeof(defaults[0]), "hello from client %d",
		 (int)getpid());
	snprintf(defaults[1], sizeof(defaults[1]),
		 "shared memory needs no copy");
	snprintf(defaults[2], sizeof(defaults[2]), "goodbye");
	int n = argc > 2 ? argc - 2 : 3, sent = 0;
	for (int i = 0; i < n; i++) {
		const char *msg = argc > 2 ? argv[i + 2] : defaults[i];
		if (msg[0] == '\0')
			continue; /* empty is the end marker */
		sem_change(semid, SEM_EMPTY, -1);
		snprintf(mem, SHM_SIZE, "%s", msg);
		sem_change(semid, SEM_FULL, 1);
		sent++;
	}

	sem_change(semid, SEM_EMPTY, -1);
	mem[0] = '\0';
	if (shmdt(mem) < 0)
		die("shmdt");
	sem_change(semid, SEM_FULL, 1);
	printf("shm-client: sent %d messages and detached\n", sent);
	return 0;
}
