/*
 * sysv.h - lets one example source build against the kernel or ipckit.
 *
 * Built plainly, the examples call the System V functions of libc, so the
 * binaries are ordinary kernel-API programs (and the preload library,
 * LD_PRELOAD=libipckit-preload.so, can redirect them unmodified). Built with
 * -DUSE_IPCKIT, the same calls are renamed to their ipckit_ twins, which
 * take the same arguments and set the same errno values.
 */
#ifndef EXAMPLES_SYSV_H
#define EXAMPLES_SYSV_H

/*
 * The libc declarations come first, so that the renaming below touches
 * only the calls in the example, never the prototypes in these headers.
 */
#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#ifdef USE_IPCKIT
#include "ipckit.h"

#define msgget	   ipckit_msgget
#define msgsnd	   ipckit_msgsnd
#define msgrcv	   ipckit_msgrcv
#define msgctl	   ipckit_msgctl
#define semget	   ipckit_semget
#define semop	   ipckit_semop
#define semtimedop ipckit_semtimedop
#define semctl	   ipckit_semctl
#define shmget	   ipckit_shmget
#define shmat	   ipckit_shmat
#define shmdt	   ipckit_shmdt
#define shmctl	   ipckit_shmctl

#define SYSV_BACKEND "ipckit"
#else
#define SYSV_BACKEND "kernel"
#endif

/* Linux leaves union semun to the caller (man 2 semctl). */
union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *__buf;
};

#endif /* EXAMPLES_SYSV_H */
