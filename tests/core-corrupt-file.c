/*
 * Damaged object files give errors, never a crash or a hang: a bad magic,
 * version, kind, size, truncation, control size or body geometry is
 * refused when a process maps the queue (EINVAL); damage written into a
 * queue a process already uses (list links, counts, the lock's bytes)
 * gives EIDRM or is repaired, and the caller survives.
 */
#include "helpers.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "layout.h"

struct msg {
	long mtype;
	char mtext[16];
};

/* Makes a queue in a child, so this process holds no mapping of it. */
static int make_queue_elsewhere(void)
{
	int *id = t_shared_alloc(sizeof(int));
	pid_t pid = t_fork();
	if (pid == 0) {
		*id = T_OK(ipckit_msgget(IPC_PRIVATE, 0600));
		struct msg m = {1, "hello"};
		T_OK(ipckit_msgsnd(*id, &m, 5, 0));
		_exit(0);
	}
	t_wait_ok(pid);
	return *id;
}

static char *queue_path(int id)
{
	static char path[512];
	snprintf(path, sizeof(path), "%s/msg.%d", t_dir, id % IPCKIT_SLOTS);
	return path;
}

static void poke(int id, off_t off, const void *bytes, size_t n)
{
	int fd = T_OK(open(queue_path(id), O_RDWR));
	T_EQ(pwrite(fd, bytes, n, off), (ssize_t)n);
	close(fd);
}

/* In a fresh child, every call on `id` must fail with EINVAL. */
static void expect_refused(int id)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		struct msqid_ds ds;
		struct msg m = {1, "x"};
		T_FAIL_ERRNO(ipckit_msgctl(id, IPC_STAT, &ds), EINVAL);
		T_FAIL_ERRNO(ipckit_msgsnd(id, &m, 1, IPC_NOWAIT), EINVAL);
		T_FAIL_ERRNO(ipckit_msgrcv(id, &m, 16, 0, IPC_NOWAIT), EINVAL);
		_exit(0);
	}
	t_wait_ok(pid);
	unlink(queue_path(id));
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_IPCKIT);
	uint32_t u32;
	uint64_t u64;

	u32 = 0xdeadbeef;
	int id = make_queue_elsewhere();
	poke(id, offsetof(struct ipckit_hdr, h_magic), &u32, 4);
	expect_refused(id);

	u32 = IPCKIT_LAYOUT_VERSION + 1;
	id = make_queue_elsewhere();
	poke(id, offsetof(struct ipckit_hdr, h_version), &u32, 4);
	expect_refused(id);

	u32 = IPCKIT_KIND_SEM;
	id = make_queue_elsewhere();
	poke(id, offsetof(struct ipckit_hdr, h_kind), &u32, 4);
	expect_refused(id);

	u64 = 1ull << 40;
	id = make_queue_elsewhere();
	poke(id, offsetof(struct ipckit_hdr, h_size), &u64, 8);
	expect_refused(id);

	u64 = 1ull << 40;
	id = make_queue_elsewhere();
	poke(id, offsetof(struct ipckit_hdr, h_ctl_size), &u64, 8);
	expect_refused(id);

	id = make_queue_elsewhere();
	T_OK(truncate(queue_path(id), 100));
	expect_refused(id);

	id = make_queue_elsewhere();
	T_OK(truncate(queue_path(id), 4096));
	expect_refused(id);

	u64 = 1ull << 50;
	id = make_queue_elsewhere();
	poke(id, IPCKIT_BODY_OFFSET + offsetof(struct msq_body, q_desc_off),
	     &u64, 8);
	expect_refused(id);

	u32 = 0x7fffffff;
	id = make_queue_elsewhere();
	poke(id, IPCKIT_BODY_OFFSET + offsetof(struct msq_body, q_ndesc), &u32,
	     4);
	expect_refused(id);

	/* Damage under a live mapping. */
	id = T_OK(ipckit_msgget(IPC_PRIVATE, 0600));
	struct msg m = {1, "hello"};
	T_OK(ipckit_msgsnd(id, &m, 5, 0));
	struct msqid_ds ds;
	T_OK(ipckit_msgctl(id, IPC_STAT, &ds));

	/* The geometry changed under us is ignored: our copy is used. */
	u32 = 0x7fffffff;
	poke(id, IPCKIT_BODY_OFFSET + offsetof(struct msq_body, q_ndesc), &u32,
	     4);
	u64 = 1ull << 50;
	poke(id, IPCKIT_BODY_OFFSET + offsetof(struct msq_body, q_desc_off),
	     &u64, 8);
	T_EQ(T_OK(ipckit_msgrcv(id, &m, 16, 0, IPC_NOWAIT)), 5);

	/* A list link out of range: EIDRM, not a wild read. */
	T_OK(ipckit_msgsnd(id, &m, 5, 0));
	u32 = 0x7ffffff0;
	poke(id, IPCKIT_BODY_OFFSET + offsetof(struct msq_body, q_head), &u32,
	     4);
	T_FAIL_ERRNO(ipckit_msgrcv(id, &m, 16, 0, IPC_NOWAIT), EIDRM);
	T_FAIL_ERRNO(ipckit_msgrcv(id, &m, 16, 3, IPC_NOWAIT), EIDRM);

	/* A cycle in the list: bounded walk, EIDRM. */
	u32 = 0;
	poke(id, IPCKIT_BODY_OFFSET + offsetof(struct msq_body, q_head), &u32,
	     4);
	char raw[64];
	int fd = T_OK(open(queue_path(id), O_RDWR));
	uint64_t desc_off = IPCKIT_BODY_OFFSET + sizeof(struct msq_body);
	T_EQ(pwrite(fd, &u32, 4, (off_t)desc_off), 4); /* desc 0 -> desc 0 */
	close(fd);
	T_FAIL_ERRNO(ipckit_msgrcv(id, &m, 16, 99, IPC_NOWAIT), EIDRM);

	/* The lock's bytes overwritten: EIDRM, no crash, no hang. */
	memset(raw, 0x5a, sizeof(raw));
	poke(id, offsetof(struct ipckit_hdr, h_lock), raw, 40);
	T_FAIL_ERRNO(ipckit_msgsnd(id, &m, 5, IPC_NOWAIT), EIDRM);
	T_FAIL_ERRNO(ipckit_msgctl(id, IPC_STAT, &ds), EINVAL);
	unlink(queue_path(id));
	return 0;
}
