/*
 * msg-efault-ctl: msgctl with a buffer it cannot use fails with EFAULT:
 * IPC_STAT, MSG_STAT, MSG_STAT_ANY, IPC_INFO and MSG_INFO into NULL, an
 * unmapped or a read-only page; IPC_SET from NULL or an unmapped page,
 * changing nothing. The id is checked first (EINVAL for a bad one, NULL
 * or not). IPC_RMID ignores the buffer.
 */
#include "helpers.h"

#include <sys/mman.h>

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	long page = sysconf(_SC_PAGESIZE);
	char *map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	T_ASSERT(map != MAP_FAILED);
	T_OK(munmap(map + page, page));
	struct msqid_ds *hole = (struct msqid_ds *)(map + page);
	/* The buffer's last bytes run into the hole. */
	struct msqid_ds *edge = (struct msqid_ds *)(map + page - 16);
	struct msqid_ds *ro = (struct msqid_ds *)map;
	struct msqid_ds ds;
	struct msginfo mi;

	int id = T_OK(B->msgget(IPC_PRIVATE, 0640));
	T_OK(B->msgctl(id, IPC_STAT, ro));
	T_OK(mprotect(map, page, PROT_READ));

	T_FAIL_ERRNO(B->msgctl(id, IPC_STAT, NULL), EFAULT);
	T_FAIL_ERRNO(B->msgctl(id, IPC_STAT, hole), EFAULT);
	T_FAIL_ERRNO(B->msgctl(id, IPC_STAT, edge), EFAULT);
	T_FAIL_ERRNO(B->msgctl(id, IPC_STAT, ro), EFAULT);
	T_FAIL_ERRNO(B->msgctl(-1, IPC_STAT, NULL), EINVAL);

	T_FAIL_ERRNO(B->msgctl(id, IPC_SET, NULL), EFAULT);
	T_FAIL_ERRNO(B->msgctl(id, IPC_SET, hole), EFAULT);
	T_FAIL_ERRNO(B->msgctl(-1, IPC_SET, NULL), EINVAL);
	/* Read-only is fine for IPC_SET, which only reads. */
	T_OK(B->msgctl(id, IPC_SET, ro));
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	T_EQ(ds.msg_perm.mode, 0640);
	T_EQ(ds.msg_perm.uid, geteuid());

	T_FAIL_ERRNO(B->msgctl(0, IPC_INFO, NULL), EFAULT);
	T_FAIL_ERRNO(B->msgctl(0, MSG_INFO, NULL), EFAULT);
	T_FAIL_ERRNO(B->msgctl(0, IPC_INFO, hole), EFAULT);
	T_FAIL_ERRNO(B->msgctl(0, MSG_INFO, ro), EFAULT);

	/* MSG_STAT needs an index in use: find ours. */
	int highest = T_OK(B->msgctl(0, IPC_INFO, (struct msqid_ds *)&mi));
	int idx = -1;
	for (int i = 0; i <= highest && idx < 0; i++)
		if (B->msgctl(i, MSG_STAT_ANY, &ds) == id)
			idx = i;
	T_ASSERT(idx >= 0);
	T_FAIL_ERRNO(B->msgctl(idx, MSG_STAT, NULL), EFAULT);
	T_FAIL_ERRNO(B->msgctl(idx, MSG_STAT_ANY, NULL), EFAULT);
	T_FAIL_ERRNO(B->msgctl(idx, MSG_STAT, hole), EFAULT);
	T_FAIL_ERRNO(B->msgctl(idx, MSG_STAT_ANY, ro), EFAULT);

	T_OK(B->msgctl(id, IPC_RMID, hole));
	T_FAIL_ERRNO(B->msgctl(id, IPC_STAT, &ds), EINVAL);
	id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	T_OK(B->msgctl(id, IPC_RMID, NULL));
	T_FAIL_ERRNO(B->msgctl(id, IPC_STAT, NULL), EINVAL);
	return T_EXIT_PASS;
}
