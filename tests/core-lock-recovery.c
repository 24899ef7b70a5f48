/*
 * A process killed while it holds a queue's lock, at any step inside the
 * critical section, leaves a queue the survivors can use at once, with
 * counts that match its contents and no space lost:
 * - a holder that only took the lock;
 * - a holder that scribbled over the derived state (counts, free lists);
 * - msgsnd killed after filling its message, before linking it: not queued;
 * - msgrcv killed after copying, before unlinking: still queued;
 * - msgrcv killed right after unlinking: gone, and nothing else lost.
 */
#include "helpers.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "layout.h"

struct msg {
	long mtype;
	char mtext[16];
};

static void *map_queue(int id, size_t *len)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/msg.%d", t_dir, id % IPCKIT_SLOTS);
	int fd = T_OK(open(path, O_RDWR));
	struct stat st;
	T_OK(fstat(fd, &st));
	*len = (size_t)st.st_size;
	void *p = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	T_ASSERT(p != MAP_FAILED);
	close(fd);
	return p;
}

/* Fills the queue with 1-byte messages; returns how many fit. */
static long fill(int id)
{
	struct msg m = {7, "x"};
	long n = 0;
	while (ipckit_msgsnd(id, &m, 1, IPC_NOWAIT) == 0)
		n++;
	T_EQ(errno, EAGAIN);
	return n;
}

static void drain(int id)
{
	struct msg m;
	while (ipckit_msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT) >= 0)
		;
	T_EQ(errno, ENOMSG);
}

/* Runs `op` in a child with IPCKIT_FAULT=point; it must die by SIGKILL. */
static void die_at(const char *point, int id, bool send)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		setenv("IPCKIT_FAULT", point, 1);
		struct msg m = {5, "fault"};
		if (send)
			ipckit_msgsnd(id, &m, 5, 0);
		else
			ipckit_msgrcv(id, &m, sizeof(m.mtext), 0, 0);
		_exit(3);
	}
	T_EQ(t_wait_signal(pid), SIGKILL);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_IPCKIT);
	int id = T_OK(ipckit_msgget(IPC_PRIVATE, 0600));
	struct msqid_ds ds;
	T_OK(ipckit_msgctl(id, IPC_STAT, &ds));
	/* With 1-byte messages the count limit binds: qbytes of them. */
	long capacity = fill(id);
	T_EQ(capacity, (long)ds.msg_qbytes);
	drain(id);

	size_t len;
	struct ipckit_hdr *h = map_queue(id, &len);
	struct msq_body *b = (struct msq_body *)((char *)h + IPCKIT_BODY_OFFSET);

	/* 1. Killed holding the lock, nothing else. */
	struct msg m = {1, "one"};
	T_OK(ipckit_msgsnd(id, &m, 3, 0));
	pid_t pid = t_fork();
	if (pid == 0) {
		pthread_mutex_lock((pthread_mutex_t *)h->h_lock);
		raise(SIGKILL);
	}
	T_EQ(t_wait_signal(pid), SIGKILL);
	T_EQ(t_msg_qnum(id, 0), 1);
	T_EQ(T_OK(ipckit_msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT)), 3);
	T_ASSERT(!memcmp(m.mtext, "one", 3));

	/* 2. Killed after scribbling over everything derived. */
	m.mtype = 2;
	T_OK(ipckit_msgsnd(id, &m, 3, 0));
	pid = t_fork();
	if (pid == 0) {
		pthread_mutex_lock((pthread_mutex_t *)h->h_lock);
		b->q_qnum = 999;
		b->q_cbytes = 12345;
		b->q_desc_free = MSQ_NIL;
		b->q_block_free = 3;
		b->q_tail = 77;
		raise(SIGKILL);
	}
	T_EQ(t_wait_signal(pid), SIGKILL);
	T_EQ(t_msg_qnum(id, 0), 1);
	T_OK(ipckit_msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.__msg_cbytes, 3);
	T_EQ(T_OK(ipckit_msgrcv(id, &m, sizeof(m.mtext), 2, IPC_NOWAIT)), 3);
	T_EQ(fill(id), capacity);
	drain(id);

	/* 3. msgsnd killed between filling and linking: not queued. */
	die_at("msgsnd-filled", id, true);
	T_EQ(t_msg_qnum(id, 0), 0);
	T_EQ(fill(id), capacity);
	drain(id);

	/* 4. msgrcv killed after its copy, before the unlink: still there. */
	m.mtype = 4;
	T_OK(ipckit_msgsnd(id, &m, 3, 0));
	die_at("msgrcv-copied", id, false);
	T_EQ(t_msg_qnum(id, 0), 1);
	T_EQ(T_OK(ipckit_msgrcv(id, &m, sizeof(m.mtext), 4, IPC_NOWAIT)), 3);

	/* 5. msgrcv killed right after the unlink: that one is gone. */
	T_OK(ipckit_msgsnd(id, &m, 3, 0));
	m.mtype = 6;
	T_OK(ipckit_msgsnd(id, &m, 3, 0));
	die_at("msgrcv-unlinked", id, false);
	T_EQ(t_msg_qnum(id, 0), 1);
	T_EQ(T_OK(ipckit_msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT)), 3);
	T_EQ(m.mtype, 6);
	T_EQ(fill(id), capacity);
	drain(id);

	munmap(h, len);
	T_OK(ipckit_msgctl(id, IPC_RMID, NULL));
	return 0;
}
