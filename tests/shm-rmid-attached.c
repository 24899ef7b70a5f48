/*
 * shm-rmid-attached.c - IPC_RMID on an attached segment marks it for
 * destruction (SHM_DEST in the mode, as ipcs shows it) and frees its key at
 * once: the key now reads as IPC_PRIVATE, opening it is ENOENT and
 * IPC_CREAT|IPC_EXCL makes a new segment with a different id, while the
 * old one stays usable by id. IPC_RMID again on it is allowed.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	key_t key = t_key(1);
	struct shmid_ds ds;

	int id = T_OK(B->shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0640));
	char *p = T_OK(B->shmat(id, NULL, 0));
	strcpy(p, "old");

	T_OK(B->shmctl(id, IPC_RMID, NULL));
	T_OK(B->shmctl(id, IPC_STAT, &ds));
	T_EQ(ds.shm_perm.mode, SHM_DEST | 0640);
	T_EQ(ds.shm_perm.__key, IPC_PRIVATE);
	T_EQ(ds.shm_nattch, 1);
	T_EQ(ds.shm_segsz, 4096);

	T_FAIL_ERRNO(B->shmget(key, 0, 0), ENOENT);
	int next = T_OK(B->shmget(key, 8192, IPC_CREAT | IPC_EXCL | 0600));
	T_ASSERT(next != id);
	T_EQ(T_OK(B->shmget(key, 0, 0)), next);
	char *q = T_OK(B->shmat(next, NULL, 0));
	T_EQ(q[0], 0);
	strcpy(q, "new");
	T_ASSERT(strcmp(p, "old") == 0);

	/* Removing it again changes nothing. */
	T_OK(B->shmctl(id, IPC_RMID, NULL));
	T_OK(B->shmctl(id, IPC_STAT, &ds));
	T_EQ(ds.shm_perm.mode, SHM_DEST | 0640);
	T_EQ(ds.shm_nattch, 1);

	/* Another process sees the same through the id and the key. */
	pid_t pid = t_fork();
	if (pid == 0) {
		struct shmid_ds c;
		T_OK(B->shmctl(id, IPC_STAT, &c));
		T_EQ(c.shm_perm.mode, SHM_DEST | 0640);
		T_EQ(c.shm_nattch, 2); /* its inherited attach counts */
		T_EQ(T_OK(B->shmget(key, 0, 0)), next);
		_exit(0);
	}
	t_wait_ok(pid);

	/* The new segment under the key is unaffected by the old one going. */
	T_OK(B->shmdt(p));
	T_FAIL_ERRNO(B->shmctl(id, IPC_STAT, &ds), EINVAL);
	T_EQ(T_OK(B->shmget(key, 0, 0)), next);
	T_OK(B->shmctl(next, IPC_STAT, &ds));
	T_EQ(ds.shm_perm.mode, 0600);
	T_EQ(ds.shm_segsz, 8192);
	T_ASSERT(strcmp(q, "new") == 0);
	T_OK(B->shmdt(q));
	T_OK(B->shmctl(next, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
