/*
 * preload-fork-exec: a program that forks and execs helpers sees one set
 * of objects. The children inherit LD_PRELOAD and IPCKIT_DIR through the
 * environment, so an exec'd helper is served by the same preload library
 * in the same namespace: it finds the parent's queue and segment by key,
 * and what it writes the parent reads. This program is its own helper
 * (re-executed with --child), since exec is what is tested.
 */
#include "preload-common.h"

#include <sys/wait.h>

struct msg {
	long mtype;
	char mtext[16];
};

/* The exec'd helper: plain System V calls, no test set-up of its own. */
static int child_main(char **argv)
{
	key_t mkey = (key_t)strtol(argv[2], NULL, 0);
	key_t hkey = (key_t)strtol(argv[3], NULL, 0);
	bool parent_preloaded = atoi(argv[4]);
	if (pl_active() != parent_preloaded)
		return 2;
	int mid = msgget(mkey, 0);
	int hid = shmget(hkey, 0, 0);
	if (mid < 0 || hid < 0)
		return 3;
	char *p = shmat(hid, NULL, 0);
	if (p == (void *)-1)
		return 4;
	struct msg m = {2, ""};
	snprintf(m.mtext, sizeof(m.mtext), "%s", p);
	strcpy(p, "from child");
	shmdt(p);
	return msgsnd(mid, &m, strlen(m.mtext), 0) < 0 ? 5 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "--child"))
		return child_main(argv);
	t_init(argc, argv, T_KERNEL);

	key_t mkey = pl_key(PL_MSG, 1), hkey = pl_key(PL_SHM, 2);
	int mid = T_OK(B->msgget(mkey, IPC_CREAT | 0600));
	int hid = T_OK(B->shmget(hkey, 4096, IPC_CREAT | 0600));
	char *p = T_OK(B->shmat(hid, NULL, 0));
	strcpy(p, "from parent");

	pid_t pid = t_fork();
	if (pid == 0) {
		char k1[16], k2[16], pre[4];
		snprintf(k1, sizeof(k1), "%d", (int)mkey);
		snprintf(k2, sizeof(k2), "%d", (int)hkey);
		snprintf(pre, sizeof(pre), "%d", pl_active());
		execl("/proc/self/exe", argv[0], "--child", k1, k2, pre,
		      (char *)NULL);
		_exit(127);
	}
	T_EQ(t_wait_exit(pid), 0);

	struct msg r;
	T_EQ(T_OK(B->msgrcv(mid, &r, sizeof(r.mtext), 2, IPC_NOWAIT)), 11);
	T_ASSERT(!memcmp(r.mtext, "from parent", 11));
	T_ASSERT(!strcmp(p, "from child"));
	PL_ASSERT_PLACED(PL_MSG, mkey);
	PL_ASSERT_PLACED(PL_SHM, hkey);
	T_OK(B->shmdt(p));
	return 0;
}
