/*
 * msg-bad-cmd: msgctl with a command it does not know fails with EINVAL
 * and changes nothing, whether the id is good or not; so does a negative
 * id with a good command that takes no id (IPC_INFO, MSG_INFO).
 */
#include "helpers.h"

#include <limits.h>

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct msqid_ds ds, after;
	/* No commands at all, and semctl/shmctl ones msgctl lacks (14-17). */
	static const int bad[] = {
	    -1, 4, 5, 10, 14, 15, 16, 17, 99, 1000, INT_MAX, INT_MIN,
	};

	int id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct msqid_ds buf = ds;
		buf.msg_perm.mode = 0666;
		buf.msg_qbytes = 10;
		T_FAIL_ERRNO(B->msgctl(id, bad[i], &buf), EINVAL);
		T_FAIL_ERRNO(B->msgctl(id, bad[i], NULL), EINVAL);
		T_FAIL_ERRNO(B->msgctl(-1, bad[i], &buf), EINVAL);
	}
	T_OK(B->msgctl(id, IPC_STAT, &after));
	T_EQ(after.msg_perm.mode, 0600);
	T_EQ(after.msg_qbytes, ds.msg_qbytes);
	T_EQ(after.msg_ctime, ds.msg_ctime);

	struct msginfo mi;
	T_FAIL_ERRNO(B->msgctl(-1, IPC_INFO, (struct msqid_ds *)&mi), EINVAL);
	T_FAIL_ERRNO(B->msgctl(INT_MIN, MSG_INFO, (struct msqid_ds *)&mi),
		     EINVAL);
	return T_EXIT_PASS;
}
