/*
 * main.c - ipckit-bench, the benchmark as a program of its own; the
 * `ipckit bench` subcommand calls the same bench_main.
 */
#include "bench.h"

int main(int argc, char **argv)
{
	return bench_main(argc, argv);
}
