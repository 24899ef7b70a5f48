/*
 * msg-snd-einval: msgsnd refuses with EINVAL an mtype below 1 and a size
 * above msgmax, including "negative" sizes (a size_t with the sign bit
 * set); exactly msgmax is accepted. These checks come before the queue's
 * room is looked at: a full queue under IPC_NOWAIT still says EINVAL.
 * msgrcv likewise refuses a negative size with EINVAL.
 */
#include "helpers.h"

#include <limits.h>

static struct {
	long mtype;
	char mtext[65536];
} m;

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	size_t msgmax = (size_t)t_sysctl("msgmax");
	T_ASSERT(msgmax < sizeof(m.mtext));
	struct msqid_ds ds;

	int id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	m.mtype = 0;
	T_FAIL_ERRNO(B->msgsnd(id, &m, 1, 0), EINVAL);
	T_FAIL_ERRNO(B->msgsnd(id, &m, 0, IPC_NOWAIT), EINVAL);
	m.mtype = -1;
	T_FAIL_ERRNO(B->msgsnd(id, &m, 1, 0), EINVAL);
	m.mtype = LONG_MIN;
	T_FAIL_ERRNO(B->msgsnd(id, &m, 1, 0), EINVAL);

	m.mtype = 1;
	T_FAIL_ERRNO(B->msgsnd(id, &m, msgmax + 1, 0), EINVAL);
	/*
	 * AddressSanitizer's msgsnd interceptor checks the whole buffer
	 * before the kernel sees the size, so under it these huge sizes go
	 * only to ipckit.
	 */
	if (!(B->is_kernel && t_under_asan())) {
		T_FAIL_ERRNO(B->msgsnd(id, &m, (size_t)-1, 0), EINVAL);
		T_FAIL_ERRNO(B->msgsnd(id, &m, (size_t)LONG_MAX + 1, 0),
			     EINVAL);
		T_FAIL_ERRNO(B->msgsnd(id, &m, (size_t)-msgmax, IPC_NOWAIT),
			     EINVAL);
		T_FAIL_ERRNO(B->msgsnd(id, &m, (size_t)INT_MAX + 1, 0),
			     EINVAL);
	}
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 0);
	T_EQ(ds.msg_lspid, 0);
	T_EQ(ds.msg_stime, 0);

	T_OK(B->msgsnd(id, &m, msgmax, IPC_NOWAIT));
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 1);
	T_EQ(ds.msg_cbytes, msgmax);

	/* A full queue: the bad arguments still win over EAGAIN. */
	ds.msg_qbytes = 0;
	T_OK(B->msgctl(id, IPC_SET, &ds));
	T_FAIL_ERRNO(B->msgsnd(id, &m, 0, IPC_NOWAIT), EAGAIN);
	m.mtype = 0;
	T_FAIL_ERRNO(B->msgsnd(id, &m, 0, IPC_NOWAIT), EINVAL);
	m.mtype = 1;
	T_FAIL_ERRNO(B->msgsnd(id, &m, msgmax + 1, IPC_NOWAIT), EINVAL);

	T_FAIL_ERRNO(B->msgrcv(id, &m, (size_t)-1, 0, IPC_NOWAIT), EINVAL);
	T_FAIL_ERRNO(B->msgrcv(id, &m, (size_t)LONG_MAX + 1, 0, IPC_NOWAIT),
		     EINVAL);
	/* msgrcv takes sizes above msgmax: the message fits. */
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT)), msgmax);
	return T_EXIT_PASS;
}
