/*
 * msg-efault-rcv: msgrcv into a buffer it cannot write fails with EFAULT:
 * NULL, an unmapped page, a read-only page, a buffer whose mtext runs into
 * an unmapped page. The buffer is only written once a message has been
 * chosen: with none to take, IPC_NOWAIT gives ENOMSG, and a message too
 * long gives E2BIG, whatever the buffer (except with MSG_COPY, below).
 *
 * What becomes of a message whose copy-out faulted is not tested: the
 * kernel drops it, ipckit may keep it. Each fault gets a fresh queue.
 */
#include "helpers.h"

#include <sys/mman.h>

static int queue_with_message(size_t size)
{
	struct {
		long mtype;
		char mtext[64];
	} m = {1, "0123456789abcdef"};
	int id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	T_OK(B->msgsnd(id, &m, size, 0));
	return id;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	long page = sysconf(_SC_PAGESIZE);
	char *map = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	T_ASSERT(map != MAP_FAILED);
	T_OK(munmap(map + page, page));
	char *hole = map + page;
	char *edge = hole - sizeof(long) - 4; /* mtype + 4 bytes, then hole */
	char *ro = map + 2 * page;
	T_OK(mprotect(ro, page, PROT_READ));

	/* Nothing to take, or too long to take: the buffer is not used. */
	int id = queue_with_message(16);
	T_FAIL_ERRNO(B->msgrcv(id, NULL, 64, 2, IPC_NOWAIT), ENOMSG);
	T_FAIL_ERRNO(B->msgrcv(id, hole, 64, 2, IPC_NOWAIT), ENOMSG);
	T_FAIL_ERRNO(B->msgrcv(id, NULL, 8, 0, IPC_NOWAIT), E2BIG);
	T_FAIL_ERRNO(B->msgrcv(id, ro, 8, 0, IPC_NOWAIT), E2BIG);
	T_FAIL_ERRNO(B->msgrcv(-1, NULL, 64, 0, IPC_NOWAIT), EINVAL);

	/*
	 * MSG_COPY leaves the message queued whatever happens. The kernel
	 * reads msgsz bytes of the buffer before it looks for the message
	 * (it loads them to make its copy), so EFAULT comes first there.
	 */
	T_FAIL_ERRNO(B->msgrcv(id, NULL, 64, 5, MSG_COPY | IPC_NOWAIT), EFAULT);
	T_FAIL_ERRNO(B->msgrcv(id, NULL, 8, 0, MSG_COPY | IPC_NOWAIT), EFAULT);
	T_FAIL_ERRNO(B->msgrcv(id, NULL, 64, 0, MSG_COPY | IPC_NOWAIT), EFAULT);
	T_FAIL_ERRNO(B->msgrcv(id, hole, 64, 0, MSG_COPY | IPC_NOWAIT), EFAULT);
	T_FAIL_ERRNO(B->msgrcv(id, ro, 64, 0, MSG_COPY | IPC_NOWAIT), EFAULT);
	T_FAIL_ERRNO(B->msgrcv(id, edge, 64, 0, MSG_COPY | IPC_NOWAIT), EFAULT);

	T_FAIL_ERRNO(B->msgrcv(queue_with_message(16), NULL, 64, 0, 0), EFAULT);
	T_FAIL_ERRNO(B->msgrcv(queue_with_message(0), NULL, 64, 0, 0), EFAULT);
	T_FAIL_ERRNO(B->msgrcv(queue_with_message(16), hole, 64, 0, IPC_NOWAIT),
		     EFAULT);
	T_FAIL_ERRNO(B->msgrcv(queue_with_message(16), ro, 64, 0, 0), EFAULT);
	T_FAIL_ERRNO(B->msgrcv(queue_with_message(0), ro, 64, 0, 0), EFAULT);
	T_FAIL_ERRNO(B->msgrcv(queue_with_message(16), edge, 64, 0, 0), EFAULT);
	T_FAIL_ERRNO(
	    B->msgrcv(queue_with_message(16), edge, 16, 0, MSG_NOERROR),
	    EFAULT);

	/* At the edge, what fits before the hole is fine. */
	T_EQ(T_OK(B->msgrcv(queue_with_message(4), edge, 64, 0, 0)), 4);
	long mtype;
	memcpy(&mtype, edge, sizeof(mtype)); /* edge is not aligned */
	T_EQ(mtype, 1);
	T_ASSERT(!memcmp(edge + sizeof(long), "0123", 4));
	T_EQ(T_OK(B->msgrcv(queue_with_message(16), edge, 4, 0, MSG_NOERROR)),
	     4);
	return T_EXIT_PASS;
}
