/*
 * msg-get-excl: IPC_CREAT|IPC_EXCL on a key that has a queue fails with
 * EEXIST (whatever the mode asked for) and leaves the queue alone; once the
 * queue is removed, the same call makes a new one.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	key_t key = t_key(1);
	struct msqid_ds ds;

	int id = T_OK(B->msgget(key, IPC_CREAT | IPC_EXCL | 0600));
	T_FAIL_ERRNO(B->msgget(key, IPC_CREAT | IPC_EXCL | 0600), EEXIST);
	T_FAIL_ERRNO(B->msgget(key, IPC_CREAT | IPC_EXCL | 0666), EEXIST);
	T_FAIL_ERRNO(B->msgget(key, IPC_CREAT | IPC_EXCL), EEXIST);
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_perm.mode, 0600);
	T_EQ(T_OK(B->msgget(key, 0)), id);

	T_OK(B->msgctl(id, IPC_RMID, NULL));
	int id2 = T_OK(B->msgget(key, IPC_CREAT | IPC_EXCL | 0644));
	T_OK(B->msgctl(id2, IPC_STAT, &ds));
	T_EQ(ds.msg_perm.mode, 0644);
	T_EQ(ds.msg_perm.__key, key);
	T_FAIL_ERRNO(B->msgget(key, IPC_CREAT | IPC_EXCL | 0644), EEXIST);
	return T_EXIT_PASS;
}
