/*
 * preload-common.h - what the preload-*.c tests share: is the preload
 * library serving this process, and where did an object land (the
 * namespace directory or the kernel).
 *
 * Each preload test runs on the kernel back end, so tests/run runs it
 * twice: plainly, where it checks that the kernel has the objects (proving
 * the test can tell), and with LD_PRELOAD, where it checks that ipckit has
 * them and the kernel does not.
 */
#ifndef T_PRELOAD_COMMON_H
#define T_PRELOAD_COMMON_H

#include "helpers.h"

#include <dlfcn.h>
#include <sys/stat.h>
#include <sys/syscall.h>

enum { PL_MSG, PL_SEM, PL_SHM };

/* True if the process's msgget is the preload library's. */
static inline bool pl_active(void)
{
	Dl_info info;
	void *p = dlsym(RTLD_DEFAULT, "msgget");
	return p && dladdr(p, &info) && info.dli_fname &&
	       strstr(info.dli_fname, "libipckit-preload");
}

/* True if the kernel has an object of `kind` with `key` (what ipcs reads). */
static inline bool pl_kernel_has(int kind, key_t key)
{
	static const char *const files[] = {
	    "/proc/sysvipc/msg", "/proc/sysvipc/sem", "/proc/sysvipc/shm"};
	FILE *f = fopen(files[kind], "r");
	if (!f)
		t_fail(__FILE__, __LINE__, "%s: %s", files[kind],
		       strerror(errno));
	char line[512];
	bool found = false;
	if (fgets(line, sizeof(line), f)) { /* the header line */
		long long k;
		while (!found && fgets(line, sizeof(line), f))
			found =
			    sscanf(line, "%lld", &k) == 1 && (key_t)k == key;
	}
	fclose(f);
	return found;
}

/* True if the test's namespace directory has an object of `kind` with `key`. */
static inline bool pl_dir_has(int kind, key_t key)
{
	static const char *const names[] = {"msg", "sem", "shm"};
	char path[512];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s.key.%08x", t_dir, names[kind],
		 (unsigned)key);
	return stat(path, &st) == 0;
}

/*
 * Removes the kernel's object of `kind` with `key`, if any, by raw system
 * calls that no preload library sees: a failing preload run may have put
 * there what the test meant for ipckit, and the runner counts leaks.
 */
static inline void pl_kernel_remove(int kind, key_t key)
{
	long id;
	switch (kind) {
	case PL_MSG:
		if ((id = syscall(SYS_msgget, key, 0)) >= 0)
			syscall(SYS_msgctl, id, IPC_RMID, NULL);
		break;
	case PL_SEM:
		if ((id = syscall(SYS_semget, key, 0, 0)) >= 0)
			syscall(SYS_semctl, id, 0, IPC_RMID, 0);
		break;
	case PL_SHM:
		if ((id = syscall(SYS_shmget, key, 0, 0)) >= 0)
			syscall(SYS_shmctl, id, IPC_RMID, NULL);
		break;
	}
}

/* Keys a test used, removed from the kernel at exit (pl_kernel_remove). */
static struct {
	int n;
	int kind[16];
	key_t key[16];
} pl_keys;

static inline void pl_cleanup(void)
{
	for (int i = 0; i < pl_keys.n; i++)
		pl_kernel_remove(pl_keys.kind[i], pl_keys.key[i]);
}

/* t_key(n) for an object of `kind`, removed from the kernel at exit. */
static inline key_t pl_key(int kind, int n)
{
	if (pl_keys.n == 0)
		atexit(pl_cleanup);
	if (pl_keys.n == 16)
		t_fail(__FILE__, __LINE__, "pl_key: too many keys");
	key_t k = t_key(n);
	pl_keys.kind[pl_keys.n] = kind;
	pl_keys.key[pl_keys.n++] = k;
	return k;
}

/*
 * Checks that the object of `kind` with `key` is where this run puts it:
 * in the namespace directory and not the kernel under the preload, the
 * other way round without it.
 */
#define PL_ASSERT_PLACED(kind, key)                                            \
	do {                                                                   \
		if (pl_active()) {                                             \
			T_ASSERT(pl_dir_has(kind, key));                       \
			T_ASSERT(!pl_kernel_has(kind, key));                   \
		} else {                                                       \
			T_ASSERT(pl_kernel_has(kind, key));                    \
			T_ASSERT(!pl_dir_has(kind, key));                      \
		}                                                              \
	} while (0)

#endif /* T_PRELOAD_COMMON_H */
