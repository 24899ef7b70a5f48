/*
 * preload-eintr-restart: under the preload library, as on the kernel, a
 * handler installed with SA_RESTART interrupts a blocked msgrcv, msgsnd,
 * semop and semtimedop with EINTR: System V calls are never restarted.
 * ipckit's futex waits always carry a deadline, which the kernel does not
 * restart (futex.c); this proves it holds for an unmodified program, whose
 * objects are checked to be ipckit's.
 */
#include "preload-common.h"

#include <signal.h>

struct msg {
	long mtype;
	char mtext[8];
};

union semun_ {
	int val;
};

static volatile sig_atomic_t caught;

static void on_usr1(int sig)
{
	caught++;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_KERNEL);
	struct t_barrier *bar = t_barrier_create(2);

	key_t ekey = pl_key(PL_MSG, 1), fkey = pl_key(PL_MSG, 2);
	key_t skey = pl_key(PL_SEM, 3);
	int empty = T_OK(B->msgget(ekey, IPC_CREAT | 0600));
	int full = T_OK(B->msgget(fkey, IPC_CREAT | 0600));
	int sid = T_OK(B->semget(skey, 1, IPC_CREAT | 0600));
	PL_ASSERT_PLACED(PL_MSG, ekey);
	PL_ASSERT_PLACED(PL_MSG, fkey);
	PL_ASSERT_PLACED(PL_SEM, skey);

	/* A queue that holds 8 bytes, full. */
	struct msqid_ds ds;
	T_OK(B->msgctl(full, IPC_STAT, &ds));
	ds.msg_qbytes = 8;
	T_OK(B->msgctl(full, IPC_SET, &ds));
	struct msg m = {1, "1234567"};
	T_OK(B->msgsnd(full, &m, 8, 0));

	pid_t pid = t_fork();
	if (pid == 0) {
		t_signal(SIGUSR1, on_usr1, SA_RESTART);
		struct msg r;
		T_FAIL_ERRNO(B->msgrcv(empty, &r, sizeof(r.mtext), 0, 0),
			     EINTR);
		T_EQ(caught, 1);
		t_barrier_wait(bar);

		T_FAIL_ERRNO(B->msgsnd(full, &m, 8, 0), EINTR);
		T_EQ(caught, 2);
		t_barrier_wait(bar);

		struct sembuf down = {0, -1, 0};
		T_FAIL_ERRNO(B->semop(sid, &down, 1), EINTR);
		T_EQ(caught, 3);
		t_barrier_wait(bar);

		struct timespec ts = t_ms((long)(60000 * t_time_mult()));
		T_FAIL_ERRNO(B->semtimedop(sid, &down, 1, &ts), EINTR);
		T_EQ(caught, 4);
		_exit(0);
	}
	for (int i = 0; i < 4; i++) {
		t_wait_blocked(pid);
		T_OK(kill(pid, SIGUSR1));
		if (i < 3)
			t_barrier_wait(bar);
	}
	t_wait_ok(pid);

	/* Nothing was taken or added. */
	T_OK(B->msgctl(full, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 1);
	T_OK(B->msgctl(empty, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 0);
	T_EQ(T_OK(B->semctl(sid, 0, GETVAL)), 0);
	(void)sizeof(union semun_);
	return 0;
}
