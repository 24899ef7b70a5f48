/*
 * sysv.h - the System V mechanisms, written once over a table of calls so
 * that the kernel and ipckit run the very same code: mech-sysv-*.c hold
 * the code and the kernel's entries, mech-ipckit-*.c only ipckit's table
 * and entries. A mechanism's `arg` points at its table.
 */
#ifndef BENCH_SYSV_H
#define BENCH_SYSV_H

#include <stddef.h>
#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "bench.h"

/* Linux leaves union semun to the caller. */
union bench_semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *__buf;
};

/* The calls of one implementation; a mechanism fills those it uses. */
struct bench_sysv {
	int (*msgget)(key_t key, int msgflg);
	int (*msgsnd)(int msqid, const void *msgp, size_t msgsz, int msgflg);
	ssize_t (*msgrcv)(int msqid, void *msgp, size_t msgsz, long msgtyp,
			  int msgflg);
	int (*msgctl)(int msqid, int cmd, struct msqid_ds *buf);
	int (*semget)(key_t key, int nsems, int semflg);
	int (*semop)(int semid, struct sembuf *sops, size_t nsops);
	int (*semctl)(int semid, int semnum, int cmd, ...);
	int (*shmget)(key_t key, size_t size, int shmflg);
	void *(*shmat)(int shmid, const void *shmaddr, int shmflg);
	int (*shmdt)(const void *shmaddr);
	int (*shmctl)(int shmid, int cmd, struct shmid_ds *buf);
	/* ipckit_set_spin, or NULL: the kernel always sleeps */
	unsigned (*set_spin)(unsigned iterations);
};

/*
 * In each forked process: a BENCH_SLEEP mechanism on an implementation
 * that can spin turns spinning off, so both of its sides always sleep. A
 * BENCH_SPIN one keeps the library's setting ($IPCKIT_SPIN or its
 * default), which the report prints.
 */
static inline void bench_sysv_set_wait(const struct bench_chan *c)
{
	const struct bench_sysv *ops = c->mech->arg;

	if (ops->set_spin && c->mech->wait == BENCH_SLEEP)
		ops->set_spin(0);
}

/* mech-sysv-msg.c: a message queue per direction. */
bool bench_msgq_fits(const struct bench_mech *m, size_t size, char *why,
		     size_t len);
int bench_msgq_setup(struct bench_chan *c);
int bench_msgq_attach(struct bench_chan *c);
int bench_msgq_send(struct bench_chan *c, void *msg);
int bench_msgq_recv(struct bench_chan *c, void *buf, const void **msg);
void bench_msgq_teardown(struct bench_chan *c);

/* mech-sysv-sem.c: the hand-off, and the single-process P+V pair. */
bool bench_handoff_fits(const struct bench_mech *m, size_t size, char *why,
			size_t len);
int bench_handoff_setup(struct bench_chan *c);
int bench_handoff_attach(struct bench_chan *c);
int bench_handoff_send(struct bench_chan *c, void *msg);
int bench_handoff_recv(struct bench_chan *c, void *buf, const void **msg);
void bench_handoff_teardown(struct bench_chan *c);
int bench_pv_setup(struct bench_chan *c);
int bench_pv_op(struct bench_chan *c, long n);
void bench_pv_teardown(struct bench_chan *c);

/* mech-sysv-shm.c: the ring, bandwidth, and the make-and-remove cycle. */
int bench_ring_setup(struct bench_chan *c);
int bench_ring_attach(struct bench_chan *c);
int bench_ring_send(struct bench_chan *c, void *msg);
int bench_ring_recv(struct bench_chan *c, void *buf, const void **msg);
int bench_ring_release(struct bench_chan *c);
void bench_ring_teardown(struct bench_chan *c);
#define BENCH_BW_BYTES (64u << 20) /* the segment bandwidth goes through */
int bench_bw_setup(struct bench_chan *c);
int bench_bw_op(struct bench_chan *c, long n);
void bench_bw_teardown(struct bench_chan *c);
int bench_cycle_op(struct bench_chan *c, long n);

#endif /* BENCH_SYSV_H */
