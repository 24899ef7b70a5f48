/*
 * msg-set-revokes-waiters: permission is checked again whenever a blocked
 * call wakes. A receiver blocked on a queue whose mode IPC_SET then takes
 * its read permission away fails with EACCES (IPC_SET wakes receivers to
 * re-check); a sender that lost write permission fails with EACCES when
 * room appears, instead of sending.
 *
 * The waiters are children dropped to nobody; needs root.
 */
#include "helpers.h"

#include <sys/stat.h>

struct msg {
	long mtype;
	char mtext[16];
};

static void set_mode(int id, mode_t mode)
{
	struct msqid_ds ds;
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	ds.msg_perm.mode = mode;
	T_OK(B->msgctl(id, IPC_SET, &ds));
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	if (geteuid() != 0)
		t_skip("needs root to check other users");
	T_OK(chmod(t_dir, 01777));
	struct msqid_ds ds;
	struct msg m = {1, "full"};

	/* A receiver loses read permission while it waits. */
	int id = T_OK(B->msgget(IPC_PRIVATE, 0666));
	pid_t rcv = t_fork();
	if (rcv == 0) {
		struct msg r;
		t_become(T_NOBODY, T_NOBODY);
		T_FAIL_ERRNO(B->msgrcv(id, &r, sizeof(r.mtext), 0, 0), EACCES);
		_exit(0);
	}
	t_wait_blocked(rcv);
	set_mode(id, 0622);
	t_wait_ok(rcv);

	/* A sender loses write permission while it waits for room. */
	set_mode(id, 0666);
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	ds.msg_qbytes = 16;
	T_OK(B->msgctl(id, IPC_SET, &ds));
	T_OK(B->msgsnd(id, &m, 16, 0));
	pid_t snd = t_fork();
	if (snd == 0) {
		struct msg s = {2, "denied"};
		t_become(T_NOBODY, T_NOBODY);
		T_FAIL_ERRNO(B->msgsnd(id, &s, 6, 0), EACCES);
		_exit(0);
	}
	t_wait_blocked(snd);
	set_mode(id, 0644);
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, 0)), 16);
	t_wait_ok(snd);
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 0);
	T_EQ(ds.msg_lspid, getpid());
	return T_EXIT_PASS;
}
