/*
 * msg-efault-snd: msgsnd from a buffer it cannot read fails with EFAULT
 * and queues nothing: NULL, an unmapped page, a buffer whose mtype is
 * readable but whose mtext runs into an unmapped page. mtype is read
 * first, before anything else is checked (so a bad id or size with a NULL
 * buffer is still EFAULT), and mtext last (a bad mtype wins over it). A
 * read-only buffer is fine.
 */
#include "helpers.h"

#include <sys/mman.h>

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	long page = sysconf(_SC_PAGESIZE);
	struct msqid_ds ds;

	/* Two pages, the second unmapped: a buffer can end at the edge. */
	char *map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	T_ASSERT(map != MAP_FAILED);
	T_OK(munmap(map + page, page));
	char *hole = map + page;
	long *edge = (long *)(hole - sizeof(long)); /* mtype, then hole */
	*edge = 1;

	int id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	T_FAIL_ERRNO(B->msgsnd(id, NULL, 1, 0), EFAULT);
	T_FAIL_ERRNO(B->msgsnd(id, NULL, 0, IPC_NOWAIT), EFAULT);
	T_FAIL_ERRNO(B->msgsnd(id, hole, 1, 0), EFAULT);
	T_FAIL_ERRNO(B->msgsnd(id, hole, 0, 0), EFAULT);
	T_FAIL_ERRNO(B->msgsnd(id, edge, 1, 0), EFAULT);
	long *near = (long *)(hole - 128);
	*near = 1;
	T_FAIL_ERRNO(B->msgsnd(id, near, 128, 0), EFAULT);
	T_FAIL_ERRNO(B->msgsnd(-1, NULL, 1, 0), EFAULT);
	T_FAIL_ERRNO(B->msgsnd(id, NULL, (size_t)-1, 0), EFAULT);
	*edge = 0;
	T_FAIL_ERRNO(B->msgsnd(id, edge, 1, 0), EINVAL);
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 0);
	T_EQ(ds.msg_cbytes, 0);
	T_EQ(ds.msg_lspid, 0);

	/* Up to the edge is fine. */
	T_OK(B->msgsnd(id, near, 120, 0));
	T_EQ(T_OK(B->msgrcv(id, map, 120, 0, 0)), 120);
	*edge = 9;
	T_OK(B->msgsnd(id, edge, 0, 0));
	/* So is a read-only buffer. */
	struct {
		long mtype;
		char mtext[8];
	} m;
	long *ro = (long *)map;
	ro[0] = 4;
	memcpy(&ro[1], "rdonly", 6);
	T_OK(mprotect(map, page, PROT_READ));
	T_OK(B->msgsnd(id, ro, 6, 0));
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_qnum, 2);
	T_EQ(ds.msg_cbytes, 6);
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, 0)), 0);
	T_EQ(m.mtype, 9);
	T_EQ(T_OK(B->msgrcv(id, &m, sizeof(m.mtext), 0, 0)), 6);
	T_EQ(m.mtype, 4);
	T_ASSERT(!memcmp(m.mtext, "rdonly", 6));
	return T_EXIT_PASS;
}
