/*
 * preload-deepbind-lib.c - a shared library for preload-deepbind and
 * preload-dlopen-origin, loaded with dlopen(). Built as
 * $(BUILD)/tests/preload-deepbind-lib.so, next to the test programs.
 *
 * It reaches msgget and msgctl both ways a library can: by calling them
 * (a PLT slot, R_*_JUMP_SLOT) and through pointers taken at load time (a
 * GOT or data slot, R_*_GLOB_DAT or R_*_64). Loaded with RTLD_DEEPBIND,
 * each of these binds to libc first unless the preload library patches it.
 */
#include <sys/ipc.h>
#include <sys/msg.h>

/* The project builds with -fvisibility=hidden; these are looked up. */
#define PL_EXPORT __attribute__((visibility("default")))

PL_EXPORT int pl_lib_msgget(key_t key, int flg);
PL_EXPORT int pl_lib_msgctl(int id, int cmd, struct msqid_ds *buf);
PL_EXPORT extern int (*const pl_lib_msgget_ptr)(key_t key, int flg);

int pl_lib_msgget(key_t key, int flg)
{
	return msgget(key, flg);
}

int pl_lib_msgctl(int id, int cmd, struct msqid_ds *buf)
{
	return msgctl(id, cmd, buf);
}

int (*const pl_lib_msgget_ptr)(key_t key, int flg) = msgget;
