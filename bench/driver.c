/*
 * driver.c - bench_main, the benchmark's entry point (`ipckit bench` and
 * the standalone ipckit-bench): options, the machine it runs on, which
 * mechanisms run, the loop over mechanisms and sizes, the progress line,
 * and where the results go.
 */
#include "bench.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

/*
 * Run lengths. A quick run (about 80 figures, 3 rounds) must stay under
 * 20 s on a small machine, a full one take a few minutes; verification
 * moves a few hundred messages per mechanism and size, and times nothing.
 */
#define QUICK_RUNS 3
#define QUICK_RUN_NS 30e6
#define FULL_RUNS 7
#define FULL_RUN_NS 250e6
#define VERIFY_MSGS 300

static const char *prog = "ipckit-bench";
static bool progress_tty;
static char progress_head[96];

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [--quick | --verify-only] [--json] [--svg FILE]\n"
		"       %*s [--cpu A,B] [--only NAME,...] [--list]\n"
		"Measures every IPC mechanism side by side: round trips and "
		"one-way streams\n"
		"of 64 B, 4 KiB and 64 KiB messages between two processes, "
		"every message\n"
		"verified; then single-process semaphore and shared-memory "
		"operations.\n"
		"  --quick        a short run (under 20 s); the default takes "
		"a few minutes\n"
		"  --verify-only  move and verify a few hundred messages per "
		"mechanism and\n"
		"                 size, time nothing (the functional test)\n"
		"  --json         print the results as JSON instead of a "
		"table\n"
		"  --svg FILE     also write a chart (grouped bars, log "
		"scale) to FILE\n"
		"  --cpu A,B      run the measuring process on CPU A and its "
		"peer on CPU B\n"
		"                 (steadier figures: unpinned, the scheduler "
		"may move them)\n"
		"  --only NAMES   run only these mechanisms (a name, or a "
		"prefix such as\n"
		"                 ipckit), and the ones their ratios need\n"
		"  --list         list the mechanisms of this build\n",
		prog, (int)strlen(prog), "");
}

void bench_progress(const char *fmt, ...)
{
	char text[96];
	va_list ap;

	if (!progress_tty)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	fprintf(stderr, "\r\033[K%s %s", progress_head, text);
}

/* A new trial: the head of the line on a terminal, else a line of its own. */
static void progress_start(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(progress_head, sizeof(progress_head), fmt, ap);
	va_end(ap);
	if (progress_tty)
		bench_progress("%s", "");
	else
		fprintf(stderr, "bench: %s\n", progress_head);
}

static void progress_end(void)
{
	if (progress_tty)
		fprintf(stderr, "\r\033[K");
}

static void machine_read(struct bench_opts *o)
{
	struct utsname u;
	char line[256];
	FILE *f;
	time_t now = time(NULL);

	o->cores = (int)sysconf(_SC_NPROCESSORS_ONLN);
	snprintf(o->cpu_model, sizeof(o->cpu_model), "unknown CPU");
	f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		if (strncmp(line, "model name", 10) || !colon)
			continue;
		colon += 1 + strspn(colon + 1, " \t");
		colon[strcspn(colon, "\n")] = '\0';
		snprintf(o->cpu_model, sizeof(o->cpu_model), "%s", colon);
		break;
	}
	if (f)
		fclose(f);
	if (uname(&u) == 0)
		snprintf(o->kernel, sizeof(o->kernel), "%s %s %s", u.sysname,
			 u.release, u.machine);
	strftime(o->date, sizeof(o->date), "%Y-%m-%dT%H:%M:%SZ",
		 gmtime(&now));
	o->ipckit_spin = getenv("IPCKIT_SPIN");
}

