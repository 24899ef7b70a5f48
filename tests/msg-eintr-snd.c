/*
 * msg-eintr-snd: a signal whose handler runs interrupts a msgsnd blocked
 * on a full queue with EINTR, even when the handler was installed with
 * SA_RESTART: System V calls are never restarted. The message is not
 * queued, and the sender can send once there is room.
 */
#include "helpers.h"

#include <signal.h>

struct msg {
	long mtype;
	char mtext[16];
};

static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
	caught++;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct t_barrier *bar = t_barrier_create(2);
	struct msqid_ds ds;
	struct msg m = {1, "full"};

	int id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	ds.msg_qbytes = 16;
	T_OK(B->msgctl(id, IPC_SET, &ds));
	T_OK(B->msgsnd(id, &m, 16, 0));

	pid_t pid = t_fork();
	if (pid == 0) {
		struct msg s = {2, "blocked"};
		t_signal(SIGUSR1, on_signal, SA_RESTART);
		T_FAIL_ERRNO(B->msgsnd(id, &s, 8, 0), EINTR);
		T_EQ(caught, 1);
		t_barrier_wait(bar);

		t_signal(SIGUSR1, on_signal, 0);
		T_FAIL_ERRNO(B->msgsnd(id, &s, 8, 0), EINTR);
		T_EQ(caught, 2);
		t_barrier_wait(bar);

		s.mtype = 3;
		T_OK(B->msgsnd(id, &s, 8, 0));
		_exit(0);
	}
	t_wait_blocked(pid);
	T_OK(kill(pid, SIGUSR1));
	t_barrier_wait(bar);
	t_wait_blocked(pid);
	T_OK(kill(pid, SIGUSR1));
	t_barrier_wait(bar);
	t_wait_blocked(pid);

	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 1);
	T_EQ(ds.msg_cbytes, 16);
	T_EQ(ds.msg_lspid, getpid());

	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, 0)), 16);
	t_wait_ok(pid);
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT)), 8);
	T_EQ(m.mtype, 3);
	T_FAIL_ERRNO(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT), ENOMSG);
	return T_EXIT_PASS;
}
