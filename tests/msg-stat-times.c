/*
 * msg-stat-times: msg_stime is set by each successful send, msg_rtime by
 * each successful receive (not by MSG_COPY), msg_ctime at creation and by
 * IPC_SET; failed calls and IPC_STAT set none of them. To see a time
 * change, the test waits for the clock to pass the second it recorded
 * (two such waits: about two seconds at most).
 */
#include "helpers.h"

struct msg {
	long mtype;
	char mtext[16];
};

static int id;

/* Waits, on the clock rather than on a peer, until time(NULL) > t. */
static void wait_past(time_t t)
{
	struct timespec nap = {0, 2000000};
	while (time(NULL) <= t)
		nanosleep(&nap, NULL);
}

static void expect_times(time_t stime, time_t rtime, time_t ctime)
{
	struct msqid_ds ds;
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_stime, stime);
	T_EQ(ds.msg_rtime, rtime);
	T_EQ(ds.msg_ctime, ctime);
}

/* A time set between `before` and now, one second of slack for clocks. */
static void expect_recent(time_t t, time_t before)
{
	T_ASSERT(t >= before);
	T_ASSERT(t <= time(NULL) + 1);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	struct msqid_ds ds;
	struct msg m = {1, "tick"};

	time_t before = time(NULL);
	id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	time_t ctime0 = ds.msg_ctime;
	expect_recent(ctime0, before);
	expect_times(0, 0, ctime0);

	/* A send sets msg_stime only. */
	wait_past(ctime0);
	before = time(NULL);
	T_OK(B->msgsnd(id, &m, 4, 0));
	T_OK(B->msgsnd(id, &m, 4, 0));
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	time_t stime = ds.msg_stime;
	expect_recent(stime, before);
	T_ASSERT(stime > ctime0);
	expect_times(stime, 0, ctime0);

	/* A receive sets msg_rtime only; MSG_COPY does not. */
	T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, MSG_COPY | IPC_NOWAIT));
	expect_times(stime, 0, ctime0);
	wait_past(stime);
	before = time(NULL);
	T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, 0));
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	time_t rtime = ds.msg_rtime;
	expect_recent(rtime, before);
	T_ASSERT(rtime > stime);
	expect_times(stime, rtime, ctime0);

	/* In a later second: failures, and IPC_SET. */
	wait_past(rtime);
	ds.msg_qbytes = 4;
	before = time(NULL);
	T_OK(B->msgctl(id, IPC_SET, &ds));
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	time_t ctime1 = ds.msg_ctime;
	expect_recent(ctime1, before);
	T_ASSERT(ctime1 > rtime);
	expect_times(stime, rtime, ctime1);
	T_FAIL_ERRNO(B->msgsnd(id, &m, 1, IPC_NOWAIT), EAGAIN);
	T_FAIL_ERRNO(B->msgrcv(id, &m, sizeof(m.mtext), 5, IPC_NOWAIT), ENOMSG);
	T_FAIL_ERRNO(B->msgrcv(id, &m, 1, 0, IPC_NOWAIT), E2BIG);
	m.mtype = 0;
	T_FAIL_ERRNO(B->msgsnd(id, &m, 1, IPC_NOWAIT), EINVAL);
	ds.msg_perm.uid = (uid_t)-1;
	T_FAIL_ERRNO(B->msgctl(id, IPC_SET, &ds), EINVAL);
	T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, MSG_COPY | IPC_NOWAIT));
	expect_times(stime, rtime, ctime1);
	return T_EXIT_PASS;
}
