/*
 * registry.c - the mechanisms this build measures, in the order the table
 * shows them: each ipckit mechanism right after the kernel object it
 * replaces, channels first, then the single-process operations.
 *
 * BENCH_NO_IPCKIT builds the benchmark without the ipckit mechanisms, for
 * working on it before libipckit exists; the Makefile never sets it.
 * BENCH_HAVE_BOOST is set by the Makefile when a C++ compiler and the
 * Boost.Interprocess headers are there to build mech-boost.cpp.
 */
#include "bench.h"

const struct bench_mech *const bench_mechs[] = {
	&bench_pipe,
	&bench_fifo,
	&bench_unix_stream,
	&bench_unix_dgram,
	&bench_tcp,
	&bench_posix_mq,
#ifdef BENCH_HAVE_BOOST
	&bench_boost_mq,
#endif
	&bench_sysv_msg,
#ifndef BENCH_NO_IPCKIT
	&bench_ipckit_msg_spin,
	&bench_ipckit_msg_sleep,
#endif
	&bench_sysv_sem,
	&bench_futex,
#ifndef BENCH_NO_IPCKIT
	&bench_ipckit_sem_spin,
	&bench_ipckit_sem_sleep,
#endif
	&bench_sysv_shm,
#ifndef BENCH_NO_IPCKIT
	&bench_ipckit_shm_spin,
	&bench_ipckit_shm_sleep,
#endif
	&bench_sysv_sem_pv,
#ifndef BENCH_NO_IPCKIT
	&bench_ipckit_sem_pv,
#endif
	&bench_sysv_sem_pv_undo,
#ifndef BENCH_NO_IPCKIT
	&bench_ipckit_sem_pv_undo,
#endif
	&bench_sysv_shm_bw,
#ifndef BENCH_NO_IPCKIT
	&bench_ipckit_shm_bw,
#endif
	&bench_sysv_shm_cycle,
#ifndef BENCH_NO_IPCKIT
	&bench_ipckit_shm_cycle,
#endif
};

const int bench_nmechs = sizeof(bench_mechs) / sizeof(bench_mechs[0]);

const char *const bench_unbuilt[] = {
#ifndef BENCH_HAVE_BOOST
	"boost-mq: not built (needs a C++ compiler and the "
	"Boost.Interprocess headers; Debian: apt-get install libboost-dev)",
#endif
#ifdef BENCH_NO_IPCKIT
	"ipckit-*: not built (BENCH_NO_IPCKIT)",
#endif
	"",
};

const size_t bench_sizes[] = {64, 4096, 65536};
const int bench_nsizes = sizeof(bench_sizes) / sizeof(bench_sizes[0]);
