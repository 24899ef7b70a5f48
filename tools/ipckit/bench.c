/*
 * bench.c - `ipckit bench`: hands over to the benchmark's bench_main
 * (bench/driver.c), with the arguments after "bench".
 *
 * The reference is weak so the command links whether or not the
 * benchmark is built into it; without it, the subcommand says so.
 */
#include "cmd.h"

#include <errno.h>

int bench_main(int argc, char **argv) __attribute__((weak));

int cmd_bench(int argc, char **argv)
{
	if (!bench_main)
		fail_msg("bench: this ipckit was built without the benchmark "
			 "(see bench/)");
	return bench_main(argc, argv);
}
