/*
 * top.c - `ipckit top`: a live view of the objects, refreshed every
 * --interval, in plain ANSI (cursor home, erase line), so it works in any
 * terminal and in tmux. q quits; so do SIGINT and SIGTERM, restoring the
 * terminal.
 *
 * Rates. Queues keep no count of messages sent or received (only the
 * depth), so IN/s and OUT/s are the depth's rises and falls, summed over
 * samples taken every 100 ms (or every interval, if shorter) and divided
 * by the time between refreshes. They are lower bounds: a message that
 * comes and goes between two samples is not seen. Reading is as ls's:
 * snapshots that change nothing.
 */
#include "cmd.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

/* A queue's depth as last sampled, and the moves seen since the refresh. */
struct track {
	int source;
	unsigned kind;
	int id;
	int64_t depth;
	uint64_t in, out;
	bool seen;
};

static struct track *tracks;
static size_t ntracks, captracks;

static struct termios saved_tio;
static bool tio_saved;
static volatile sig_atomic_t quit;

static void on_signal(int sig)
{
	quit = 1;
}

static void tty_restore(void)
{
	if (tio_saved)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tio);
	tio_saved = false;
}

static void tty_raw(void)
{
	struct termios t;
	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_tio) < 0)
		return;
	tio_saved = true;
	atexit(tty_restore);
	t = saved_tio;
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &t);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct track *track_of(const struct obj *o)
{
	for (size_t i = 0; i < ntracks; i++)
		if (tracks[i].source == o->source &&
		    tracks[i].kind == o->kind && tracks[i].id == o->id)
			return &tracks[i];
	if (ntracks == captracks) {
		size_t cap = captracks ? 2 * captracks : 64;
		struct track *t = realloc(tracks, cap * sizeof(*t));
		if (!t)
			return NULL;
		tracks = t;
		captracks = cap;
	}
	struct track *t = &tracks[ntracks++];
	*t = (struct track){o->source, o->kind, o->id, o->msgs, 0, 0, true};
	return t;
}

/* One sample of the queues' depths; forgets queues that are gone. */
static void sample(int sources)
{
	struct objlist l = {0};
	collect(&l, sources, KIND_BIT(IPCKIT_KIND_MSG), true);
	for (size_t i = 0; i < ntracks; i++)
		tracks[i].seen = false;
	for (size_t i = 0; i < l.n; i++) {
		const struct obj *o = &l.v[i];
		if (o->id < 0 || o->msgs < 0)
			continue;
		struct track *t = track_of(o);
		if (!t)
			continue;
		if (o->msgs > t->depth)
			t->in += (uint64_t)(o->msgs - t->depth);
		else
			t->out += (uint64_t)(t->depth - o->msgs);
		t->depth = o->msgs;
		t->seen = true;
	}
	size_t k = 0;
	for (size_t i = 0; i < ntracks; i++)
		if (tracks[i].seen)
			tracks[k++] = tracks[i];
	ntracks = k;
	objlist_free(&l);
}

static int obj_cmp(const void *a, const void *b)
{
	const struct obj *x = a, *y = b;
	if (x->source != y->source)
		return x->source - y->source;
	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	return (x->id > y->id) - (x->id < y->id);
}

static const char *num(char *buf, size_t n, int64_t v)
{
	if (v < 0)
		return "-";
	snprintf(buf, n, "%lld", (long long)v);
	return buf;
}

