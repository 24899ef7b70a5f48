/*
 * sem-undo-threads.c - SEM_UNDO adjustments belong to the process, shared
 * by its threads: a thread's end applies nothing, the process's end
 * applies all, and the range check sees the sum of what every thread did.
 */
#include "helpers.h"

#include <pthread.h>

static int set_id;

static void *thread_op(void *arg)
{
	struct sembuf *sb = arg;
	T_OK(B->semop(set_id, sb, 1));
	return NULL;
}

static void in_thread(struct sembuf sb)
{
	pthread_t t;
	T_EQ(pthread_create(&t, NULL, thread_op, &sb), 0);
	T_EQ(pthread_join(t, NULL), 0);
}

static int op(unsigned short num, short val, short flg)
{
	struct sembuf sb = {num, val, flg};
	return B->semop(set_id, &sb, 1);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	set_id = T_OK(B->semget(IPC_PRIVATE, 2, 0600));
	struct t_barrier *bar = t_barrier_create(2);

	pid_t pid = t_fork();
	if (pid == 0) {
		in_thread((struct sembuf){0, 1, SEM_UNDO});
		t_barrier_wait(bar);
		t_barrier_wait(bar);

		/* A thread takes semaphore 1's adjustment to -32767. */
		in_thread((struct sembuf){1, 32767, SEM_UNDO});
		T_OK(op(1, -32767, 0));
		T_OK(op(1, 1, SEM_UNDO));
		T_OK(op(1, -1, 0));
		/* -32769 in all: past the bound only if it is shared. */
		T_FAIL_ERRNO(op(1, 1, SEM_UNDO), ERANGE);
		_exit(0);
	}
	t_barrier_wait(bar);
	/* The thread has ended; its process has not. */
	T_EQ(B->semctl(set_id, 0, GETVAL), 1);
	t_barrier_wait(bar);
	t_wait_ok(pid);
	T_EQ(B->semctl(set_id, 0, GETVAL), 0);
	T_EQ(B->semctl(set_id, 1, GETVAL), 0);
	return 0;
}
