/*
 * shm-dt-einval.c - shmdt takes the address shmat returned: an address
 * inside an attach, unaligned, of a mapping that is not an attach, already
 * detached, or never mapped is EINVAL and detaches nothing.
 */
#include "helpers.h"

#include <sys/mman.h>

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	long page = sysconf(_SC_PAGESIZE);

	int id = T_OK(B->shmget(IPC_PRIVATE, 2 * page, IPC_CREAT | 0600));
	char *a = T_OK(B->shmat(id, NULL, 0));
	a[0] = 'a';

	T_FAIL_ERRNO(B->shmdt(a + 1), EINVAL);
	T_FAIL_ERRNO(B->shmdt(a + page), EINVAL);
	T_FAIL_ERRNO(B->shmdt(a + 2 * page - 1), EINVAL);

	char *anon = mmap(NULL, page, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	T_ASSERT(anon != MAP_FAILED);
	anon[0] = 'm';
	T_FAIL_ERRNO(B->shmdt(anon), EINVAL);
	T_EQ(anon[0], 'm');
	T_OK(munmap(anon, page));
	/* Now nothing is mapped there at all. */
	T_FAIL_ERRNO(B->shmdt(anon), EINVAL);

	T_EQ(t_shm_nattch(id), 1);
	T_EQ(a[0], 'a');
	T_OK(B->shmdt(a));
	T_EQ(t_shm_nattch(id), 0);
	T_FAIL_ERRNO(B->shmdt(a), EINVAL);

	T_OK(B->shmctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