static void draw(int sources, unsigned kinds, double interval, double span)
{
	struct winsize ws;
	int rows = 24, cols = 132;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row) {
		rows = ws.ws_row;
		cols = ws.ws_col;
	}
	struct objlist l = {0};
	collect(&l, sources, kinds, true);
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), obj_cmp);
	char clock[32], line[512];
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	size_t queued = 0;
	for (size_t i = 0; i < l.n; i++)
		queued += l.v[i].msgs > 0 ? (size_t)l.v[i].msgs : 0;
	/* Home, then each line erased to its end: no flicker. */
	fputs("\033[H", stdout);
	snprintf(line, sizeof(line),
		 "ipckit top - %s - %s - every %.1fs - %zu objects, %zu "
		 "messages queued - q quits",
		 clock, ns_path(), interval, l.n, queued);
	printf("%.*s\033[K\n", cols, line);
	snprintf(line, sizeof(line),
		 "%-6s %-4s %-10s %-10s %-8s %6s %9s %8s %8s %4s %4s %6s "
		 "%5s %s",
		 "SOURCE", "KIND", "ID", "KEY", "OWNER", "MSGS", "BYTES",
		 "IN/s", "OUT/s", "SND", "RCV", "NATTCH", "NSEMS", "STATUS");
	printf("\033[7m%-*.*s\033[0m\033[K\n", cols, cols, line);
	int used = 2;
	for (size_t i = 0; i < l.n && used < rows - 1; i++, used++) {
		const struct obj *o = &l.v[i];
		char id[16], key[16] = "-", b1[24], b2[24], b3[24], b4[24],
			     b5[24], b6[24], in[24] = "-", out[24] = "-";
		if (o->has_key)
			snprintf(key, sizeof(key), "0x%08x", (unsigned)o->key);
		for (size_t k = 0; o->msgs >= 0 && k < ntracks; k++) {
			const struct track *tr = &tracks[k];
			if (tr->source != o->source || tr->kind != o->kind ||
			    tr->id != o->id || span <= 0)
				continue;
			snprintf(in, sizeof(in), "%.1f", (double)tr->in / span);
			snprintf(out, sizeof(out), "%.1f",
				 (double)tr->out / span);
		}
		snprintf(line, sizeof(line),
			 "%-6s %-4s %-10s %-10s %-8.8s %6s %9s %8s %8s %4s "
			 "%4s %6s %5s %s",
			 source_name(o->source), kind_name(o->kind),
			 num(id, sizeof(id), o->id), key,
			 o->perm_known ? user_name(o->uid) : "-",
			 num(b1, sizeof(b1), o->msgs),
			 num(b2, sizeof(b2), o->bytes), in, out,
			 num(b3, sizeof(b3), o->senders),
			 num(b4, sizeof(b4), o->receivers),
			 num(b5, sizeof(b5), o->nattch),
			 num(b6, sizeof(b6), o->nsems),
			 o->status[0] ? o->status : "");
		printf("%.*s\033[K\n", cols, line);
	}
	if (used < (int)l.n + 2)
		printf("(%zu more)\033[K\n", l.n + 2 - (size_t)used);
	/* Erase what an earlier, longer frame left below. */
	fputs("\033[J", stdout);
	fflush(stdout);
	objlist_free(&l);
}

/* Waits up to `secs` for a key; true when it asks to quit. */
static bool wait_key(double secs, bool *refresh)
{
	static bool input = true;
	struct pollfd p = {STDIN_FILENO, POLLIN, 0};
	int ms = (int)(secs * 1000);
	if (ms < 0)
		ms = 0;
	if (!input) {
		/* Standard input ended (not a terminal): time alone. */
		poll(NULL, 0, ms);
		return false;
	}
	if (poll(&p, 1, ms) <= 0)
		return false;
	char c;
	ssize_t n = read(STDIN_FILENO, &c, 1);
	if (n <= 0) {
		if (n == 0 || errno != EINTR)
			input = false;
		return false;
	}
	if (c == ' ')
		*refresh = true;
	return c == 'q' || c == 'Q';
}

int cmd_top(int argc, char **argv)
{
	enum { O_KIND = 256, O_SOURCE, O_DIR };
	static const struct option opts[] = {
	    {"interval", required_argument, NULL, 'd'},
	    {"iterations", required_argument, NULL, 'n'},
	    {"kind", required_argument, NULL, O_KIND},
	    {"source", required_argument, NULL, O_SOURCE},
	    {"dir", required_argument, NULL, O_DIR},
	    {NULL, 0, NULL, 0},
	};
	double interval = 1;
	long long iterations = 0;
	int sources = SRC_IPCKIT | SRC_KERNEL, c;
	unsigned kinds = KINDS_ALL;
	while ((c = getopt_long(argc, argv, "d:n:", opts, NULL)) != -1) {
		switch (c) {
		case 'd': {
			struct timespec ts = parse_seconds("interval", optarg);
			interval = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
			if (interval < 0.05)
				usage_fail("interval below 0.05 s");
			break;
		}
		case 'n':
			iterations =
			    parse_int("iterations", optarg, 1, LLONG_MAX);
			break;
		case O_KIND:
			kinds = KIND_BIT(kind_parse(optarg));
			if (!kind_parse(optarg))
				usage_fail("invalid kind '%s'", optarg);
			break;
		case O_SOURCE:
			sources = source_parse(optarg);
			if (sources < 0)
				usage_fail("invalid source '%s'", optarg);
			break;
		case O_DIR:
			set_dir(optarg);
			break;
		default:
			bad_option(argv);
		}
	}
	if (optind < argc)
		usage_fail("unexpected argument '%s'", argv[optind]);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	tty_raw();
	fputs("\033[H\033[2J", stdout);

	double tick = interval < 0.1 ? interval : 0.1;
	double last = now();
	sample(sources);
	for (size_t i = 0; i < ntracks; i++)
		tracks[i].in = tracks[i].out = 0;
	draw(sources, kinds, interval, 0);
	for (long long done = 1; !quit && (!iterations || done < iterations);
	     done++) {
		double next = last + interval;
		bool refresh = false;
		while (!quit && !refresh && now() < next) {
			double left = next - now();
			if (wait_key(left < tick ? left : tick, &refresh)) {
				quit = 1;
				break;
			}
			sample(sources);
		}
		if (quit)
			break;
		double t = now();
		draw(sources, kinds, interval, t - last);
		last = t;
		for (size_t i = 0; i < ntracks; i++)
			tracks[i].in = tracks[i].out = 0;
	}
	tty_restore();
	free(tracks);
	return 0;
}
