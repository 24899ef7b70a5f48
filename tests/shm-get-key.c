/*
 * shm-get-key.c - the key rules: a missing key without IPC_CREAT is ENOENT;
 * IPC_CREAT makes the segment once and then opens it (keeping its mode);
 * IPC_CREAT|IPC_EXCL on an existing key is EEXIST, IPC_EXCL alone just
 * opens; distinct keys name distinct segments, in every process.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	key_t key = t_key(1);
	struct shmid_ds ds;

	T_FAIL_ERRNO(B->shmget(key, 4096, 0600), ENOENT);
	T_FAIL_ERRNO(B->shmget(key, 0, 0), ENOENT);
	T_FAIL_ERRNO(B->shmget(key, 4096, IPC_EXCL | 0600), ENOENT);

	int id = T_OK(B->shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0640));
	T_EQ(T_OK(B->shmget(key, 4096, IPC_CREAT | 0666)), id);
	T_EQ(T_OK(B->shmget(key, 4096, 0)), id);
	T_EQ(T_OK(B->shmget(key, 4096, IPC_EXCL)), id);
	T_FAIL_ERRNO(B->shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0600), EEXIST);

	T_OK(B->shmctl(id, IPC_STAT, &ds));
	T_EQ(ds.shm_perm.__key, key);
	T_EQ(ds.shm_perm.mode, 0640);

	int other = T_OK(B->shmget(t_key(2), 4096, IPC_CREAT | 0600));
	T_ASSERT(other != id);

	/* Another process finds the same segment by key. */
	pid_t pid = t_fork();
	if (pid == 0) {
		T_EQ(T_OK(B->shmget(key, 0, 0)), id);
		T_EQ(T_OK(B->shmget(t_key(2), 0, 0)), other);
		_exit(0);
	}
	t_wait_ok(pid);

	T_OK(B->shmctl(id, IPC_RMID, NULL));
	T_FAIL_ERRNO(B->shmget(key, 0, 0), ENOENT);
	T_OK(B->shmctl(other, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