/* What the report states every figure contains. */
static void costs_measure(struct bench_opts *o)
{
	static unsigned char buf[65536];
	volatile uint32_t sink = 0;
	const int reads = 100000, sums = 200;
	uint64_t t0;

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 131 + 7);
	t0 = bench_now();
	for (int i = 0; i < reads; i++)
		sink ^= (uint32_t)bench_now();
	o->clock_ns = (double)(bench_now() - t0) / reads;
	t0 = bench_now();
	for (int i = 0; i < sums; i++)
		sink ^= bench_sum(buf,
				  sizeof(buf) - sizeof(struct bench_msghdr));
	o->sum_ns = (double)(bench_now() - t0) / sums;
	(void)sink;
}

/* "A,B": two CPUs this process may run on. 0, or -1 after saying why. */
static int cpus_parse(const char *arg, int cpu[2])
{
	const char *s = arg;
	cpu_set_t allowed;
	char *end;

	for (int i = 0; i < 2; i++) {
		long v = strtol(s, &end, 10);
		if (end == s || v < 0 || v >= CPU_SETSIZE ||
		    *end != (i ? '\0' : ',')) {
			fprintf(stderr, "%s: --cpu %s: want two CPUs, as A,B\n",
				prog, arg);
			return -1;
		}
		cpu[i] = (int)v;
		s = end + 1;
	}
	if (sched_getaffinity(0, sizeof(allowed), &allowed) < 0) {
		fprintf(stderr, "%s: sched_getaffinity: %s\n", prog,
			strerror(errno));
		return -1;
	}
	for (int i = 0; i < 2; i++) {
		if (!CPU_ISSET(cpu[i], &allowed)) {
			fprintf(stderr,
				"%s: --cpu %s: CPU %d is not one this process "
				"may run on\n",
				prog, arg, cpu[i]);
			return -1;
		}
	}
	return 0;
}

static bool name_matches(const char *name, const char *want, size_t len)
{
	return !strncmp(name, want, len) &&
	       (name[len] == '\0' || name[len] == '-');
}

/*
 * Marks the mechanisms --only names, and the references their ratios are
 * computed against, so that every ratio printed comes from this run.
 */
static int select_mechs(const char *only, bool *sel)
{
	for (int i = 0; i < bench_nmechs; i++)
		sel[i] = !only;
	if (!only)
		return 0;
	for (const char *s = only; *s;) {
		size_t len = strcspn(s, ",");
		bool found = false;
		for (int i = 0; i < bench_nmechs; i++) {
			if (name_matches(bench_mechs[i]->name, s, len))
				sel[i] = found = true;
		}
		if (!found) {
			fprintf(stderr,
				"%s: --only: no mechanism named %.*s (see "
				"--list)\n",
				prog, (int)len, s);
			return -1;
		}
		s += len + (s[len] == ',');
	}
	for (int i = 0; i < bench_nmechs; i++) {
		for (int j = 0; sel[i] && j < bench_nmechs; j++) {
			if (bench_mechs[i]->ref &&
			    !strcmp(bench_mechs[j]->name, bench_mechs[i]->ref))
				sel[j] = true;
		}
	}
	return 0;
}

static void list_mechs(void)
{
	static const char *const wait[] = {"sleep", "spin", "-"};

	for (int i = 0; i < bench_nmechs; i++) {
		const struct bench_mech *m = bench_mechs[i];
		printf("%-18s %-7s %-5s %s\n", m->name,
		       m->kind == BENCH_OP ? "op" : "channel", wait[m->wait],
		       m->what);
	}
	for (int i = 0; bench_unbuilt[i][0]; i++)
		printf("# %s\n", bench_unbuilt[i]);
}

/*
 * ipckit objects go to a namespace of the run's own, on tmpfs like the
 * default, unless the user chose one: nothing the run makes can meet
 * another program's objects or outlive it. ipckit reads IPCKIT_DIR when a
 * process first uses it, which in the command is here, after this.
 */
