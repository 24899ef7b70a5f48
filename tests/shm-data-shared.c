/*
 * shm-data-shared.c - the memory is shared: what one process writes through
 * its attach the other reads through its own, both ways, across a whole
 * multi-page segment, and two attaches in one process alias each other.
 */
#include "helpers.h"

#define SIZE (1u << 20)

static unsigned char pattern(size_t i, unsigned seed)
{
	return (unsigned char)((i * 2654435761u) >> 13 ^ seed);
}

static void fill(unsigned char *p, unsigned seed)
{
	for (size_t i = 0; i < SIZE; i++)
		p[i] = pattern(i, seed);
}

static void check(const unsigned char *p, unsigned seed)
{
	for (size_t i = 0; i < SIZE; i++)
		if (p[i] != pattern(i, seed))
			t_fail(__FILE__, __LINE__, "byte %zu: %d, want %d", i,
			       p[i], pattern(i, seed));
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct t_barrier *bar = t_barrier_create(2);

	int id = T_OK(B->shmget(t_key(1), SIZE, IPC_CREAT | 0600));
	unsigned char *a = T_OK(B->shmat(id, NULL, 0));
	unsigned char *b = T_OK(B->shmat(id, NULL, 0));
	fill(a, 1);
	check(b, 1);

	/* A child that was not attached opens by key and attaches. */
	pid_t pid = t_fork();
	if (pid == 0) {
		T_OK(B->shmdt(a));
		T_OK(B->shmdt(b));
		int cid = T_OK(B->shmget(t_key(1), 0, 0));
		unsigned char *c = T_OK(B->shmat(cid, NULL, 0));
		check(c, 1);
		fill(c, 2);
		t_barrier_wait(bar); /* wrote 2 */
		t_barrier_wait(bar); /* parent wrote 3 */
		check(c, 3);
		_exit(0);
	}
	t_barrier_wait(bar);
	check(a, 2);
	check(b, 2);
	fill(b, 3);
	t_barrier_wait(bar);
	t_wait_ok(pid);

	/* What the child wrote outlives it. */
	T_OK(B->shmdt(a));
	T_OK(B->shmdt(b));
	a = T_OK(B->shmat(id, NULL, SHM_RDONLY));
	check(a, 3);
	T_OK(B->shmdt(a));
	T_OK(B->shmctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
