/*
 * msg-rmid-eperm: only the owner, the creator or a privileged process may
 * remove a queue; anyone else gets EPERM whatever the mode bits allow, and
 * the queue stays, messages and all.
 *
 * The other users are children dropped to nobody; needs root.
 */
#include "helpers.h"

#include <grp.h>
#include <linux/capability.h>
#include <sys/stat.h>

#define NOBODY 65534

static int id;

static bool has_cap(int bit)
{
	char line[256];
	unsigned long long eff = 0;
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		t_fail(__FILE__, __LINE__, "/proc/self/status: %s",
		       strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	return eff >> bit & 1;
}

static void drop_to_nobody(void)
{
	if (setgroups(0, NULL) < 0 || setresgid(NOBODY, NOBODY, NOBODY) < 0 ||
	    setresuid(NOBODY, NOBODY, NOBODY) < 0)
		t_fail(__FILE__, __LINE__, "dropping to nobody: %s",
		       strerror(errno));
}

static void run_as_nobody(void (*fn)(void))
{
	pid_t pid = t_fork();
	if (pid == 0) {
		drop_to_nobody();
		fn();
		_exit(0);
	}
	t_wait_ok(pid);
}

static void rmid_refused(void)
{
	T_FAIL_ERRNO(B->msgctl(id, IPC_RMID, NULL), EPERM);
}

static void rmid_allowed(void)
{
	T_OK(B->msgctl(id, IPC_RMID, NULL));
	/*
	 * differs from kernel (docs/DESIGN.md, "Differences"): when the
	 * queue's file belongs to a user other than the remover, the sticky
	 * namespace directory keeps its name until that user or root reaps
	 * it, and a caller the file mode shuts out gets EACCES meanwhile.
	 */
	errno = 0;
	int rc = B->msgctl(id, IPC_RMID, NULL);
	T_EQ(rc, -1);
	if (t_kernel_serves || errno != EACCES)
		T_EQ(errno, EINVAL);
}

static void create_as_nobody(void)
{
	int *shared_id = t_shared_alloc(sizeof(int));
	pid_t pid = t_fork();
	if (pid == 0) {
		drop_to_nobody();
		*shared_id = T_OK(B->msgget(IPC_PRIVATE, 0600));
		_exit(0);
	}
	t_wait_ok(pid);
	id = *shared_id;
}

static void set_owner(uid_t uid, gid_t gid, mode_t mode)
{
	struct msqid_ds ds;
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	ds.msg_perm.uid = uid;
	ds.msg_perm.gid = gid;
	ds.msg_perm.mode = mode;
	T_OK(B->msgctl(id, IPC_SET, &ds));
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	if (geteuid() != 0 || !has_cap(CAP_SETUID) || !has_cap(CAP_SETGID) ||
	    !has_cap(CAP_SYS_ADMIN))
		t_skip("needs root with CAP_SETUID, CAP_SETGID, CAP_SYS_ADMIN");
	T_OK(chmod(t_dir, 01777));
	struct msqid_ds ds;
	struct {
		long mtype;
		char mtext[8];
	} m = {1, "kept"};

	/* Neither owner nor creator: refused even with mode 0777. */
	id = T_OK(B->msgget(IPC_PRIVATE, 0777));
	T_OK(B->msgsnd(id, &m, 4, 0));
	run_as_nobody(rmid_refused);
	set_owner(0, NOBODY, 0777);
	run_as_nobody(rmid_refused);
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 1);
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT)), 4);

	/* The owner may, though root created it. */
	set_owner(NOBODY, NOBODY, 0600);
	run_as_nobody(rmid_allowed);
	T_FAIL_ERRNO(B->msgctl(id, IPC_STAT, &ds), EINVAL);

	/* The creator may, though root gave the queue to someone else. */
	create_as_nobody();
	set_owner(4242, 4242, 0600);
	run_as_nobody(rmid_allowed);

	/* Privilege may remove another user's queue. */
	create_as_nobody();
	T_OK(B->msgctl(id, IPC_RMID, NULL));
	T_FAIL_ERRNO(B->msgctl(id, IPC_STAT, &ds), EINVAL);
	return T_EXIT_PASS;
}
