/*
 * report.c - what a run prints on stdout: the table for a terminal, or the
 * same figures as one JSON document (--json). Both start with the machine
 * and say what each figure is: round trip or one way, sleeping or
 * spinning, median of how many runs, and times faster than which
 * mechanism of the same run.
 */
#include "bench.h"

#include <stdio.h>
#include <string.h>

static const char *const wait_name[] = {
	[BENCH_SLEEP] = "sleep",
	[BENCH_SPIN] = "spin",
	[BENCH_NOWAIT] = "-",
};

static const char *const mode_name[] = {
	[BENCH_MODE_RTT] = "round_trip",
	[BENCH_MODE_STREAM] = "one_way",
	[BENCH_MODE_OP] = "op",
};

void bench_fmt_ns(char *buf, size_t len, double ns)
{
	if (ns < 1e3)
		snprintf(buf, len, "%.0f ns", ns);
	else if (ns < 1e4)
		snprintf(buf, len, "%.2f us", ns / 1e3);
	else if (ns < 1e5)
		snprintf(buf, len, "%.1f us", ns / 1e3);
	else if (ns < 1e6)
		snprintf(buf, len, "%.0f us", ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, len, "%.2f ms", ns / 1e6);
	else
		snprintf(buf, len, "%.2f s", ns / 1e9);
}

void bench_fmt_size(char *buf, size_t len, size_t size)
{
	if (size >= 1024 && size % 1024 == 0)
		snprintf(buf, len, "%zu KiB", size / 1024);
	else
		snprintf(buf, len, "%zu B", size);
}

/* 1234567 -> "1.23 M" */
static void fmt_rate(char *buf, size_t len, double v)
{
	if (v >= 1e9)
		snprintf(buf, len, "%.2f G", v / 1e9);
	else if (v >= 1e6)
		snprintf(buf, len, "%.2f M", v / 1e6);
	else if (v >= 1e3)
		snprintf(buf, len, "%.1f k", v / 1e3);
	else
		snprintf(buf, len, "%.0f", v);
}

const struct bench_result *bench_find(const struct bench_result *r, int n,
				      const char *name, enum bench_mode mode,
				      size_t size)
{
	for (int i = 0; i < n; i++) {
		if (r[i].mode == mode && r[i].size == size &&
		    !strcmp(r[i].mech->name, name))
			return &r[i];
	}
	return NULL;
}

/*
 * How many times faster x is than its reference in the same run: for
 * times (round trips, ops) the reference's over x's, for rates x's over
 * the reference's, so above 1 is always faster.
 */
bool bench_ratio(const struct bench_result *r, int n,
		 const struct bench_result *x, double *ratio)
{
	const struct bench_result *ref;

	if (!x->mech->ref || x->skip[0] || x->nruns == 0)
		return false;
	ref = bench_find(r, n, x->mech->ref, x->mode, x->size);
	if (!ref || ref->skip[0] || ref->nruns == 0 || ref->fig.med <= 0 ||
	    x->fig.med <= 0)
		return false;
	*ratio = x->mode == BENCH_MODE_STREAM ? x->fig.med / ref->fig.med
					      : ref->fig.med / x->fig.med;
	return true;
}

/* The run farthest from the median, as a share of it. */
static double spread(const struct bench_fig *f)
{
	double d = f->hi - f->med > f->med - f->lo ? f->hi - f->med
						   : f->med - f->lo;

	return f->med > 0 ? 100 * d / f->med : 0;
}

static void fmt_ratio(char *buf, size_t len, const struct bench_result *r,
		      int n, const struct bench_result *x)
{
	double ratio;

	if (x->mech->ref && !strcmp(x->mech->ref, x->mech->name))
		snprintf(buf, len, "(reference)");
	else if (bench_ratio(r, n, x, &ratio))
		snprintf(buf, len, "%.2fx %s", ratio, x->mech->ref);
	else
		snprintf(buf, len, "-");
}

