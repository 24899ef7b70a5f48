/*
 * mech-ipckit-sem.c - ipckit semaphores, run by the same code as the
 * kernel's (mech-sysv-sem.c): the two-process hand-off with spinning on
 * and off, and the uncontended P+V pair with and without SEM_UNDO, which
 * never waits and so never spins.
 */
#include "sysv.h"

#include "ipckit.h"

static const struct bench_sysv ipckit_sem = {
	.semget = ipckit_semget,
	.semop = ipckit_semop,
	.semctl = ipckit_semctl,
	.set_spin = ipckit_set_spin,
};

const struct bench_mech bench_ipckit_sem_spin = {
	.name = "ipckit-sem-spin",
	.what = "ipckit semaphores: hand-off, waiter spins then sleeps",
	.ref = "sysv-sem",
	.kind = BENCH_CHANNEL,
	.wait = BENCH_SPIN,
	.modes = BENCH_RTT,
	.arg = &ipckit_sem,
	.fits = bench_handoff_fits,
	.setup = bench_handoff_setup,
	.attach = bench_handoff_attach,
	.send = bench_handoff_send,
	.recv = bench_handoff_recv,
	.teardown = bench_handoff_teardown,
};

const struct bench_mech bench_ipckit_sem_sleep = {
	.name = "ipckit-sem-sleep",
	.what = "ipckit semaphores: hand-off, spinning off",
	.ref = "sysv-sem",
	.kind = BENCH_CHANNEL,
	.wait = BENCH_SLEEP,
	.modes = BENCH_RTT,
	.arg = &ipckit_sem,
	.fits = bench_handoff_fits,
	.setup = bench_handoff_setup,
	.attach = bench_handoff_attach,
	.send = bench_handoff_send,
	.recv = bench_handoff_recv,
	.teardown = bench_handoff_teardown,
};

const struct bench_mech bench_ipckit_sem_pv = {
	.name = "ipckit-sem-pv",
	.what = "ipckit semop: P then V, uncontended, one process",
	.ref = "sysv-sem-pv",
	.kind = BENCH_OP,
	.wait = BENCH_NOWAIT,
	.arg = &ipckit_sem,
	.setup = bench_pv_setup,
	.op = bench_pv_op,
	.teardown = bench_pv_teardown,
};

const struct bench_mech bench_ipckit_sem_pv_undo = {
	.name = "ipckit-sem-pv-undo",
	.what = "ipckit semop: P then V with SEM_UNDO, uncontended",
	.ref = "sysv-sem-pv-undo",
	.kind = BENCH_OP,
	.wait = BENCH_NOWAIT,
	.arg = &ipckit_sem,
	.opt = SEM_UNDO,
	.setup = bench_pv_setup,
	.op = bench_pv_op,
	.teardown = bench_pv_teardown,
};
