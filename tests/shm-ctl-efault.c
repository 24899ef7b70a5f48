/*
 * shm-ctl-efault.c - a buffer shmctl must write or read that is NULL,
 * unmapped, running into an unmapped page, or (to be written) read-only
 * gives EFAULT, and a failed IPC_SET changes nothing. IPC_SET only reads
 * its buffer; IPC_RMID, SHM_LOCK and SHM_UNLOCK do not look at it.
 */
#include "helpers.h"

#include <sys/mman.h>

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	long page = sysconf(_SC_PAGESIZE);
	struct shmid_ds ds;

	/* Page 0 read-write, page 1 read-only, page 2 unmapped. */
	char *m = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	T_ASSERT(m != MAP_FAILED);
	T_OK(munmap(m + 2 * page, page));
	T_OK(mprotect(m + page, page, PROT_READ));
	void *gone = m + 2 * page;
	void *ro = m + page;
	void *edge = m + 2 * page - 8; /* starts mapped, runs off the end */
	void *ro_edge = m + page - 8;  /* starts writable, runs read-only */

	int id = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0640));
	void *bufs[] = {NULL, gone, edge};
	for (size_t i = 0; i < 3; i++) {
		T_FAIL_ERRNO(B->shmctl(id, IPC_STAT, bufs[i]), EFAULT);
		T_FAIL_ERRNO(B->shmctl(id, IPC_SET, bufs[i]), EFAULT);
		T_FAIL_ERRNO(B->shmctl(0, IPC_INFO, bufs[i]), EFAULT);
		T_FAIL_ERRNO(B->shmctl(0, SHM_INFO, bufs[i]), EFAULT);
	}
	T_FAIL_ERRNO(B->shmctl(id, IPC_STAT, ro), EFAULT);
	T_FAIL_ERRNO(B->shmctl(id, IPC_STAT, ro_edge), EFAULT);
	T_FAIL_ERRNO(B->shmctl(0, IPC_INFO, ro), EFAULT);
	T_FAIL_ERRNO(B->shmctl(0, SHM_INFO, ro), EFAULT);

	/* SHM_STAT and SHM_STAT_ANY, at the index that names our segment. */
	struct shm_info info;
	int max = T_OK(B->shmctl(0, SHM_INFO, (struct shmid_ds *)&info));
	int idx = -1;
	for (int i = 0; i <= max && idx < 0; i++)
		if (B->shmctl(i, SHM_STAT, &ds) == id)
			idx = i;
	T_ASSERT(idx >= 0);
	T_FAIL_ERRNO(B->shmctl(idx, SHM_STAT, NULL), EFAULT);
	T_FAIL_ERRNO(B->shmctl(idx, SHM_STAT, gone), EFAULT);
	T_FAIL_ERRNO(B->shmctl(idx, SHM_STAT_ANY, NULL), EFAULT);
	T_FAIL_ERRNO(B->shmctl(idx, SHM_STAT_ANY, ro), EFAULT);

	/* IPC_SET from read-only memory works: it is only read. */
	T_OK(B->shmctl(id, IPC_STAT, &ds));
	T_EQ(ds.shm_perm.mode, 0640);
	ds.shm_perm.mode = 0604;
	memcpy(m + page - sizeof(ds), &ds, sizeof(ds));
	T_OK(mprotect(m, page, PROT_READ));
	T_OK(
	    B->shmctl(id, IPC_SET, (struct shmid_ds *)(m + page - sizeof(ds))));
	T_OK(B->shmctl(id, IPC_STAT, &ds));
	T_EQ(ds.shm_perm.mode, 0604);

	/* The failed IPC_SETs above changed nothing else. */
	T_EQ(ds.shm_perm.uid, geteuid());
	T_EQ(ds.shm_perm.gid, getegid());

	/* A removed id: IPC_SET reads its buffer before looking it up. */
	int dead = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	T_OK(B->shmctl(dead, IPC_RMID, NULL));
	T_FAIL_ERRNO(B->shmctl(dead, IPC_SET, NULL), EFAULT);

	T_OK(B->shmctl(id, SHM_LOCK, gone));
	T_OK(B->shmctl(id, SHM_UNLOCK, gone));
	T_OK(B->shmctl(id, IPC_RMID, gone));
	return T_EXIT_PASS;
}