static int namespace_make(char *dir, size_t len)
{
	struct stat st;

	dir[0] = '\0';
	if (getenv("IPCKIT_DIR"))
		return 0;
	snprintf(dir, len, "%s/ipckit-bench.XXXXXX",
		 stat("/dev/shm", &st) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(dir)) {
		fprintf(stderr, "%s: %s: %s\n", prog, dir, strerror(errno));
		dir[0] = '\0';
		return -1;
	}
	setenv("IPCKIT_DIR", dir, 1);
	return 0;
}

static void verify_print(const struct bench_result *r)
{
	char size[24];

	if (r->mode == BENCH_MODE_OP) {
		if (r->skip[0])
			printf("skipped  %s: %s\n", r->mech->name, r->skip);
		else
			printf("verified %s: %ld operations\n", r->mech->name,
			       r->verified);
		fflush(stdout);
		return;
	}
	bench_fmt_size(size, sizeof(size), r->size);
	/* r[0] is the round trip, r[1] the one-way stream. */
	if (r[0].skip[0] && r[1].skip[0]) {
		printf("skipped  %s %s: %s\n", r->mech->name, size, r->skip);
	} else {
		printf("verified %s %s: %ld messages", r->mech->name, size,
		       r[0].verified + r[1].verified);
		for (int i = 0; i < 2; i++) {
			if (r[i].skip[0])
				printf(" (%s not measured: %s)",
				       i ? "one way" : "round trip", r[i].skip);
		}
		printf("\n");
	}
	fflush(stdout);
}

/*
 * Every selected mechanism and size once per round, one run per figure
 * each time (verification: one round). Stops at the first failure: a bad
 * message fails the whole run.
 */
static int run_all(const struct bench_opts *o, const bool *sel,
		   struct bench_result *res, int *nres)
{
	int rounds = o->verify_only ? 1 : o->runs, trials = 0, n = 0;
	char size[24];

	for (int i = 0; i < bench_nmechs; i++) {
		if (sel[i])
			trials += bench_mechs[i]->kind == BENCH_OP
					  ? 1
					  : bench_nsizes;
	}
	for (int round = 0; round < rounds; round++) {
		int done = 0;
		n = 0;
		for (int i = 0; i < bench_nmechs; i++) {
			const struct bench_mech *m = bench_mechs[i];
			if (!sel[i])
				continue;
			if (m->kind == BENCH_OP) {
				progress_start("round %d/%d [%d/%d] %s",
					       round + 1, rounds, ++done,
					       trials, m->name);
				if (bench_run_op(o, m, round, &res[n]) < 0)
					goto out_stop;
				if (o->verify_only)
					verify_print(&res[n]);
				n++;
				continue;
			}
			for (int s = 0; s < bench_nsizes; s++) {
				bench_fmt_size(size, sizeof(size),
					       bench_sizes[s]);
				progress_start("round %d/%d [%d/%d] %s %s",
					       round + 1, rounds, ++done,
					       trials, m->name, size);
				if (bench_run_chan(o, m, bench_sizes[s], round,
						   &res[n], &res[n + 1]) < 0)
					goto out_stop;
				if (o->verify_only)
					verify_print(&res[n]);
				n += 2;
				if (bench_interrupted())
					goto out_stop;
			}
		}
	}
	*nres = n;
	for (int i = 0; i < n; i++)
		bench_result_finish(&res[i]);
	progress_end();
	return bench_interrupted() ? -1 : 0;

out_stop:
	*nres = n;
	progress_end();
	return -1;
}

