/*
 * msg-bad-id: ids that name no queue fail with EINVAL in every call:
 * negative ones, and the id of a queue that was removed (not EIDRM: that
 * is only for calls already waiting when it went).
 */
#include "helpers.h"

#include <limits.h>

struct msg {
	long mtype;
	char mtext[16];
};

static void expect_einval(int id)
{
	struct msg m = {1, "x"};
	struct msqid_ds ds;

	T_FAIL_ERRNO(B->msgsnd(id, &m, 1, 0), EINVAL);
	T_FAIL_ERRNO(B->msgsnd(id, &m, 1, IPC_NOWAIT), EINVAL);
	T_FAIL_ERRNO(B->msgrcv(id, &m, sizeof(m.mtext), 0, 0), EINVAL);
	T_FAIL_ERRNO(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT), EINVAL);
	T_FAIL_ERRNO(
	    B->msgrcv(id, &m, sizeof(m.mtext), 0, MSG_COPY | IPC_NOWAIT),
	    EINVAL);
	T_FAIL_ERRNO(B->msgctl(id, IPC_STAT, &ds), EINVAL);
	memset(&ds, 0, sizeof(ds));
	ds.msg_perm.mode = 0600;
	T_FAIL_ERRNO(B->msgctl(id, IPC_SET, &ds), EINVAL);
	T_FAIL_ERRNO(B->msgctl(id, IPC_RMID, NULL), EINVAL);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct msg m = {1, "x"};

	expect_einval(-1);
	expect_einval(INT_MIN);
	expect_einval(-12345);

	int id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	T_OK(B->msgsnd(id, &m, 1, 0));
	T_OK(B->msgctl(id, IPC_RMID, NULL));
	expect_einval(id);

	key_t key = t_key(1);
	id = T_OK(B->msgget(key, IPC_CREAT | 0600));
	T_OK(B->msgctl(id, IPC_RMID, NULL));
	expect_einval(id);
	T_FAIL_ERRNO(B->msgget(key, 0), ENOENT);
	return T_EXIT_PASS;
}
