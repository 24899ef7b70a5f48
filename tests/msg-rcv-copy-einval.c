/*
 * msg-rcv-copy-einval: MSG_COPY is refused with EINVAL without IPC_NOWAIT
 * (it never blocks) and together with MSG_EXCEPT, whether or not there is
 * a message. With MSG_NOERROR and a message longer than msgsz the kernel
 * also says EINVAL (its copy buffer is msgsz long and copy_msg refuses to
 * cut): a quirk, kept.
 */
#include "helpers.h"

struct msg {
	long mtype;
	char mtext[64];
};

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct msqid_ds ds;
	struct msg m = {1, "0123456789"};

	int id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	errno = 0;
	if (B->msgrcv(id, &m, sizeof(m.mtext), 0, MSG_COPY | IPC_NOWAIT) < 0 &&
	    errno == ENOSYS && B->is_kernel)
		t_skip("kernel built without MSG_COPY (CHECKPOINT_RESTORE)");

	/* Empty queue: EINVAL, not a wait and not ENOMSG. */
	T_FAIL_ERRNO(B->msgrcv(id, &m, sizeof(m.mtext), 0, MSG_COPY), EINVAL);
	T_FAIL_ERRNO(B->msgrcv(id, &m, sizeof(m.mtext), 0,
			       MSG_COPY | MSG_EXCEPT | IPC_NOWAIT),
		     EINVAL);

	T_OK(B->msgsnd(id, &m, 10, 0));
	T_FAIL_ERRNO(B->msgrcv(id, &m, sizeof(m.mtext), 0, MSG_COPY), EINVAL);
	T_FAIL_ERRNO(
	    B->msgrcv(id, &m, sizeof(m.mtext), 0, MSG_COPY | MSG_NOERROR),
	    EINVAL);
	T_FAIL_ERRNO(B->msgrcv(id, &m, sizeof(m.mtext), 0,
			       MSG_COPY | MSG_EXCEPT | IPC_NOWAIT),
		     EINVAL);
	T_FAIL_ERRNO(
	    B->msgrcv(id, &m, sizeof(m.mtext), 1, MSG_COPY | MSG_EXCEPT),
	    EINVAL);
	T_FAIL_ERRNO(
	    B->msgrcv(id, &m, 5, 0, MSG_COPY | MSG_NOERROR | IPC_NOWAIT),
	    EINVAL);

	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 1);
	T_EQ(ds.msg_rtime, 0);
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT)), 10);
	return T_EXIT_PASS;
}