static void print_header(const struct bench_opts *o)
{
	char sum[32];

	bench_fmt_ns(sum, sizeof(sum), o->sum_ns);
	printf("ipckit bench, %s run, %s\n", o->quick ? "quick" : "full",
	       o->date);
	printf("machine: %d cores, %s, %s\n", o->cores, o->cpu_model,
	       o->kernel);
	if (o->cpu[0] >= 0)
		printf("processes pinned: measuring on CPU %d, peer on CPU "
		       "%d\n",
		       o->cpu[0], o->cpu[1]);
	else
		printf("processes not pinned (--cpu A,B pins them)\n");
	printf("each figure: the median of %d runs; spread: the run "
	       "farthest from it\n",
	       o->runs);
	printf("every message carries a sequence number and a checksum the "
	       "receiver verifies\n"
	       "  (%s per 64 KiB, inside every figure); each round trip "
	       "sample holds one\n"
	       "  clock read (%.0f ns)\n",
	       sum, o->clock_ns);
	printf("wait: sleep = the waiting side blocks in the kernel at once; "
	       "spin = it polls\n"
	       "  shared memory first (IPCKIT_SPIN=%s), then sleeps\n",
	       o->ipckit_spin ? o->ipckit_spin : "unset: library default");
	printf("vs ref: times faster than the named mechanism in this run "
	       "(above 1: faster;\n"
	       "  -: the reference cannot carry that size)\n");
}

static void print_rtt(const struct bench_result *r, int n)
{
	char size[24], med[16], p99[16], ratio[48];

	printf("\nRound trip: one message each way between two processes "
	       "(lower is better)\n");
	printf("%-18s %-5s %7s %10s %10s %6s  %s\n", "mechanism", "wait",
	       "size", "median", "p99", "spread", "vs ref");
	for (int i = 0; i < n; i++) {
		const struct bench_result *x = &r[i];
		if (x->mode != BENCH_MODE_RTT || x->skip[0])
			continue;
		bench_fmt_size(size, sizeof(size), x->size);
		bench_fmt_ns(med, sizeof(med), x->fig.med);
		bench_fmt_ns(p99, sizeof(p99), x->fig99.med);
		fmt_ratio(ratio, sizeof(ratio), r, n, x);
		printf("%-18s %-5s %7s %10s %10s %5.0f%%  %s\n", x->mech->name,
		       wait_name[x->mech->wait], size, med, p99,
		       spread(&x->fig), ratio);
	}
}

static void print_stream(const struct bench_result *r, int n)
{
	char size[24], rate[16], ratio[48];

	printf("\nOne way: a stream of messages from one process to another "
	       "(higher is better)\n");
	printf("%-18s %-5s %7s %10s %10s %6s  %s\n", "mechanism", "wait",
	       "size", "msgs/s", "MB/s", "spread", "vs ref");
	for (int i = 0; i < n; i++) {
		const struct bench_result *x = &r[i];
		if (x->mode != BENCH_MODE_STREAM || x->skip[0])
			continue;
		bench_fmt_size(size, sizeof(size), x->size);
		fmt_rate(rate, sizeof(rate), x->fig.med);
		fmt_ratio(ratio, sizeof(ratio), r, n, x);
		printf("%-18s %-5s %7s %10s %10.1f %5.0f%%  %s\n",
		       x->mech->name, wait_name[x->mech->wait], size, rate,
		       x->fig.med * (double)x->size / 1e6, spread(&x->fig),
		       ratio);
	}
}

static void print_ops(const struct bench_result *r, int n)
{
	char per[16], mbs[16], ratio[48];

	printf("\nSingle process: an operation repeated, never waiting "
	       "(lower time is better)\n");
	printf("%-20s %10s %10s %6s  %s\n", "operation", "per op", "MB/s",
	       "spread", "vs ref");
	for (int i = 0; i < n; i++) {
		const struct bench_result *x = &r[i];
		if (x->mode != BENCH_MODE_OP || x->skip[0])
			continue;
		bench_fmt_ns(per, sizeof(per), x->fig.med);
		snprintf(mbs, sizeof(mbs), "%s", "");
		if (x->mech->op_bytes)
			snprintf(mbs, sizeof(mbs), "%.0f",
				 (double)x->mech->op_bytes * 1e3 / x->fig.med);
		fmt_ratio(ratio, sizeof(ratio), r, n, x);
		printf("%-20s %10s %10s %5.0f%%  %s\n", x->mech->name, per, mbs,
		       spread(&x->fig), ratio);
	}
}

