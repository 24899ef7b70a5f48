/*
 * sem-basic.c - a semaphore's whole life: create, initialise, P, V, undo,
 * destroy.
 *
 * semget makes a set of one semaphore (its value starts at 0), semctl
 * SETVAL makes it 1, a binary semaphore, and semop does P (sem_op -1:
 * wait until the value is at least 1, then take it) and V (sem_op +1).
 * The program shows that a P with IPC_NOWAIT fails with EAGAIN rather than
 * block, that a child's P blocks until the parent's V, and that SEM_UNDO
 * gives back what a process took when it exits without its V. IPC_RMID
 * destroys the set, on error paths too; a child still waiting would then
 * fail with EIDRM.
 *
 * usage: sem-basic [KEYPATH]	(default ".", the file ftok names)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sysv.h"

#define SEM_PROJ 'b'

static int semid = -1;

/* Exit from the parent: the set goes with it, on every path. */
static void fail(const char *what)
{
	if (what)
		perror(what);
	if (semid >= 0 && semctl(semid, 0, IPC_RMID) < 0)
		perror("semctl IPC_RMID");
	exit(1);
}

static int sem_change(short op, short flags)
{
	struct sembuf sb = {.sem_num = 0, .sem_op = op, .sem_flg = flags};

	return semop(semid, &sb, 1);
}

static int value(void)
{
	int v = semctl(semid, 0, GETVAL);

	if (v < 0)
		fail("semctl GETVAL");
	return v;
}

static void expect(int want, const char *when)
{
	int v = value();

	printf("%s: value %d\n", when, v);
	if (v != want) {
		fprintf(stderr, "sem-basic: expected %d\n", want);
		fail(NULL);
	}
}

static pid_t spawn(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		fail("fork");
	return pid;
}

static void reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) < 0)
		fail("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "sem-basic: child failed (status 0x%x)\n",
			status);
		fail(NULL);
	}
}

int main(int argc, char **argv)
{
	const char *keypath = argc > 1 ? argv[1] : ".";

	if (argc > 2) {
		fprintf(stderr, "usage: sem-basic [KEYPATH]\n");
		return 1;
	}
	key_t key = ftok(keypath, SEM_PROJ);
	if (key == -1) {
		perror("ftok");
		return 1;
	}
	semid = semget(key, 1, IPC_CREAT | IPC_EXCL | 0600);
	if (semid < 0) {
		perror("semget");
		return 1;
	}
	printf("created semaphore set %d (key 0x%08x) on %s\n", semid,
	       (unsigned)key, SYSV_BACKEND);
	if (semctl(semid, 0, SETVAL, (union semun){.val = 1}) < 0)
		fail("semctl SETVAL");
	expect(1, "after SETVAL 1");

	if (sem_change(-1, 0) < 0)
		fail("semop P");
	expect(0, "after P");

	if (sem_change(-1, IPC_NOWAIT) == 0) {
		fprintf(stderr, "sem-basic: P succeeded on value 0\n");
		fail(NULL);
	}
	if (errno != EAGAIN)
		fail("semop P with IPC_NOWAIT");
	printf("P with IPC_NOWAIT on 0: %s (EAGAIN)\n", strerror(EAGAIN));

	/*
	 * The child's P cannot pass before the V below, so its line is
	 * printed after the parent's, however the two are scheduled.
	 */
	pid_t pid = spawn();
	if (pid == 0) {
		if (sem_change(-1, 0) < 0) {
			perror("child: semop P");
			_exit(1);
		}
		printf("child: passed P after the parent's V\n");
		fflush(stdout);
		if (sem_change(1, 0) < 0) {
			perror("child: semop V");
			_exit(1);
		}
		_exit(0);
	}
	printf("parent: V, letting the child in\n");
	fflush(stdout);
	if (sem_change(1, 0) < 0)
		fail("semop V");
	reap(pid);
	expect(1, "after the child's P and V");

	pid = spawn();
	if (pid == 0) {
		if (sem_change(-1, SEM_UNDO) < 0) {
			perror("child: semop P");
			_exit(1);
		}
		_exit(0); /* no V: exit undoes the P */
	}
	reap(pid);
	expect(1, "after a child's P with SEM_UNDO and exit");

	if (semctl(semid, 0, IPC_RMID) < 0) {
		perror("semctl IPC_RMID");
		return 1;
	}
	printf("removed semaphore set %d\n", semid);
	return 0;
}
