/*
 * sem-semget-noent.c - a key with no set and no IPC_CREAT is ENOENT, with
 * or without IPC_EXCL, and the call makes nothing.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	key_t key = t_key(1);

	T_FAIL_ERRNO(B->semget(key, 1, 0), ENOENT);
	T_FAIL_ERRNO(B->semget(key, 1, 0600), ENOENT);
	T_FAIL_ERRNO(B->semget(key, 1, IPC_EXCL | 0600), ENOENT);
	T_FAIL_ERRNO(B->semget(key, 0, 0), ENOENT);
	T_FAIL_ERRNO(B->semget(key, 1, 0), ENOENT);

	int id = T_OK(B->semget(key, 1, IPC_CREAT | IPC_EXCL | 0600));
	T_EQ(B->semget(key, 1, 0), id);
	return 0;
}
