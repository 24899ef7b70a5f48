/*
 * A process killed while removing an object, after marking it removed
 * and before waking its waiters, leaves no waiter asleep: a receiver
 * blocked on the queue and a waiter blocked on a semaphore set fail with
 * EIDRM soon after (each looks up at least every second), and the next
 * process to lock the object finishes the removal.
 */
#include "helpers.h"

#include <signal.h>

static void remove_and_die(int msqid, int semid)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		setenv("IPCKIT_FAULT", "remove-marked", 1);
		if (msqid >= 0)
			ipckit_msgctl(msqid, IPC_RMID, NULL);
		else
			ipckit_semctl(semid, 0, IPC_RMID);
		_exit(3);
	}
	T_EQ(t_wait_signal(pid), SIGKILL);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_IPCKIT);

	int q = T_OK(ipckit_msgget(IPC_PRIVATE, 0600));
	pid_t rcv = t_fork();
	if (rcv == 0) {
		struct {
			long mtype;
			char t[8];
		} m;
		T_FAIL_ERRNO(ipckit_msgrcv(q, &m, sizeof(m.t), 0, 0), EIDRM);
		_exit(0);
	}
	t_wait_blocked(rcv);
	remove_and_die(q, -1);
	t_wait_ok(rcv);

	int s = T_OK(ipckit_semget(IPC_PRIVATE, 1, 0600));
	pid_t waiter = t_fork();
	if (waiter == 0) {
		struct sembuf p = {0, -1, 0};
		T_FAIL_ERRNO(ipckit_semop(s, &p, 1), EIDRM);
		_exit(0);
	}
	t_wait_blocked(waiter);
	remove_and_die(-1, s);
	t_wait_ok(waiter);

	struct msqid_ds ds;
	T_FAIL_ERRNO(ipckit_msgctl(q, IPC_STAT, &ds), EINVAL);
	return 0;
}
