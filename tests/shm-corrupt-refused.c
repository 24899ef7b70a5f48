/*
 * shm-corrupt-refused.c - ipckit only: a segment whose file was damaged
 * is refused, never trusted and never a crash: opened afresh (by key or
 * id) it is EINVAL; through a handle mapped before the damage, EIDRM, and
 * then, declared lost and removed, EINVAL. Attaches made before the damage
 * can still be detached, and other segments are untouched.
 *
 * Depends on the file layout (src/layout.h): the segment is the file
 * shm.<slot> in the namespace directory; damage is written with pwrite.
 */
#include "helpers.h"

#include <fcntl.h>

#include "layout.h"

#define BODY(field) (IPCKIT_BODY_OFFSET + offsetof(struct shm_seg, field))

static void damage(int id, off_t off, const void *bytes, size_t len)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/shm.%d", t_dir, id % IPCKIT_SLOTS);
	int fd = T_OK(open(path, O_RDWR));
	T_EQ(pwrite(fd, bytes, len, off), (ssize_t)len);
	close(fd);
}

static const struct {
	const char *what;
	off_t off;
	uint64_t value;
	size_t len;
} damages[] = {
    {"magic", offsetof(struct ipckit_hdr, h_magic), 0x12345678, 4},
    {"data offset", offsetof(struct ipckit_hdr, h_ctl_size), 4096, 8},
    {"size asked", BODY(s_segsz), UINT64_C(1) << 40, 8},
    {"size asked 0", BODY(s_segsz), 0, 8},
    {"data size", BODY(s_data), 8192, 8},
    {"table size", BODY(s_cap), 1u << 30, 4},
    {"table use", BODY(s_high), 1u << 30, 4},
    {"table offset", BODY(s_att_off), 64, 8},
};
#define NDAMAGES (sizeof(damages) / sizeof(damages[0]))

int main(int argc, char **argv)
{
	t_init(argc, argv, T_IPCKIT);
	struct shmid_ds ds;
	int good = T_OK(ipckit_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	char *g = T_OK(ipckit_shmat(good, NULL, 0));
	strcpy(g, "fine");

	for (size_t i = 0; i < NDAMAGES; i++) {
		/* Made by a child, so this process has no handle on it yet. */
		int *made = t_shared_alloc(sizeof(int));
		pid_t pid = t_fork();
		if (pid == 0) {
			*made = T_OK(ipckit_shmget(t_key((int)i), 4096,
						   IPC_CREAT | 0600));
			_exit(0);
		}
		t_wait_ok(pid);
		int fresh = *made;
		damage(fresh, damages[i].off, &damages[i].value,
		       damages[i].len);
		errno = 0;
		if (ipckit_shmat(fresh, NULL, 0) != (void *)-1 ||
		    errno != EINVAL)
			t_fail(__FILE__, __LINE__, "%s: shmat: %s",
			       damages[i].what, strerror(errno));
		T_FAIL_ERRNO(ipckit_shmctl(fresh, IPC_STAT, &ds), EINVAL);
		T_FAIL_ERRNO(ipckit_shmget(t_key((int)i), 0, 0), EINVAL);

		/* Through a handle and an attach made before the damage. */
		int held =
		    T_OK(ipckit_shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
		char *p = T_OK(ipckit_shmat(held, NULL, 0));
		damage(held, damages[i].off, &damages[i].value, damages[i].len);
		errno = 0;
		if (ipckit_shmat(held, NULL, 0) != (void *)-1 || errno != EIDRM)
			t_fail(__FILE__, __LINE__, "%s: shmat: %s",
			       damages[i].what, strerror(errno));
		/* Declared lost: removed, so it is not left behind. */
		T_FAIL_ERRNO(ipckit_shmctl(held, IPC_STAT, &ds), EINVAL);
		T_FAIL_ERRNO(ipckit_shmctl(held, IPC_RMID, NULL), EINVAL);
		T_OK(ipckit_shmdt(p));
		T_FAIL_ERRNO(ipckit_shmdt(p), EINVAL);
	}

	T_ASSERT(strcmp(g, "fine") == 0);
	T_OK(ipckit_shmctl(good, IPC_STAT, &ds));
	T_EQ(ds.shm_nattch, 1);
	T_OK(ipckit_shmdt(g));
	T_OK(ipckit_shmctl(good, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
