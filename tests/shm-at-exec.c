/*
 * shm-at-exec.c - SHM_EXEC maps the segment executable (and without it,
 * not executable); a second user needs execute permission in the mode for
 * SHM_EXEC, EACCES otherwise.
 */
#include "helpers.h"

#include <sys/stat.h>

/* The permissions /proc/self/maps shows for the mapping starting at p. */
static void perms_at(const void *p, char perms[5])
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	if (!f)
		t_fail(__FILE__, __LINE__, "maps: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perms) == 3 &&
		    lo == (uintptr_t)p) {
			fclose(f);
			return;
		}
	}
	t_fail(__FILE__, __LINE__, "no mapping starts at %p", p);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	char perms[5];

	int id = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	char *x = T_OK(B->shmat(id, NULL, SHM_EXEC));
	perms_at(x, perms);
	T_ASSERT(strcmp(perms, "rwxs") == 0);
	char *rx = T_OK(B->shmat(id, NULL, SHM_EXEC | SHM_RDONLY));
	perms_at(rx, perms);
	T_ASSERT(strcmp(perms, "r-xs") == 0);
	char *plain = T_OK(B->shmat(id, NULL, 0));
	perms_at(plain, perms);
	T_ASSERT(strcmp(perms, "rw-s") == 0);
	char *ro = T_OK(B->shmat(id, NULL, SHM_RDONLY));
	perms_at(ro, perms);
	T_ASSERT(strcmp(perms, "r--s") == 0);
	T_OK(B->shmdt(x));
	T_OK(B->shmdt(rx));
	T_OK(B->shmdt(plain));
	T_OK(B->shmdt(ro));

	if (geteuid() != 0)
		t_skip("needs root to act as a second user");
	/* The second user must be able to use the namespace directory. */
	T_OK(chmod(t_dir, 01777));
	int rw_only = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0666));
	int all = T_OK(B->shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0777));
	pid_t pid = t_fork();
	if (pid == 0) {
		t_become(T_NOBODY, T_NOBODY);
		T_FAIL_ERRNO(B->shmat(rw_only, NULL, SHM_EXEC), EACCES);
		T_FAIL_ERRNO(B->shmat(rw_only, NULL, SHM_EXEC | SHM_RDONLY),
			     EACCES);
		char *p = T_OK(B->shmat(rw_only, NULL, 0));
		T_OK(B->shmdt(p));
		p = T_OK(B->shmat(all, NULL, SHM_EXEC));
		perms_at(p, perms);
		T_ASSERT(strcmp(perms, "rwxs") == 0);
		T_OK(B->shmdt(p));
		_exit(0);
	}
	t_wait_ok(pid);

	T_OK(B->shmctl(id, IPC_RMID, NULL));
	T_OK(B->shmctl(rw_only, IPC_RMID, NULL));
	T_OK(B->shmctl(all, IPC_RMID, NULL));
	return T_EXIT_PASS;
}
