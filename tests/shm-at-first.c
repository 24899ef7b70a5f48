/*
 * shm-at-first.c - the creator's first shmat, which ipckit serves from the
 * mapping shmget made (the spare), behaves as any attach: shared with a
 * forked child that attaches through its inherited copy, counted, gone
 * after shmdt (a later shmdt there is EINVAL), and a munmap() of it behind
 * the library's back detaches it. A first attach the spare cannot serve
 * (read-only, at an address) gets a mapping of its own.
 */
#include "helpers.h"

#include <sys/mman.h>

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	long page = sysconf(_SC_PAGESIZE);

	/* A child forked between shmget and the first shmat. */
	int id = T_OK(B->shmget(IPC_PRIVATE, 3 * page, IPC_CREAT | 0600));
	int go[2], done[2];
	char c;
	T_OK(pipe(go));
	T_OK(pipe(done));
	pid_t pid = t_fork();
	if (pid == 0) {
		char *q = B->shmat(id, NULL, 0);
		if (q == (void *)-1)
			_exit(10);
		strcpy(q + page, "child");
		if (write(done[1], "d", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(11);
		_exit(B->shmdt(q) == 0 ? 0 : 12);
	}
	T_EQ(read(done[0], &c, 1), 1);
	char *p = T_OK(B->shmat(id, NULL, 0));
	T_ASSERT(strcmp(p + page, "child") == 0);
	T_EQ(t_shm_nattch(id), 2);
	p[3 * page - 1] = 'e';
	T_EQ(write(go[1], "g", 1), 1);
	t_wait_ok(pid);
	T_EQ(t_shm_nattch(id), 1);
	T_OK(B->shmdt(p));
	T_EQ(t_shm_nattch(id), 0);
	T_FAIL_ERRNO(B->shmdt(p), EINVAL);

	/* Attached again: the data is still there. */
	p = T_OK(B->shmat(id, NULL, 0));
	T_EQ(p[3 * page - 1], 'e');
	T_OK(B->shmdt(p));
	T_OK(B->shmctl(id, IPC_RMID, NULL));

	/* Unmapped behind the library's back: detached, shmdt is EINVAL. */
	id = T_OK(B->shmget(IPC_PRIVATE, 2 * page, IPC_CREAT | 0600));
	p = T_OK(B->shmat(id, NULL, 0));
	p[0] = 'x';
	T_EQ(t_shm_nattch(id), 1);
	T_OK(munmap(p, 2 * page));
	T_FAIL_ERRNO(B->shmdt(p), EINVAL);
	T_EQ(t_shm_nattch(id), 0);
	T_OK(B->shmctl(id, IPC_RMID, NULL));

	/* A read-only first attach: its own mapping, reading zeros. */
	id = T_OK(B->shmget(IPC_PRIVATE, page, IPC_CREAT | 0600));
	const char *ro = T_OK(B->shmat(id, NULL, SHM_RDONLY));
	T_EQ(ro[0], 0);
	char *rw = T_OK(B->shmat(id, NULL, 0));
	rw[0] = 'w';
	T_EQ(ro[0], 'w');
	T_EQ(t_shm_nattch(id), 2);
	T_OK(B->shmdt(ro));
	T_OK(B->shmdt(rw));
	T_OK(B->shmctl(id, IPC_RMID, NULL));

	/* A first attach at an address: there, and nowhere else. */
	id = T_OK(B->shmget(IPC_PRIVATE, page, IPC_CREAT | 0600));
	char *want = mmap(NULL, 4 * (size_t)SHMLBA, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	T_ASSERT(want != MAP_FAILED);
	uintptr_t lba = SHMLBA;
	char *at = (char *)(((uintptr_t)want + lba - 1) & ~(lba - 1));
	T_OK(munmap(want, 4 * (size_t)SHMLBA));
	p = T_OK(B->shmat(id, at, 0));
	T_ASSERT(p == at);
	p[0] = 'a';
	T_EQ(t_shm_nattch(id), 1);
	T_OK(B->shmdt(p));
	T_EQ(t_shm_nattch(id), 0);
	T_OK(B->shmctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
