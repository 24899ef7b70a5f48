/*
 * msg-get-noent: without IPC_CREAT, a key with no queue is ENOENT, whatever
 * else msgflg holds; so is the key of a queue that was removed.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	key_t key = t_key(1);

	T_FAIL_ERRNO(B->msgget(key, 0), ENOENT);
	T_FAIL_ERRNO(B->msgget(key, 0666), ENOENT);
	T_FAIL_ERRNO(B->msgget(key, IPC_EXCL), ENOENT);
	T_FAIL_ERRNO(B->msgget(key, IPC_NOWAIT | 0600), ENOENT);

	int id = T_OK(B->msgget(key, IPC_CREAT | 0600));
	T_EQ(T_OK(B->msgget(key, 0)), id);
	T_OK(B->msgctl(id, IPC_RMID, NULL));
	T_FAIL_ERRNO(B->msgget(key, 0), ENOENT);
	T_FAIL_ERRNO(B->msgget(key, 0600), ENOENT);
	return T_EXIT_PASS;
}