static bool skip_is(const struct bench_result *x, const char *why)
{
	return x && !strcmp(x->skip, why);
}

/*
 * Says why a channel was not measured at some sizes or in some mode, one
 * line per reason, naming what it concerns: "sysv-msg 64 KiB: exceeds
 * msgmax ...", "sysv-sem one way: round trip only ...".
 */
static void print_skip_line(const struct bench_result *r, int n,
			    const struct bench_mech *m, const char *why)
{
	bool stream_all = true, rtt_all = true;
	char size[24];
	const char *sep = " ";

	for (int s = 0; s < bench_nsizes; s++) {
		size_t sz = bench_sizes[s];
		stream_all &= skip_is(bench_find(r, n, m->name,
						 BENCH_MODE_STREAM, sz),
				      why);
		rtt_all &= skip_is(bench_find(r, n, m->name, BENCH_MODE_RTT, sz),
				   why);
	}
	printf("  %s", m->name);
	for (int s = 0; s < bench_nsizes && !(rtt_all && stream_all); s++) {
		size_t sz = bench_sizes[s];
		bool rh = skip_is(bench_find(r, n, m->name, BENCH_MODE_RTT, sz),
				  why);
		bool sh = skip_is(bench_find(r, n, m->name, BENCH_MODE_STREAM,
					     sz),
				  why);
		bench_fmt_size(size, sizeof(size), sz);
		if (rh && sh)
			printf("%s%s", sep, size);
		else if (rh)
			printf("%s%s round trip", sep, size);
		else if (sh && !stream_all)
			printf("%s%s one way", sep, size);
		else
			continue;
		sep = ", ";
	}
	if (stream_all && !rtt_all)
		printf("%sone way", sep);
	printf(": %s\n", why);
}

/* Every reason a mechanism was not measured, once; whether there was one. */
static bool print_skips(const struct bench_result *r, int n,
			const struct bench_mech *m)
{
	bool any = false;

	for (int i = 0; i < n; i++) {
		bool seen = false;
		if (r[i].mech != m || !r[i].skip[0])
			continue;
		for (int j = 0; j < i && !seen; j++)
			seen = r[j].mech == m && !strcmp(r[j].skip, r[i].skip);
		if (seen)
			continue;
		if (m->kind == BENCH_OP)
			printf("  %s: %s\n", m->name, r[i].skip);
		else
			print_skip_line(r, n, m, r[i].skip);
		any = true;
	}
	return any;
}

void bench_report_table(const struct bench_opts *o,
			const struct bench_result *r, int n)
{
	bool any = false;

	print_header(o);
	print_rtt(r, n);
	print_stream(r, n);
	print_ops(r, n);

	printf("\nNot measured:\n");
	for (int i = 0; i < n; i++) {
		if (i > 0 && r[i - 1].mech == r[i].mech)
			continue;
		any |= print_skips(r, n, r[i].mech);
	}
	for (int i = 0; bench_unbuilt[i][0]; i++) {
		printf("  %s\n", bench_unbuilt[i]);
		any = true;
	}
	if (!any)
		printf("  nothing\n");

	printf("\nMechanisms:\n");
	for (int i = 0; i < n; i++) {
		if (i > 0 && r[i - 1].mech == r[i].mech)
			continue;
		printf("  %-18s %s\n", r[i].mech->name, r[i].mech->what);
	}
}

/* Strings we print come from /proc, uname and our own messages. */
static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch < 0x20)
			printf("\\u%04x", ch);
		else
			putchar(ch);
	}
	putchar('"');
}

static void json_runs(const char *key, const double *v, int n)
{
	printf(", \"%s\": [", key);
	for (int i = 0; i < n; i++)
		printf("%s%.6g", i ? ", " : "", v[i]);
	printf("]");
}

