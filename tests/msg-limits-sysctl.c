/*
 * msg-limits-sysctl: the limits are those of /proc/sys/kernel, not
 * built-in numbers: with msgmax and msgmnb changed, IPC_INFO reports the
 * new values, msgsnd refuses more than msgmax with EINVAL, and a new queue
 * gets msg_qbytes = msgmnb.
 *
 * The limits are changed in a private IPC namespace, before the first
 * System V call, so that nothing else on the machine sees them. Needs the
 * right to unshare it.
 */
#include "helpers.h"

#include <sched.h>

#define MAX 100
#define MNB 1000

static void sysctl_write(const char *name, long v)
{
	char path[128];
	snprintf(path, sizeof(path), "/proc/sys/kernel/%s", name);
	FILE *f = fopen(path, "w");
	if (!f || fprintf(f, "%ld\n", v) < 0 || fclose(f) != 0)
		t_skip("cannot set %s in the new namespace", name);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	if (unshare(CLONE_NEWIPC) < 0)
		t_skip("cannot unshare the IPC namespace: %s", strerror(errno));
	sysctl_write("msgmax", MAX);
	sysctl_write("msgmnb", MNB);
	struct msginfo mi;
	struct msqid_ds ds;
	struct {
		long mtype;
		char mtext[2 * MAX];
	} m = {1, {0}};

	T_OK(B->msgctl(0, IPC_INFO, (struct msqid_ds *)&mi));
	T_EQ(mi.msgmax, MAX);
	T_EQ(mi.msgmnb, MNB);

	int id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qbytes, MNB);
	T_FAIL_ERRNO(B->msgsnd(id, &m, MAX + 1, IPC_NOWAIT), EINVAL);
	for (int i = 0; i < MNB / MAX; i++)
		T_OK(B->msgsnd(id, &m, MAX, IPC_NOWAIT));
	T_FAIL_ERRNO(B->msgsnd(id, &m, 1, IPC_NOWAIT), EAGAIN);
	/* Receiving is not limited by msgmax. */
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT)), MAX);
	return T_EXIT_PASS;
}
