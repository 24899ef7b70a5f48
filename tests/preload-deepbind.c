/*
 * preload-deepbind: a library loaded with dlopen(RTLD_DEEPBIND) looks up
 * symbols in its own dependencies (libc) before the global scope, so
 * without help its msgget would reach the kernel even under the preload
 * library (PHP loads its System V extensions this way). The preload
 * library patches such a library's references to the System V names after
 * loading it: calls and pointers taken both reach ipckit, and the object
 * is in the namespace directory, not the kernel. Without the preload, the
 * same library reaches the kernel.
 */
#include "preload-common.h"

#include <limits.h>

typedef int (*get_fn)(key_t, int);
typedef int (*ctl_fn)(int, int, struct msqid_ds *);

/* The test library: beside this program. */
static void *load_lib(int mode)
{
	char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 64);
	if (n < 0)
		t_fail(__FILE__, __LINE__, "readlink: %s", strerror(errno));
	path[n] = 0;
	strcpy(strrchr(path, '/') + 1, "preload-deepbind-lib.so");
	if (access(path, R_OK) < 0)
		t_skip("%s not built", path);
	void *h = dlopen(path, mode);
	if (!h)
		t_fail(__FILE__, __LINE__, "dlopen %s: %s", path, dlerror());
	return h;
}

static void *sym(void *h, const char *name)
{
	void *p = dlsym(h, name);
	if (!p)
		t_fail(__FILE__, __LINE__, "dlsym %s: %s", name, dlerror());
	return p;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_KERNEL);
#ifdef __SANITIZE_ADDRESS__
	t_skip("ASan refuses dlopen with RTLD_DEEPBIND");
#endif
	void *h = load_lib(RTLD_LAZY | RTLD_LOCAL | RTLD_DEEPBIND);
	get_fn lib_get = (get_fn)sym(h, "pl_lib_msgget");
	ctl_fn lib_ctl = (ctl_fn)sym(h, "pl_lib_msgctl");
	get_fn lib_ptr = *(get_fn *)sym(h, "pl_lib_msgget_ptr");

	/* A call through the library's PLT. */
	key_t k1 = pl_key(PL_MSG, 1);
	int id1 = T_OK(lib_get(k1, IPC_CREAT | 0600));
	/* Registers the object for cleanup in whichever place it is. */
	T_EQ(T_OK(B->msgget(k1, 0)), id1);
	PL_ASSERT_PLACED(PL_MSG, k1);

	/* A pointer the library took at load time. */
	key_t k2 = pl_key(PL_MSG, 2);
	int id2 = T_OK(lib_ptr(k2, IPC_CREAT | 0600));
	T_EQ(T_OK(B->msgget(k2, 0)), id2);
	PL_ASSERT_PLACED(PL_MSG, k2);

	/* The library and the program see one object. */
	struct msqid_ds ds;
	T_OK(lib_ctl(id1, IPC_STAT, &ds));
	T_EQ(ds.msg_perm.__key, k1);
	T_OK(lib_ctl(id1, IPC_RMID, NULL));
	T_FAIL_ERRNO(B->msgget(k1, 0), ENOENT);
	T_OK(B->msgctl(id2, IPC_RMID, NULL));
	T_FAIL_ERRNO(lib_get(k2, 0), ENOENT);

	/* Loaded again: the same handle, still patched. */
	void *again = load_lib(RTLD_NOW | RTLD_DEEPBIND);
	T_ASSERT(again == h);
	key_t k3 = pl_key(PL_MSG, 3);
	T_EQ(T_OK(lib_get(k3, IPC_CREAT | 0600)), T_OK(B->msgget(k3, 0)));
	PL_ASSERT_PLACED(PL_MSG, k3);
	dlclose(again);
	dlclose(h);
	return 0;
}
