/*
 * msg-eintr-rcv: a signal whose handler runs interrupts a blocked msgrcv
 * with EINTR, even when the handler was installed with SA_RESTART: System
 * V calls are never restarted. Nothing is taken from the queue, and the
 * queue works as before afterwards.
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
	struct msg m = {1, "other type"};

	int id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	T_OK(B->msgsnd(id, &m, 10, 0));

	pid_t pid = t_fork();
	if (pid == 0) {
		struct msg r;
		t_signal(SIGUSR1, on_signal, SA_RESTART);
		T_FAIL_ERRNO(B->msgrcv(id, &r, sizeof(r.mtext), 2, 0), EINTR);
		T_EQ(caught, 1);
		t_barrier_wait(bar);

		/* Without SA_RESTART, the same. */
		t_signal(SIGUSR1, on_signal, 0);
		T_FAIL_ERRNO(B->msgrcv(id, &r, sizeof(r.mtext), 1, MSG_EXCEPT),
			     EINTR);
		T_EQ(caught, 2);
		t_barrier_wait(bar);

		/* And it still receives. */
		T_EQ(T_OK(B->msgrcv(id, &r, sizeof(r.mtext), 3, 0)), 5);
		T_ASSERT(!memcmp(r.mtext, "after", 5));
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
	T_EQ(ds.msg_lrpid, 0);
	m.mtype = 3;
	strcpy(m.mtext, "after");
	T_OK(B->msgsnd(id, &m, 5, 0));
	t_wait_ok(pid);
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 1, IPC_NOWAIT)), 10);
	return T_EXIT_PASS;
}