/* Returns -1 to go on, else the status to exit with (help, bad usage). */
static int opts_parse(int argc, char **argv, struct bench_opts *o, bool *list)
{
	enum { OPT_QUICK = 256, OPT_VERIFY, OPT_JSON, OPT_SVG, OPT_CPU,
	       OPT_ONLY, OPT_LIST, OPT_HELP };
	static const struct option longopts[] = {
		{"quick", no_argument, NULL, OPT_QUICK},
		{"verify-only", no_argument, NULL, OPT_VERIFY},
		{"json", no_argument, NULL, OPT_JSON},
		{"svg", required_argument, NULL, OPT_SVG},
		{"cpu", required_argument, NULL, OPT_CPU},
		{"only", required_argument, NULL, OPT_ONLY},
		{"list", no_argument, NULL, OPT_LIST},
		{"help", no_argument, NULL, OPT_HELP},
		{NULL, 0, NULL, 0},
	};
	int c;

	optind = 0; /* glibc: start over, the command may have used getopt */
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_QUICK:
			o->quick = true;
			break;
		case OPT_VERIFY:
			o->verify_only = true;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_SVG:
			o->svg = optarg;
			break;
		case OPT_CPU:
			if (cpus_parse(optarg, o->cpu) < 0)
				return 2;
			break;
		case OPT_ONLY:
			o->only = optarg;
			break;
		case OPT_LIST:
			*list = true;
			break;
		case 'h':
		case OPT_HELP:
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument %s\n", prog,
			argv[optind]);
		usage(stderr);
		return 2;
	}
	if (o->verify_only && (o->json || o->svg)) {
		fprintf(stderr, "%s: --verify-only prints no figures\n", prog);
		return 2;
	}
	return -1;
}

int bench_main(int argc, char **argv)
{
	struct bench_opts o = {.cpu = {-1, -1}};
	struct bench_result *res;
	char nsdir[PATH_MAX];
	bool list = false, *sel;
	int rc, nres = 0, verified = 0, skipped = 0;

	if (argc > 0 && !strcmp(argv[0], "bench"))
		prog = "ipckit bench";
	rc = opts_parse(argc, argv, &o, &list);
	if (rc >= 0)
		return rc;
	if (list) {
		list_mechs();
		return 0;
	}
	o.runs = o.quick ? QUICK_RUNS : FULL_RUNS;
	o.run_ns = o.quick ? QUICK_RUN_NS : FULL_RUN_NS;
	o.verify_msgs = VERIFY_MSGS;
	o.trial_timeout = o.verify_only ? 10 : o.quick ? 30 : 120;

	sel = calloc((size_t)bench_nmechs, sizeof(*sel));
	res = calloc((size_t)bench_nmechs * (2 * (size_t)bench_nsizes + 1),
		     sizeof(*res));
	if (!sel || !res) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return 1;
	}
	if (select_mechs(o.only, sel) < 0) {
		rc = 2;
		goto out_free;
	}
	machine_read(&o);
	if (!o.verify_only)
		costs_measure(&o);
	if (namespace_make(nsdir, sizeof(nsdir)) < 0) {
		rc = 1;
		goto out_free;
	}
	progress_tty = isatty(STDERR_FILENO);

	bench_signals_block();
	rc = run_all(&o, sel, res, &nres) < 0 ? 1 : 0;
	if (nsdir[0])
		bench_tree_remove(nsdir);
	if (bench_interrupted()) {
		fprintf(stderr, "%s: interrupted; objects removed\n", prog);
		bench_signals_restore();
		goto out_free;
	}
	bench_signals_restore();
	if (rc) {
		fprintf(stderr, "%s: the run failed; its objects are removed\n",
			prog);
		goto out_free;
	}

	if (o.verify_only) {
		for (int i = 0; i < nres; i++) {
			if (!res[i].skip[0])
				verified++;
			else
				skipped++;
		}
		printf("verify: %d figures verified, %d not measurable, "
		       "no mismatch\n",
		       verified, skipped);
	} else if (o.json) {
		bench_report_json(&o, res, nres);
	} else {
		bench_report_table(&o, res, nres);
	}
	if (o.svg) {
		int err = bench_write_svg(o.svg, &o, res, nres);
		if (err) {
			fprintf(stderr, "%s: %s: %s\n", prog, o.svg,
				strerror(-err));
			rc = 1;
		}
	}

out_free:
	free(res);
	free(sel);
	return rc;
}
