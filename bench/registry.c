/*
 * registry.c - the mechanisms this build measures, in the order the table
 * shows them: each ipckit mechanism right after the kernel object it
 * replaces, channels first, then the single-process operations.
 */
#include "bench.h"

const struct bench_mech *const bench_mechs[] = {
	&bench_pipe,
	&bench_fifo,
	&bench_unix_stream,
	&bench_unix_dgram,
	&bench_tcp,
	&bench_posix_mq,
	&bench_sysv_msg,
	&bench_sysv_sem,
	&bench_sysv_shm,
	&bench_sysv_sem_pv,
	&bench_sysv_sem_pv_undo,
	&bench_sysv_shm_bw,
	&bench_sysv_shm_cycle,
};

const int bench_nmechs = sizeof(bench_mechs) / sizeof(bench_mechs[0]);

const char *const bench_unbuilt[] = {
	"",
};

const size_t bench_sizes[] = {64, 4096, 65536};
const int bench_nsizes = sizeof(bench_sizes) / sizeof(bench_sizes[0]);
