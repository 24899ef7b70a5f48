/*
 * shm-at-eacces.c - a second user attaches only as the mode allows: read
 * permission for SHM_RDONLY, read and write otherwise, through the group
 * bits when its group matches and the other bits when not; EACCES else.
 * Failed attaches leave shm_nattch alone.
 */
#include "helpers.h"

#include <sys/stat.h>

/* Whether an attach with `flg` works: 1 yes, 0 EACCES, fails otherwise. */
static int can_attach(int id, int flg)
{
	errno = 0;
	void *p = B->shmat(id, NULL, flg);
	if (p == (void *)-1) {
		if (errno != EACCES)
			t_fail(__FILE__, __LINE__, "shmat: %s, not EACCES",
			       strerror(errno));
		return 0;
	}
	T_OK(B->shmdt(p));
	return 1;
}

static const struct {
	int mode;
	int group_ro, group_rw; /* as uid nobody, gid root (the group) */
	int other_ro, other_rw; /* as uid nobody, gid nobody */
} cases[] = {
    {0600, 0, 0, 0, 0},
    {0640, 1, 0, 0, 0},
    {0660, 1, 1, 0, 0},
    {0604, 0, 0, 1, 0},
    {0606, 0, 0, 1, 1},
    {0620, 0, 0, 0, 0}, /* write alone is not enough, even read-only */
    {0602, 0, 0, 0, 0},
    {0666, 1, 1, 1, 1},
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* In a child already changed to the user: every case, both ways. */
static void check_all(bool as_group, const int *ids)
{
	for (size_t i = 0; i < NCASES; i++) {
		int ro = as_group ? cases[i].group_ro : cases[i].other_ro;
		int rw = as_group ? cases[i].group_rw : cases[i].other_rw;
		if (can_attach(ids[i], SHM_RDONLY) == ro &&
		    can_attach(ids[i], 0) == rw)
			continue;
		t_fail(__FILE__, __LINE__, "mode %o as %s: want ro %d rw %d",
		       cases[i].mode, as_group ? "group" : "other", ro, rw);
	}
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	if (geteuid() != 0)
		t_skip("needs root to act as a second user");
	/* The second user must be able to use the namespace directory. */
	T_OK(chmod(t_dir, 01777));

	int ids[NCASES];
	for (size_t i = 0; i < NCASES; i++)
		ids[i] = T_OK(
		    B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | cases[i].mode));

	pid_t pid = t_fork();
	if (pid == 0) {
		t_become(T_NOBODY, T_NOBODY);
		check_all(false, ids);
		_exit(0);
	}
	t_wait_ok(pid);
	pid = t_fork();
	if (pid == 0) {
		t_become(T_NOBODY, 0);
		check_all(true, ids);
		_exit(0);
	}
	t_wait_ok(pid);

	/* The owner's bits apply to the owner; root passes every check. */
	for (size_t i = 0; i < NCASES; i++) {
		struct shmid_ds ds;
		T_EQ(can_attach(ids[i], 0), 1);
		T_OK(B->shmctl(ids[i], IPC_STAT, &ds));
		T_EQ(ds.shm_nattch, 0);
		T_OK(B->shmctl(ids[i], IPC_RMID, NULL));
	}
	return T_EXIT_PASS;
}
