/*
 * preload-signal-reenter: a signal handler that makes System V calls while
 * its thread is blocked inside one is served by ipckit too. fakeroot's
 * faked does this: blocked in msgrcv, its SIGTERM handler removes its
 * queues. The preload library forwards a System V call that arrives while
 * the thread is already inside ipckit to the kernel (the re-entry guard),
 * except while the thread is parked in ipckit's futex wait, where it holds
 * no lock; sending these calls to the kernel would name objects the kernel
 * does not have. On the kernel the same handler works the same way.
 */
#include "preload-common.h"

#include <signal.h>

struct msg {
	long mtype;
	char mtext[8];
};

static int blocked_id, other_id;
static volatile sig_atomic_t removed, sent;

static void on_usr1(int sig)
{
	int e = errno;
	struct msg m = {5, "handler"};
	sent = msgsnd(other_id, &m, 7, IPC_NOWAIT) == 0;
	removed = msgctl(blocked_id, IPC_RMID, NULL) == 0;
	errno = e;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_KERNEL);
	key_t bkey = pl_key(PL_MSG, 1), okey = pl_key(PL_MSG, 2);
	blocked_id = T_OK(B->msgget(bkey, IPC_CREAT | 0600));
	other_id = T_OK(B->msgget(okey, IPC_CREAT | 0600));
	PL_ASSERT_PLACED(PL_MSG, bkey);

	pid_t pid = t_fork();
	if (pid == 0) {
		t_signal(SIGUSR1, on_usr1, 0);
		struct msg r;
		/*
		 * The kernel ends the wait for the signal before the handler
		 * runs: EINTR, although the queue is gone when msgrcv returns.
		 */
		T_FAIL_ERRNO(B->msgrcv(blocked_id, &r, sizeof(r.mtext), 0, 0),
			     EINTR);
		T_ASSERT(sent);
		T_ASSERT(removed);
		_exit(0);
	}
	t_wait_blocked(pid);
	T_OK(kill(pid, SIGUSR1));
	t_wait_ok(pid);

	/* The handler's calls reached the objects this run made. */
	T_FAIL_ERRNO(B->msgget(bkey, 0), ENOENT);
	T_ASSERT(!pl_dir_has(PL_MSG, bkey) && !pl_kernel_has(PL_MSG, bkey));
	struct msg r;
	T_EQ(T_OK(B->msgrcv(other_id, &r, sizeof(r.mtext), 5, IPC_NOWAIT)), 7);
	return 0;
}
