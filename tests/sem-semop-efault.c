/*
 * sem-semop-efault.c - sops that cannot be read, wholly or in part, give
 * EFAULT with nothing applied; sops in read-only memory are fine.
 */
#include "helpers.h"

#include <sys/mman.h>

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 2, 0600));
	long page = sysconf(_SC_PAGESIZE);

	/* Two pages, the second unmapped. */
	char *p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	T_ASSERT(p != MAP_FAILED);
	T_OK(munmap(p + page, page));

	T_FAIL_ERRNO(B->semop(id, NULL, 1), EFAULT);
	T_FAIL_ERRNO(B->semop(id, (struct sembuf *)(p + page), 1), EFAULT);
	struct timespec ts = t_ms(10);
	T_FAIL_ERRNO(B->semtimedop(id, (struct sembuf *)(p + page), 1, &ts),
		     EFAULT);

	/* The first operation is readable, the second is not. */
	struct sembuf *edge = (struct sembuf *)(p + page) - 1;
	*edge = (struct sembuf){0, 1, 0};
	T_FAIL_ERRNO(B->semop(id, edge, 2), EFAULT);
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	/* The readable one alone is fine. */
	T_OK(B->semop(id, edge, 1));
	T_EQ(B->semctl(id, 0, GETVAL), 1);

	/* semop only reads sops. */
	T_OK(mprotect(p, page, PROT_READ));
	T_OK(B->semop(id, edge, 1));
	T_EQ(B->semctl(id, 0, GETVAL), 2);
	T_OK(munmap(p, page));
	return 0;
}
