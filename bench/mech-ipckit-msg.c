/*
 * mech-ipckit-msg.c - the ipckit message queue, run by the same code as
 * the kernel's (mech-sysv-msg.c), twice: with the library's spinning (a
 * waiting side polls the queue for a while before it sleeps) and with
 * spinning off (both sides always sleep, as the kernel's do).
 */
#include "sysv.h"

#include "ipckit.h"

static const struct bench_sysv ipckit_msg = {
	.msgget = ipckit_msgget,
	.msgsnd = ipckit_msgsnd,
	.msgrcv = ipckit_msgrcv,
	.msgctl = ipckit_msgctl,
	.set_spin = ipckit_set_spin,
};

const struct bench_mech bench_ipckit_msg_spin = {
	.name = "ipckit-msg-spin",
	.what = "ipckit message queue, waiter spins then sleeps",
	.ref = "sysv-msg",
	.kind = BENCH_CHANNEL,
	.wait = BENCH_SPIN,
	.modes = BENCH_RTT | BENCH_STREAM,
	.arg = &ipckit_msg,
	.fits = bench_msgq_fits,
	.setup = bench_msgq_setup,
	.attach = bench_msgq_attach,
	.send = bench_msgq_send,
	.recv = bench_msgq_recv,
	.teardown = bench_msgq_teardown,
};

const struct bench_mech bench_ipckit_msg_sleep = {
	.name = "ipckit-msg-sleep",
	.what = "ipckit message queue, spinning off: waiter sleeps at once",
	.ref = "sysv-msg",
	.kind = BENCH_CHANNEL,
	.wait = BENCH_SLEEP,
	.modes = BENCH_RTT | BENCH_STREAM,
	.arg = &ipckit_msg,
	.fits = bench_msgq_fits,
	.setup = bench_msgq_setup,
	.attach = bench_msgq_attach,
	.send = bench_msgq_send,
	.recv = bench_msgq_recv,
	.teardown = bench_msgq_teardown,
};
