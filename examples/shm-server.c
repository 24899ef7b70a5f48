/*
 * shm-server.c - the shared-memory server: prints what clients write into
 * a segment.
 *
 * The server makes a segment with IPC_CREAT | IPC_EXCL | 0666 from an ftok
 * key, so it knows the segment is new and its own, and attaches it. Shared
 * memory has no synchronisation of its own, so it also makes a set of two
 * semaphores under the same key (keys of different kinds never clash):
 * EMPTY (the client may write) and FULL (the server may read). A client
 * writes a line, then the server prints it; an empty line ends the session.
 * Then the server detaches, sees that only its own attachment is left
 * (the client detaches before its last V), and removes both objects.
 *
 * SIGINT and SIGTERM stop it too, with every object removed. They are
 * blocked in every thread and taken by one thread waiting in sigwait(),
 * which notes the signal and removes the semaphore set: the main thread's
 * semop then fails with EIDRM (or EINVAL), and it detaches and removes
 * the segment. A handler could only set a flag, which the main thread
 * would miss if it came just before semop blocked. The thread is struct
 * stop_thread in common.h, which bank-server shares.
 *
 * usage: shm-server [KEYPATH]	(default ".", the file ftok names)
 *
 * KEYPATH and the values below must match shm-client.c.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "sysv.h"

#define SHM_PROJ  'S'
#define SHM_SIZE  4096
#define SEM_EMPTY 0
#define SEM_FULL  1

static int semid;
static struct stop_thread stop;

/* Removes the semaphore set unless the signal thread has: 0 or -1. */
static int sems_remove(void)
{
	if (semctl(semid, 0, IPC_RMID) == 0)
		return 0;
	if ((errno == EINVAL || errno == EIDRM) && atomic_load(&stop.signal))
		return 0;
	perror("semctl IPC_RMID");
	return -1;
}

static int sem_change(unsigned short num, short op)
{
	struct sembuf sb = {.sem_num = num, .sem_op = op, .sem_flg = 0};

	return semop(semid, &sb, 1);
}

int main(int argc, char **argv)
{
	const char *keypath = argc > 1 ? argv[1] : ".";
	int rc = 1;

	if (argc > 2) {
		fprintf(stderr, "usage: shm-server [KEYPATH]\n");
		return 1;
	}
	/* Blocked before any object exists, so none escapes removal. */
	if (stop_signals_block(&stop) < 0)
		return 1;

	key_t key = ftok(keypath, SHM_PROJ);
	if (key == -1) {
		perror("ftok");
		return 1;
	}
	int shmid = shmget(key, SHM_SIZE, IPC_CREAT | IPC_EXCL | 0666);
	if (shmid < 0) {
		perror("shmget");
		return 1;
	}
	semid = semget(key, 2, IPC_CREAT | IPC_EXCL | 0666);
	if (semid < 0) {
		perror("semget");
		goto out_rmshm;
	}
	unsigned short init[2] = {[SEM_EMPTY] = 1, [SEM_FULL] = 0};
	if (semctl(semid, 0, SETALL, (union semun){.array = init}) < 0) {
		perror("semctl SETALL");
		goto out_rmsem;
	}
	char *mem = shmat(shmid, NULL, 0);
	if (mem == (void *)-1) {
		perror("shmat");
		goto out_rmsem;
	}
	if (stop_thread_start(&stop, sems_remove) < 0)
		goto out_detach;

	printf("shm-server: segment %d (key 0x%08x) ready on %s\n", shmid,
	       (unsigned)key, SYSV_BACKEND);
	fflush(stdout);

	for (;;) {
		if (sem_change(SEM_FULL, -1) < 0) {
			if (!atomic_load(&stop.signal))
				perror("semop");
			goto out_detach;
		}
		/* The client may not have terminated its string: we do. */
		mem[SHM_SIZE - 1] = '\0';
		if (mem[0] == '\0')
			break;
		printf("shm-server: client says: %s\n", mem);
		if (sem_change(SEM_EMPTY, 1) < 0) {
			if (!atomic_load(&stop.signal))
				perror("semop");
			goto out_detach;
		}
	}

	struct shmid_ds ds;
	if (shmctl(shmid, IPC_STAT, &ds) < 0) {
		perror("shmctl IPC_STAT");
		goto out_detach;
	}
	printf("shm-server: client done, attachments left: %lu\n",
	       (unsigned long)ds.shm_nattch);
	rc = 0;

out_detach:
	stop_thread_end(&stop);
	if (shmdt(mem) < 0) {
		perror("shmdt");
		rc = 1;
	}
out_rmsem:
	if (sems_remove() < 0)
		rc = 1;
out_rmshm:
	if (shmctl(shmid, IPC_RMID, NULL) < 0) {
		perror("shmctl IPC_RMID");
		rc = 1;
	}
	if (atomic_load(&stop.signal)) {
		printf("shm-server: stopped by signal %d\n",
		       atomic_load(&stop.signal));
		rc = 1;
	}
	if (rc == 0)
		printf("shm-server: removed the segment and the semaphores\n");
	return rc;
}
