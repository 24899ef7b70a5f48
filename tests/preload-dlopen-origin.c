/*
 * preload-dlopen-origin: the preload library's dlopen must not change how
 * glibc resolves a plain dlopen. glibc judges a dlopen by the caller's
 * return address: its namespace, its DT_RUNPATH, and the directory that
 * $ORIGIN in the file name stands for. A wrapper that called the real
 * dlopen and returned would make every caller look like the preload
 * library, so "$ORIGIN/x.so" would be sought beside it instead of beside
 * this program. The wrapper tail-calls instead; this checks it, as it may
 * silently stop being one (another compiler, other flags).
 */
#include "preload-common.h"

typedef int (*get_fn)(key_t, int);

int main(int argc, char **argv)
{
	t_init(argc, argv, T_KERNEL);
#ifdef __SANITIZE_ADDRESS__
	t_skip("ASan's own dlopen interceptor hides the caller from glibc");
#endif
	char exe[512];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 64);
	T_ASSERT(n > 0);
	exe[n] = 0;
	strcpy(strrchr(exe, '/') + 1, "preload-deepbind-lib.so");
	if (access(exe, R_OK) < 0)
		t_skip("%s not built", exe);

	void *h = dlopen("$ORIGIN/preload-deepbind-lib.so", RTLD_NOW);
	if (!h)
		t_fail(__FILE__, __LINE__, "dlopen $ORIGIN/...: %s", dlerror());

	/* Loaded normally, the library binds through the global scope. */
	get_fn lib_get = (get_fn)dlsym(h, "pl_lib_msgget");
	T_ASSERT(lib_get);
	key_t key = pl_key(PL_MSG, 1);
	T_EQ(T_OK(lib_get(key, IPC_CREAT | 0600)), T_OK(B->msgget(key, 0)));
	PL_ASSERT_PLACED(PL_MSG, key);
	dlclose(h);
	return 0;
}
