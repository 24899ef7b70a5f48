/*
 * msg-get-nospc: no more than msgmni queues exist at once; making one more
 * fails with ENOSPC, keyed or private, while opening an existing queue
 * still works; removing a queue makes room for one again.
 *
 * msgmni (32000 by default) is lowered in a private IPC namespace, so the
 * test neither takes every queue of the machine nor depends on how many
 * other queues exist. Needs the right to unshare the IPC namespace; the
 * private namespace directory of the run plays that part for ipckit, and
 * ipckit reads the limit from the namespace's /proc/sys/kernel/msgmni.
 */
#include "helpers.h"

#include <sched.h>

#define MNI 8

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	if (unshare(CLONE_NEWIPC) < 0)
		t_skip("cannot unshare the IPC namespace: %s", strerror(errno));
	/* Before the first System V call, so every back end sees it. */
	FILE *f = fopen("/proc/sys/kernel/msgmni", "w");
	if (!f || fprintf(f, "%d\n", MNI) < 0 || fclose(f) != 0)
		t_skip("cannot set msgmni in the new namespace");

	int ids[MNI];
	for (int i = 0; i < MNI; i++)
		ids[i] = T_OK(i % 2 ? B->msgget(IPC_PRIVATE, 0600)
				    : B->msgget(t_key(i), IPC_CREAT | 0600));
	T_FAIL_ERRNO(B->msgget(IPC_PRIVATE, 0600), ENOSPC);
	T_FAIL_ERRNO(B->msgget(t_key(100), IPC_CREAT | 0600), ENOSPC);
	T_FAIL_ERRNO(B->msgget(t_key(101), IPC_CREAT | IPC_EXCL | 0600),
		     ENOSPC);
	/* A missing key without IPC_CREAT is still ENOENT. */
	T_FAIL_ERRNO(B->msgget(t_key(100), 0600), ENOENT);
	/* Opening is not making. */
	T_EQ(T_OK(B->msgget(t_key(0), IPC_CREAT | 0600)), ids[0]);
	T_EQ(T_OK(B->msgget(t_key(2), 0)), ids[2]);
	/* An existing key with IPC_EXCL is EEXIST, not ENOSPC. */
	T_FAIL_ERRNO(B->msgget(t_key(0), IPC_CREAT | IPC_EXCL | 0600), EEXIST);

	T_OK(B->msgctl(ids[3], IPC_RMID, NULL));
	int id = T_OK(B->msgget(t_key(100), IPC_CREAT | 0600));
	T_FAIL_ERRNO(B->msgget(IPC_PRIVATE, 0600), ENOSPC);
	T_OK(B->msgctl(id, IPC_RMID, NULL));
	T_OK(B->msgctl(ids[0], IPC_RMID, NULL));
	T_OK(B->msgget(IPC_PRIVATE, 0600));
	T_OK(B->msgget(IPC_PRIVATE, 0600));
	T_FAIL_ERRNO(B->msgget(IPC_PRIVATE, 0600), ENOSPC);
	return T_EXIT_PASS;
}