static void json_result(const struct bench_result *r, int n,
			const struct bench_result *x)
{
	double ratio;

	printf("    {\"mechanism\": ");
	json_str(x->mech->name);
	printf(", \"mode\": \"%s\", \"wait\": \"%s\"", mode_name[x->mode],
	       wait_name[x->mech->wait]);
	if (x->mode != BENCH_MODE_OP)
		printf(", \"size\": %zu", x->size);
	switch (x->mode) {
	case BENCH_MODE_RTT:
		printf(", \"median_ns\": %.6g, \"p99_ns\": %.6g", x->fig.med,
		       x->fig99.med);
		json_runs("runs_median_ns", x->run, x->nruns);
		json_runs("runs_p99_ns", x->p99, x->nruns);
		printf(", \"round_trips_per_run\": %ld", x->count);
		break;
	case BENCH_MODE_STREAM:
		printf(", \"msgs_per_s\": %.6g, \"mb_per_s\": %.6g", x->fig.med,
		       x->fig.med * (double)x->size / 1e6);
		json_runs("runs_msgs_per_s", x->run, x->nruns);
		printf(", \"msgs_per_run\": %ld", x->count);
		break;
	case BENCH_MODE_OP:
		printf(", \"ns_per_op\": %.6g", x->fig.med);
		if (x->mech->op_bytes)
			printf(", \"mb_per_s\": %.6g",
			       (double)x->mech->op_bytes * 1e3 / x->fig.med);
		json_runs("runs_ns_per_op", x->run, x->nruns);
		printf(", \"ops_per_run\": %ld", x->count);
		break;
	}
	printf(", \"min\": %.6g, \"max\": %.6g, \"verified\": %ld", x->fig.lo,
	       x->fig.hi, x->verified);
	if (x->mech->ref) {
		printf(", \"ref\": ");
		json_str(x->mech->ref);
	}
	if (bench_ratio(r, n, x, &ratio))
		printf(", \"ratio\": %.4g", ratio);
	printf("}");
}

void bench_report_json(const struct bench_opts *o,
		       const struct bench_result *r, int n)
{
	const char *sep = "";

	printf("{\n  \"tool\": \"ipckit bench\", \"run\": \"%s\", "
	       "\"date\": \"%s\",\n",
	       o->quick ? "quick" : "full", o->date);
	printf("  \"machine\": {\"cores\": %d, \"cpu\": ", o->cores);
	json_str(o->cpu_model);
	printf(", \"kernel\": ");
	json_str(o->kernel);
	printf("},\n  \"config\": {\"runs\": %d, \"run_ms\": %.0f, ", o->runs,
	       o->run_ns / 1e6);
	if (o->cpu[0] >= 0)
		printf("\"cpu\": [%d, %d], ", o->cpu[0], o->cpu[1]);
	else
		printf("\"cpu\": null, ");
	printf("\"ipckit_spin\": ");
	if (o->ipckit_spin)
		json_str(o->ipckit_spin);
	else
		printf("null");
	printf(", \"clock_read_ns\": %.3g, \"verify_64k_ns\": %.4g},\n",
	       o->clock_ns, o->sum_ns);

	printf("  \"results\": [\n");
	for (int i = 0; i < n; i++) {
		if (r[i].skip[0])
			continue;
		printf("%s", sep);
		json_result(r, n, &r[i]);
		sep = ",\n";
	}
	printf("\n  ],\n  \"not_measured\": [\n");
	sep = "";
	for (int i = 0; i < n; i++) {
		const struct bench_result *x = &r[i];
		if (!x->skip[0])
			continue;
		printf("%s    {\"mechanism\": ", sep);
		json_str(x->mech->name);
		printf(", \"mode\": \"%s\", \"size\": %zu, \"reason\": ",
		       mode_name[x->mode], x->size);
		json_str(x->skip);
		printf("}");
		sep = ",\n";
	}
	for (int i = 0; bench_unbuilt[i][0]; i++) {
		printf("%s    {\"reason\": ", sep);
		json_str(bench_unbuilt[i]);
		printf("}");
		sep = ",\n";
	}
	printf("\n  ]\n}\n");
}
