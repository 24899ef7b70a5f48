/*
 * shm-at-rdonly-mprotect.c - a SHM_RDONLY attach cannot be made writable
 * afterwards: mprotect(PROT_WRITE) on it fails with EACCES, as the kernel's
 * segment is then mapped from a file opened read-only. Even root cannot.
 */
#include "helpers.h"

#include <sys/mman.h>

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	long page = sysconf(_SC_PAGESIZE);

	int id = T_OK(B->shmget(IPC_PRIVATE, 2 * page, IPC_CREAT | 0600));
	char *ro = T_OK(B->shmat(id, NULL, SHM_RDONLY));
	T_FAIL_ERRNO(mprotect(ro, page, PROT_READ | PROT_WRITE), EACCES);
	T_FAIL_ERRNO(mprotect(ro, 2 * page, PROT_READ | PROT_WRITE), EACCES);
	/* Lowering and restoring read access is allowed. */
	T_OK(mprotect(ro, page, PROT_NONE));
	T_OK(mprotect(ro, page, PROT_READ));
	T_EQ(ro[0], 0);

	/* A read-write attach can be made read-only and writable again. */
	char *rw = T_OK(B->shmat(id, NULL, 0));
	T_OK(mprotect(rw, page, PROT_READ));
	T_OK(mprotect(rw, page, PROT_READ | PROT_WRITE));
	rw[0] = 1;
	T_EQ(ro[0], 1);

	T_OK(B->shmdt(ro));
	T_OK(B->shmdt(rw));
	T_OK(B->shmctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
