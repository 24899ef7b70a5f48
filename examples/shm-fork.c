/*
 * shm-fork.c - a parent writes a string into shared memory, its child
 * reads it and answers in the same segment.
 *
 * The segment (IPC_PRIVATE: no key, only this family knows the id) is
 * attached before fork(), and the child inherits the attachment, so both
 * see the same bytes at the same address: right after the fork the
 * segment counts two attachments. Shared memory says nothing about when
 * the other side has written, so a semaphore (value 0) tells the child:
 * the parent writes, then V; the child's P returns only after that. The
 * answer needs no semaphore: the parent reads it after waitpid(), once
 * the child is gone.
 *
 * usage: shm-fork [STRING]
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sysv.h"

#define SEG_SIZE 4096
#define HALF	 (SEG_SIZE / 2) /* the parent's half, then the child's */

static int shmid = -1, semid = -1;

static int nattch(void)
{
	struct shmid_ds ds;

	if (shmctl(shmid, IPC_STAT, &ds) < 0)
		return -1;
	return (int)ds.shm_nattch;
}

static void child_run(char *mem)
{
	struct sembuf p = {.sem_num = 0, .sem_op = -1, .sem_flg = 0};

	if (semop(semid, &p, 1) < 0) {
		perror("child: semop");
		_exit(1);
	}
	mem[HALF - 1] = '\0';
	printf("child: read \"%s\"\n", mem);
	for (size_t i = 0; i < HALF && mem[i]; i++)
		mem[HALF + i] = (char)toupper((unsigned char)mem[i]);
	if (shmdt(mem) < 0) {
		perror("child: shmdt");
		_exit(1);
	}
	fflush(stdout);
	_exit(0);
}

int main(int argc, char **argv)
{
	const char *text = argc > 1 ? argv[1] : "hello from the parent";
	struct sembuf v = {.sem_num = 0, .sem_op = 1, .sem_flg = 0};
	pid_t pid = -1;
	int rc = 1, status;

	if (argc > 2 || strlen(text) >= HALF) {
		fprintf(stderr, "usage: shm-fork [STRING shorter than %d]\n",
			HALF);
		return 1;
	}
	shmid = shmget(IPC_PRIVATE, SEG_SIZE, IPC_CREAT | 0600);
	if (shmid < 0) {
		perror("shmget");
		return 1;
	}
	semid = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
	if (semid < 0) {
		perror("semget");
		goto out_rmshm;
	}
	char *mem = shmat(shmid, NULL, 0);
	if (mem == (void *)-1) {
		perror("shmat");
		goto out_rmsem;
	}

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		goto out_detach;
	}
	if (pid == 0)
		child_run(mem);

	/* The child cannot detach before our V, so this is exactly 2. */
	int n = nattch();
	if (n < 0) {
		perror("shmctl IPC_STAT");
		goto out_detach;
	}
	printf("parent: segment %d attached %d times after fork (%s)\n", shmid,
	       n, SYSV_BACKEND);
	snprintf(mem, HALF, "%s", text);
	printf("parent: wrote \"%s\"\n", mem);
	fflush(stdout);
	if (semop(semid, &v, 1) < 0) {
		perror("semop");
		goto out_detach;
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("waitpid");
		goto out_detach;
	}
	pid = -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "shm-fork: child failed (status 0x%x)\n",
			status);
		goto out_detach;
	}
	printf("parent: the child answered \"%s\", %d attachment left\n",
	       mem + HALF, nattch());
	if (n != 2 || strlen(mem + HALF) != strlen(text)) {
		fprintf(stderr, "shm-fork: unexpected result\n");
		goto out_detach;
	}
	rc = 0;

out_detach:
	if (shmdt(mem) < 0) {
		perror("shmdt");
		rc = 1;
	}
out_rmsem:
	/* Removing the set also frees a child still waiting (EIDRM). */
	if (semctl(semid, 0, IPC_RMID) < 0) {
		perror("semctl IPC_RMID");
		rc = 1;
	}
out_rmshm:
	if (shmctl(shmid, IPC_RMID, NULL) < 0) {
		perror("shmctl IPC_RMID");
		rc = 1;
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return rc;
}
