/*
 * msg-rcv-stop-cont: a signal with no handler to run (SIGSTOP, then
 * SIGCONT) does not interrupt a blocked msgrcv or msgsnd: each goes on
 * waiting and completes normally afterwards.
 */
#include "helpers.h"

#include <signal.h>
#include <sys/wait.h>

struct msg {
	long mtype;
	char mtext[16];
};

static void stop_and_continue(pid_t pid)
{
	int status;

	t_wait_blocked(pid);
	T_OK(kill(pid, SIGSTOP));
	T_EQ(waitpid(pid, &status, WUNTRACED), pid);
	T_ASSERT(WIFSTOPPED(status));
	T_OK(kill(pid, SIGCONT));
	T_EQ(waitpid(pid, &status, WCONTINUED), pid);
	T_ASSERT(WIFCONTINUED(status));
	t_wait_blocked(pid);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct msqid_ds ds;
	struct msg m = {4, "wake"};

	int id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	pid_t rcv = t_fork();
	if (rcv == 0) {
		struct msg r;
		T_EQ(T_OK(B->msgrcv(id, &r, sizeof(r.mtext), 4, 0)), 4);
		T_ASSERT(!memcmp(r.mtext, "wake", 4));
		_exit(0);
	}
	stop_and_continue(rcv);
	T_OK(B->msgsnd(id, &m, 4, 0));
	t_wait_ok(rcv);

	T_OK(B->msgctl(id, IPC_STAT, &ds));
	ds.msg_qbytes = 4;
	T_OK(B->msgctl(id, IPC_SET, &ds));
	T_OK(B->msgsnd(id, &m, 4, 0));
	pid_t snd = t_fork();
	if (snd == 0) {
		struct msg s = {5, "next"};
		T_OK(B->msgsnd(id, &s, 4, 0));
		_exit(0);
	}
	stop_and_continue(snd);
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, 0)), 4);
	T_EQ(m.mtype, 4);
	t_wait_ok(snd);
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT)), 4);
	T_EQ(m.mtype, 5);
	return T_EXIT_PASS;
}
