/*
 * mech-ipckit-shm.c - ipckit shared memory with ipckit semaphores, run by
 * the same code as the kernel's (mech-sysv-shm.c): the ring with spinning
 * on and off, memory bandwidth through an attached segment, and the
 * shmget+shmat+shmdt+IPC_RMID cycle.
 */
#include "sysv.h"

#include "ipckit.h"

static const struct bench_sysv ipckit_shm = {
	.semget = ipckit_semget,
	.semop = ipckit_semop,
	.semctl = ipckit_semctl,
	.shmget = ipckit_shmget,
	.shmat = ipckit_shmat,
	.shmdt = ipckit_shmdt,
	.shmctl = ipckit_shmctl,
	.set_spin = ipckit_set_spin,
};

const struct bench_mech bench_ipckit_shm_spin = {
	.name = "ipckit-shm-spin",
	.what = "ipckit shared memory ring + semaphores, waiter spins",
	.ref = "sysv-shm",
	.kind = BENCH_CHANNEL,
	.wait = BENCH_SPIN,
	.modes = BENCH_RTT | BENCH_STREAM,
	.arg = &ipckit_shm,
	.setup = bench_ring_setup,
	.attach = bench_ring_attach,
	.send = bench_ring_send,
	.recv = bench_ring_recv,
	.release = bench_ring_release,
	.teardown = bench_ring_teardown,
};

const struct bench_mech bench_ipckit_shm_sleep = {
	.name = "ipckit-shm-sleep",
	.what = "ipckit shared memory ring + semaphores, spinning off",
	.ref = "sysv-shm",
	.kind = BENCH_CHANNEL,
	.wait = BENCH_SLEEP,
	.modes = BENCH_RTT | BENCH_STREAM,
	.arg = &ipckit_shm,
	.setup = bench_ring_setup,
	.attach = bench_ring_attach,
	.send = bench_ring_send,
	.recv = bench_ring_recv,
	.release = bench_ring_release,
	.teardown = bench_ring_teardown,
};

const struct bench_mech bench_ipckit_shm_bw = {
	.name = "ipckit-shm-bw",
	.what = "ipckit shm: write then read a 64 MiB attached segment",
	.ref = "sysv-shm-bw",
	.kind = BENCH_OP,
	.wait = BENCH_NOWAIT,
	.op_bytes = 2 * (size_t)BENCH_BW_BYTES,
	.arg = &ipckit_shm,
	.setup = bench_bw_setup,
	.op = bench_bw_op,
	.teardown = bench_bw_teardown,
};

const struct bench_mech bench_ipckit_shm_cycle = {
	.name = "ipckit-shm-cycle",
	.what = "ipckit shmget+shmat+shmdt+IPC_RMID, 64 KiB, a page touched",
	.ref = "sysv-shm-cycle",
	.kind = BENCH_OP,
	.wait = BENCH_NOWAIT,
	.arg = &ipckit_shm,
	.op = bench_cycle_op,
};
