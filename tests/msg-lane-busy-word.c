/*
 * msg-lane-busy-word: a queue lane's busy words (l_pbusy, l_cbusy) hold
 * the id of the thread inside a lane operation, and switching the lane
 * off waits only for a thread of the owner's process (docs/DESIGN.md
 * section 5, "Late owners"):
 * - a word naming a live thread of another process (a late former owner,
 *   which only looks and leaves) does not hold the switch up, and is
 *   cleared;
 * - a word naming a live thread of the owner's process holds it up until
 *   that thread leaves;
 * - a word left by a dead thread keeps the owner off the lane (it takes
 *   the lock instead) until the lane is switched on again, which clears
 *   it; nothing is lost or reordered meanwhile.
 * White-box: it finds the lane in the queue file and writes the words.
 * Runs through the preload library too, whose syscall() wrapper once
 * passed a switcher's tgkill(pid, tid, 0) a signal number made of
 * whatever a register held (SIGXCPU, killing the owner's thread).
 */
#include "helpers.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "layout.h"

#define SIZE 16
#define STREAK 64 /* locked sends before the lane goes on (msg.c) */

struct msg {
	long mtype;
	long seq;
	long check;
};

static long next_seq, next_drained;

static void put(int id)
{
	struct msg m = {1, next_seq, ~next_seq};
	next_seq++;
	T_OK(B->msgsnd(id, &m, SIZE, 0));
}

/* Receives everything sent so far, in order. */
static void drain(int id)
{
	struct msg m;
	while (next_drained < next_seq) {
		T_EQ(T_OK(B->msgrcv(id, &m, SIZE, 0, IPC_NOWAIT)), SIZE);
		T_EQ(m.seq, next_drained);
		T_EQ(m.check, ~next_drained);
		next_drained++;
	}
	T_FAIL_ERRNO(B->msgrcv(id, &m, SIZE, 0, IPC_NOWAIT), ENOMSG);
}

/*
 * The lane of queue id, switched on with this process as its producer:
 * it ends the file (64-aligned, the file rounded up to a page), so it is
 * one of the 64 offsets the rounding allows that has our pid as l_prod.
 */
static struct msq_lane *find_lane(int id)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/msg.%d", t_dir, id % IPCKIT_SLOTS);
	int fd = T_OK(open(path, O_RDWR));
	struct stat st;
	T_OK(fstat(fd, &st));
	uint8_t *p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE,
			  MAP_SHARED, fd, 0);
	T_ASSERT(p != MAP_FAILED);
	close(fd);
	size_t lane_size = sizeof(struct msq_lane) +
			   MSQ_LANE_SLOTS * sizeof(struct msq_lane_slot);
	size_t hi = (size_t)st.st_size - lane_size;
	struct msq_lane *found = NULL;
	for (size_t off = hi & ~(size_t)63; off + 4096 > hi; off -= 64) {
		struct msq_lane *l = (struct msq_lane *)(p + off);
		if (atomic_load(&l->l_state) == MSQ_LANE_ON &&
		    l->l_prod.p_pid == getpid() && atomic_load(&l->l_prod_thread)) {
			T_ASSERT(!found);
			found = l;
		}
	}
	T_ASSERT(found);
	return found;
}

/* Sends until this process is the lane's producer again. */
static void lane_on(int id, struct msq_lane *l)
{
	for (int i = 0; i <= STREAK && atomic_load(&l->l_state) != MSQ_LANE_ON;
	     i++)
		put(id);
	T_EQ(atomic_load(&l->l_state), MSQ_LANE_ON);
}

/* IPC_STAT in a child, which switches the lane off; its pid. */
static pid_t stat_in_child(int id)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		struct msqid_ds ds;
		_exit(B->msgctl(id, IPC_STAT, &ds) == 0 ? 0 : 4);
	}
	return pid;
}

static pid_t parked_pid(void)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	return pid;
}

static _Atomic pid_t helper_tid;
static _Atomic int helper_go;

static void *helper_thread(void *arg)
{
	(void)arg;
	atomic_store(&helper_tid, (pid_t)syscall(SYS_gettid));
	while (!atomic_load(&helper_go))
		usleep(1000);
	return NULL;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	if (t_kernel_serves)
		t_skip("the kernel's queues have no lane");
	int id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	for (int i = 0; i < STREAK + 10; i++)
		put(id);
	struct msq_lane *l = find_lane(id);
	T_EQ(atomic_load(&l->l_tail) - atomic_load(&l->l_head), 10u);

	/* Another process's live thread: no wait, and cleared. */
	pid_t other = parked_pid();
	atomic_store(&l->l_pbusy, (uint32_t)other);
	t_wait_ok(stat_in_child(id));
	T_EQ(atomic_load(&l->l_state), MSQ_LANE_OFF);
	T_EQ(atomic_load(&l->l_pbusy), 0u);
	kill(other, SIGKILL);
	T_EQ(t_wait_signal(other), SIGKILL);
	T_EQ(t_msg_qnum(id, 0), next_seq);
	drain(id);

	/* A live thread of the owner's process: the switch waits for it. */
	lane_on(id, l);
	pthread_t th;
	T_EQ(pthread_create(&th, NULL, helper_thread, NULL), 0);
	while (!atomic_load(&helper_tid))
		usleep(1000);
	atomic_store(&l->l_pbusy, (uint32_t)atomic_load(&helper_tid));
	pid_t sw = stat_in_child(id);
	usleep(200000);
	T_EQ(waitpid(sw, NULL, WNOHANG), 0); /* still waiting */
	atomic_store(&l->l_pbusy, 0);		/* the thread leaves */
	t_wait_ok(sw);
	T_EQ(atomic_load(&l->l_state), MSQ_LANE_OFF);
	atomic_store(&helper_go, 1);
	T_EQ(pthread_join(th, NULL), 0);
	drain(id);

	/* A dead thread's word: the owner takes the lock, nothing lost. */
	lane_on(id, l);
	pid_t dead = parked_pid();
	kill(dead, SIGKILL);
	T_EQ(t_wait_signal(dead), SIGKILL);
	atomic_store(&l->l_pbusy, (uint32_t)dead);
	put(id); /* cannot take the word: locked send, the lane goes off */
	T_EQ(atomic_load(&l->l_state), MSQ_LANE_OFF);
	/* Switched on again, the word is cleared and the lane used. */
	lane_on(id, l);
	T_EQ(atomic_load(&l->l_pbusy), 0u);
	uint32_t tail = atomic_load(&l->l_tail);
	put(id);
	T_EQ(atomic_load(&l->l_tail), tail + 1);
	T_EQ(t_msg_qnum(id, 0), next_seq - next_drained);
	drain(id);

	T_OK(B->msgctl(id, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
