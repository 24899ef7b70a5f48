/*
 * msg-crash-reap: a message handed to a receiver that died is given back
 * exactly once, even when the process giving it back dies halfway, and a
 * hand-off whose waker dies after committing it still arrives.
 *
 * msq_reap() moves a dead receiver's message to a live waiting receiver,
 * or back onto the queue, and then deletes the dead one's record. Killed
 * between the two (crash point msg-reap-moved), it leaves a record that
 * still says GOT beside the message's new home; the repair that follows
 * must believe the message's claim, not the stale record, or the message
 * is delivered twice (the torture harness caught it: "found 2 times") or
 * the queue is declared lost. A sender killed after its hand-off's commit
 * (msg-handoff-claimed) but before waking the receiver leaves the
 * receiver to be woken by the repair.
 */
#include "helpers.h"

#include <signal.h>
#include <sys/wait.h>

#define SIZE 16
#define TRIES 20

struct msg {
	long mtype;
	long seq;
	long check;
};

static void put(int id, long seq)
{
	struct msg m = {1, seq, ~seq};
	T_OK(ipckit_msgsnd(id, &m, SIZE, 0));
}

static void expect_empty(int id)
{
	struct msg m;
	T_FAIL_ERRNO(ipckit_msgrcv(id, &m, SIZE, 0, IPC_NOWAIT), ENOMSG);
	T_EQ(t_msg_qnum(id, SIZE), 0);
	int senders, receivers;
	T_OK(ipckit_msg_waiters(id, &senders, &receivers));
	T_EQ(senders, 0);
	T_EQ(receivers, 0);
}

/* A receiver blocked in msgrcv; exits 0 if it gets message `seq`. */
static pid_t receiver(int id, long seq)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		struct msg m;
		struct timespec ts = t_ms(5000);
		ssize_t n = ipckit_msgtimedrcv(id, &m, SIZE, 0, 0, &ts);
		_exit(n == SIZE && m.seq == seq && m.check == ~seq ? 0 : 4);
	}
	t_wait_blocked(pid);
	return pid;
}

/*
 * Leaves message `seq` handed to a receiver that died before it could
 * take it: the receiver is stopped while blocked, handed the message,
 * then killed and reaped, so kill(pid, 0) says it is gone.
 */
static void dead_holder(int id, long seq, pid_t stopped)
{
	int st;
	T_OK(kill(stopped, SIGSTOP));
	T_EQ(waitpid(stopped, &st, WUNTRACED), stopped);
	T_ASSERT(WIFSTOPPED(st));
	put(id, seq);
	T_OK(kill(stopped, SIGKILL));
	T_EQ(t_wait_signal(stopped), SIGKILL);
}

/*
 * A process that gives back what dead receivers hold (its receive finds
 * a holder gone) and dies at crash point `point`. False if it did not get
 * there: a live receiver's own death check reaped first.
 */
static bool reaper_dies(int id, const char *point)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		setenv("IPCKIT_FAULT", point, 1);
		struct msg m;
		ipckit_msgrcv(id, &m, SIZE, 0, IPC_NOWAIT);
		_exit(3);
	}
	int st;
	T_EQ(waitpid(pid, &st, 0), pid);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 3)
		return false;
	T_ASSERT(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	return true;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_IPCKIT);
	int id = T_OK(ipckit_msgget(IPC_PRIVATE, 0600));

	/*
	 * The reaper hands the message to a live receiver and dies before
	 * deleting the dead one's record: the live one gets it, once.
	 */
	bool hit = false;
	for (int i = 0; i < TRIES && !hit; i++) {
		pid_t r0 = receiver(id, 1); /* first in line: handed seq 1 */
		pid_t r2 = receiver(id, 1);
		dead_holder(id, 1, r0);
		hit = reaper_dies(id, "msg-reap-moved");
		t_wait_ok(r2);
		expect_empty(id);
	}
	T_ASSERT(hit);

	/* With nobody waiting, it goes back on the queue: once. */
	hit = false;
	for (int i = 0; i < TRIES && !hit; i++) {
		pid_t r0 = receiver(id, 2);
		dead_holder(id, 2, r0);
		hit = reaper_dies(id, "msg-reap-moved");
		T_EQ(t_msg_qnum(id, SIZE), 1);
		struct msg m;
		T_EQ(T_OK(ipckit_msgrcv(id, &m, SIZE, 0, IPC_NOWAIT)), SIZE);
		T_EQ(m.seq, 2);
		expect_empty(id);
	}
	T_ASSERT(hit);

	/*
	 * A sender dies after committing its hand-off, before the wake-up:
	 * the next locker's repair finishes it, and the receiver, which
	 * sleeps in long slices with nothing to reap, gets the message.
	 */
	pid_t r = receiver(id, 3);
	pid_t s = t_fork();
	if (s == 0) {
		setenv("IPCKIT_FAULT", "msg-handoff-claimed", 1);
		put(id, 3);
		_exit(3);
	}
	T_EQ(t_wait_signal(s), SIGKILL);
	T_EQ(t_msg_qnum(id, SIZE), 0); /* takes the lock: repairs */
	t_wait_ok(r);
	expect_empty(id);

	/* The queue works on. */
	r = receiver(id, 4);
	put(id, 4);
	t_wait_ok(r);
	put(id, 5);
	T_EQ(t_msg_qnum(id, SIZE), 1);
	T_OK(ipckit_msgctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
