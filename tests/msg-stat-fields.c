/*
 * msg-stat-fields: IPC_STAT reports a new queue as the kernel does (key,
 * owner and creator ids, mode, msg_qbytes = msgmnb, zero counters, pids
 * and times, msg_ctime set), and then keeps msg_qnum and msg_cbytes
 * exact, msg_lspid the process that last sent, msg_lrpid the one that
 * last received, including a message handed directly to a waiting
 * receiver. Failed calls change none of them.
 */
#include "helpers.h"

struct msg {
	long mtype;
	char mtext[128];
};

static int id;

static void expect(unsigned long qnum, unsigned long cbytes, pid_t lspid,
		   pid_t lrpid)
{
	struct msqid_ds ds;
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, qnum);
	T_EQ(ds.msg_cbytes, cbytes);
	T_EQ(ds.msg_lspid, lspid);
	T_EQ(ds.msg_lrpid, lrpid);
}

static pid_t child_send(long mtype, size_t size)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		struct msg m = {mtype, {0}};
		T_OK(B->msgsnd(id, &m, size, 0));
		_exit(0);
	}
	t_wait_ok(pid);
	return pid;
}

static pid_t child_receive(long msgtyp, ssize_t size)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		struct msg m;
		T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), msgtyp, 0)), size);
		_exit(0);
	}
	t_wait_ok(pid);
	return pid;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	unsigned long msgmnb = (unsigned long)t_sysctl("msgmnb");
	key_t key = t_key(1);
	struct msqid_ds ds;
	struct msg m = {1, {0}};

	time_t before = time(NULL);
	id = T_OK(B->msgget(key, IPC_CREAT | 0640));
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_perm.__key, key);
	T_EQ(ds.msg_perm.uid, geteuid());
	T_EQ(ds.msg_perm.gid, getegid());
	T_EQ(ds.msg_perm.cuid, geteuid());
	T_EQ(ds.msg_perm.cgid, getegid());
	T_EQ(ds.msg_perm.mode, 0640);
	T_EQ(ds.msg_qbytes, msgmnb);
	T_EQ(ds.msg_qnum, 0);
	T_EQ(ds.msg_cbytes, 0);
	T_EQ(ds.msg_lspid, 0);
	T_EQ(ds.msg_lrpid, 0);
	T_EQ(ds.msg_stime, 0);
	T_EQ(ds.msg_rtime, 0);
	T_ASSERT(ds.msg_ctime >= before);
	/* One second of slack: the clock read may be coarser than ours. */
	T_ASSERT(ds.msg_ctime <= time(NULL) + 1);

	/* Every queue starts at msgmnb, whatever others were set to. */
	ds.msg_qbytes = 100;
	T_OK(B->msgctl(id, IPC_SET, &ds));
	int other = T_OK(B->msgget(IPC_PRIVATE, 0600));
	T_OK(B->msgctl(other, IPC_STAT, &ds));
	T_EQ(ds.msg_qbytes, msgmnb);
	T_OK(B->msgctl(other, IPC_RMID, NULL));
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	ds.msg_qbytes = msgmnb;
	T_OK(B->msgctl(id, IPC_SET, &ds));

	pid_t s1 = child_send(1, 10);
	expect(1, 10, s1, 0);
	pid_t s2 = child_send(2, 100);
	expect(2, 110, s2, 0);
	T_OK(B->msgsnd(id, &m, 0, 0));
	expect(3, 110, getpid(), 0);
	pid_t r1 = child_receive(2, 100);
	expect(2, 10, getpid(), r1);
	pid_t r2 = child_receive(0, 10);
	expect(1, 0, getpid(), r2);

	/* Failures: EAGAIN, ENOMSG, E2BIG, EINVAL change nothing. */
	m.mtype = 5;
	T_OK(B->msgsnd(id, &m, 50, 0));
	ds.msg_qbytes = 50;
	T_OK(B->msgctl(id, IPC_SET, &ds));
	T_FAIL_ERRNO(B->msgsnd(id, &m, 1, IPC_NOWAIT), EAGAIN);
	T_FAIL_ERRNO(B->msgrcv(id, &m, 10, 9, IPC_NOWAIT), ENOMSG);
	T_FAIL_ERRNO(B->msgrcv(id, &m, 10, 5, IPC_NOWAIT), E2BIG);
	m.mtype = 0;
	T_FAIL_ERRNO(B->msgsnd(id, &m, 1, IPC_NOWAIT), EINVAL);
	expect(2, 50, getpid(), r2);

	/* A message handed to a waiting receiver. */
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, 0)), 0);
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, 0)), 50);
	expect(0, 0, getpid(), getpid());
	pid_t waiter = t_fork();
	if (waiter == 0) {
		struct msg r;
		T_EQ(T_OK(B->msgrcv(id, &r, sizeof(r.mtext), 0, 0)), 7);
		_exit(0);
	}
	t_wait_blocked(waiter);
	pid_t s3 = child_send(3, 7);
	t_wait_ok(waiter);
	expect(0, 0, s3, waiter);
	return T_EXIT_PASS;
}
