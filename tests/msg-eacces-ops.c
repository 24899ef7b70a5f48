/*
 * msg-eacces-ops: after msgget, each call checks the mode again: msgsnd
 * needs write, msgrcv (MSG_COPY too), IPC_STAT and MSG_STAT need read;
 * MSG_STAT_ANY, IPC_INFO and MSG_INFO need nothing. EACCES comes before
 * looking at the queue's content (no ENOMSG, no E2BIG), but after the
 * argument checks of msgsnd (EINVAL for a bad mtype or size).
 *
 * The other user is a child dropped to nobody; needs root.
 */
#include "helpers.h"

#include <sys/stat.h>

struct msg {
	long mtype;
	char mtext[64];
};

static int id, idx;

static void set_mode(mode_t mode)
{
	struct msqid_ds ds;
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	ds.msg_perm.mode = mode;
	T_OK(B->msgctl(id, IPC_SET, &ds));
}

/*
 * Things that need no permission. `can_open`: the caller has some access
 * to the queue. differs from kernel (docs/DESIGN.md, "Differences"): an
 * ipckit queue's file mode backs its permissions, so a caller with no
 * access at all cannot read it even through MSG_STAT_ANY.
 */
static void always_allowed(bool can_open)
{
	struct msqid_ds ds;
	struct msginfo info;
	if (!t_kernel_serves && !can_open) {
		T_FAIL_ERRNO(B->msgctl(idx, MSG_STAT_ANY, &ds), EACCES);
	} else {
		T_EQ(T_OK(B->msgctl(idx, MSG_STAT_ANY, &ds)), id);
		T_EQ(ds.msg_qnum, 1);
	}
	T_OK(B->msgctl(0, IPC_INFO, (struct msqid_ds *)&info));
	T_OK(B->msgctl(0, MSG_INFO, (struct msqid_ds *)&info));
}

static void no_access(void)
{
	struct msg m = {1, "x"};
	struct msqid_ds ds;

	T_FAIL_ERRNO(B->msgsnd(id, &m, 1, IPC_NOWAIT), EACCES);
	T_FAIL_ERRNO(B->msgsnd(id, &m, 1, 0), EACCES);
	T_FAIL_ERRNO(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT), EACCES);
	T_FAIL_ERRNO(B->msgrcv(id, &m, 1, 0, IPC_NOWAIT), EACCES);
	T_FAIL_ERRNO(B->msgrcv(id, &m, sizeof(m.mtext), 99, IPC_NOWAIT),
		     EACCES);
	T_FAIL_ERRNO(B->msgrcv(id, &m, sizeof(m.mtext), 99, 0), EACCES);
	T_FAIL_ERRNO(
	    B->msgrcv(id, &m, sizeof(m.mtext), 0, MSG_COPY | IPC_NOWAIT),
	    EACCES);
	T_FAIL_ERRNO(B->msgctl(id, IPC_STAT, &ds), EACCES);
	T_FAIL_ERRNO(B->msgctl(idx, MSG_STAT, &ds), EACCES);
	m.mtype = 0;
	T_FAIL_ERRNO(B->msgsnd(id, &m, 1, 0), EINVAL);
	always_allowed(false);
}

static void read_only(void)
{
	struct msg m = {1, "x"};
	struct msqid_ds ds;

	T_FAIL_ERRNO(B->msgsnd(id, &m, 1, IPC_NOWAIT), EACCES);
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 1);
	T_EQ(T_OK(B->msgctl(idx, MSG_STAT, &ds)), id);
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, MSG_COPY | IPC_NOWAIT)),
	     5);
	T_FAIL_ERRNO(B->msgrcv(id, &m, sizeof(m.mtext), 99, IPC_NOWAIT),
		     ENOMSG);
	T_FAIL_ERRNO(B->msgrcv(id, &m, 1, 0, IPC_NOWAIT), E2BIG);
	always_allowed(true);
}

static void write_only(void)
{
	struct msg m = {2, "sent"};
	struct msqid_ds ds;

	T_OK(B->msgsnd(id, &m, 4, IPC_NOWAIT));
	T_FAIL_ERRNO(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT), EACCES);
	T_FAIL_ERRNO(B->msgctl(id, IPC_STAT, &ds), EACCES);
	T_FAIL_ERRNO(B->msgctl(idx, MSG_STAT, &ds), EACCES);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	if (geteuid() != 0)
		t_skip("needs root to check other users");
	T_OK(chmod(t_dir, 01777));
	struct msqid_ds ds;
	struct msginfo info;
	struct msg m = {1, "first"};

	id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	T_OK(B->msgsnd(id, &m, 5, 0));

	/* Find the queue's index by walking every used index. */
	int highest = T_OK(B->msgctl(0, IPC_INFO, (struct msqid_ds *)&info));
	idx = -1;
	for (int i = 0; i <= highest && idx < 0; i++)
		if (B->msgctl(i, MSG_STAT_ANY, &ds) == id)
			idx = i;
	T_ASSERT(idx >= 0);

	t_run_as(T_NOBODY, T_NOBODY, no_access);
	set_mode(0604);
	t_run_as(T_NOBODY, T_NOBODY, read_only);
	set_mode(0602);
	t_run_as(T_NOBODY, T_NOBODY, write_only);
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 2);
	return T_EXIT_PASS;
}
