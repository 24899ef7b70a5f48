/*
 * svg.c - the chart (--svg FILE), written by hand so the benchmark needs
 * nothing but libc: three panels of bars on logarithmic axes, round-trip
 * latency and one-way throughput grouped by mechanism with a bar per
 * message size, then the single-process operations. Each bar carries a
 * whisker from the slowest to the fastest run and a tooltip (<title>)
 * with the exact figures; a size a mechanism cannot carry gets a stub
 * whose tooltip says why.
 */
#include "bench.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define LEFT 84	     /* room for the axis labels */
#define RIGHT 24
#define PLOT_H 230   /* height of a panel's plot area */
#define LABELS_H 118 /* room under a panel for the rotated names */
#define TITLE_H 44
#define BAR_W 14
#define GROUP_GAP 20

static const char *const size_color[] = {"#4e79a7", "#f28e2b", "#59a14f"};

/* One panel: which results, and how to read a figure from them. */
struct panel {
	const char *title;
	const char *note; /* a line under the title */
	enum bench_mode mode;
	bool per_size;	  /* a group per mechanism, a bar per size */
	double lo, hi;	  /* decades of the axis */
	const char *unit; /* for the tick labels */
};

/* The figure a bar shows: ns for times, MB/s for one-way streams. */
static double bar_value(const struct bench_result *x, double v)
{
	return x->mode == BENCH_MODE_STREAM ? v * (double)x->size / 1e6 : v;
}

static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else
			fputc(*s, f);
	}
}

static void tick_label(char *buf, size_t len, double v, const char *unit)
{
	if (!strcmp(unit, "ns")) {
		if (v < 1e3)
			snprintf(buf, len, "%g ns", v);
		else if (v < 1e6)
			snprintf(buf, len, "%g us", v / 1e3);
		else if (v < 1e9)
			snprintf(buf, len, "%g ms", v / 1e6);
		else
			snprintf(buf, len, "%g s", v / 1e9);
		return;
	}
	if (v >= 1e6)
		snprintf(buf, len, "%g T%s", v / 1e6, unit);
	else if (v >= 1e3)
		snprintf(buf, len, "%g G%s", v / 1e3, unit);
	else
		snprintf(buf, len, "%g M%s", v, unit);
}

/* The decades that hold every measured figure (and its range). */
static bool panel_range(struct panel *p, const struct bench_result *r, int n)
{
	double lo = INFINITY, hi = 0;

	for (int i = 0; i < n; i++) {
		if (r[i].mode != p->mode || r[i].skip[0] || r[i].nruns == 0)
			continue;
		double a = bar_value(&r[i], r[i].fig.lo);
		double b = bar_value(&r[i], r[i].fig.hi);
		if (a > 0 && a < lo)
			lo = a;
		if (b > hi)
			hi = b;
	}
	if (hi <= 0)
		return false;
	p->lo = pow(10, floor(log10(lo)));
	p->hi = pow(10, ceil(log10(hi)));
	if (p->hi <= p->lo)
		p->hi = p->lo * 10;
	return true;
}

static double y_of(const struct panel *p, double top, double v)
{
	double t = (log10(v) - log10(p->lo)) / (log10(p->hi) - log10(p->lo));

	if (t < 0)
		t = 0;
	return top + PLOT_H - t * PLOT_H;
}

/* The groups of a panel: mechanisms in table order, each once. */
static int groups_of(const struct panel *p, const struct bench_result *r,
		     int n, const struct bench_mech **g)
{
	int ng = 0;

	for (int i = 0; i < n; i++) {
		if (r[i].mode != p->mode)
			continue;
		if (ng > 0 && g[ng - 1] == r[i].mech)
			continue;
		g[ng++] = r[i].mech;
	}
	return ng;
}

static void bar_tooltip(FILE *f, const struct bench_result *x)
{
	char a[16], b[16], size[24];

	bench_fmt_size(size, sizeof(size), x->size);
	fprintf(f, "<title>%s", x->mech->name);
	if (x->mode != BENCH_MODE_OP)
		fprintf(f, " %s", size);
	switch (x->mode) {
	case BENCH_MODE_RTT:
		bench_fmt_ns(a, sizeof(a), x->fig.med);
		bench_fmt_ns(b, sizeof(b), x->fig99.med);
		fprintf(f, ": round trip median %s, p99 %s", a, b);
		break;
	case BENCH_MODE_STREAM:
		fprintf(f, ": %.0f msgs/s, %.1f MB/s one way", x->fig.med,
			x->fig.med * (double)x->size / 1e6);
		break;
	case BENCH_MODE_OP:
		bench_fmt_ns(a, sizeof(a), x->fig.med);
		fprintf(f, ": %s per op", a);
		break;
	}
	fprintf(f, ", median of %d runs", x->nruns);
}

static double panel_draw(FILE *f, const struct panel *p,
			 const struct bench_result *r, int n, double top,
			 double width)
{
	const struct bench_mech *g[64];
	int ng = groups_of(p, r, n, g);
	int per = p->per_size ? bench_nsizes : 1;
	double gw = per * BAR_W + GROUP_GAP;
	double base = top + TITLE_H + PLOT_H, ptop = top + TITLE_H;
	char label[32];

	fprintf(f,
		"<text x=\"%d\" y=\"%.0f\" class=\"h\">%s</text>\n"
		"<text x=\"%d\" y=\"%.0f\" class=\"s\">%s</text>\n",
		LEFT, top + 18, p->title, LEFT, top + 33, p->note);
	/* Decade lines, labelled, and lighter lines at 2..9. */
	for (double d = p->lo; d <= p->hi * 1.001; d *= 10) {
		double y = y_of(p, ptop, d);
		tick_label(label, sizeof(label), d, p->unit);
		fprintf(f,
			"<line x1=\"%d\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" "
			"class=\"g\"/>\n<text x=\"%d\" y=\"%.1f\" "
			"class=\"t\">%s</text>\n",
			LEFT, width - RIGHT, y, y, LEFT - 6, y + 4, label);
		for (int k = 2; k < 10 && d * k < p->hi; k++) {
			y = y_of(p, ptop, d * k);
			fprintf(f,
				"<line x1=\"%d\" x2=\"%.0f\" y1=\"%.1f\" "
				"y2=\"%.1f\" class=\"m\"/>\n",
				LEFT, width - RIGHT, y, y);
		}
	}
	for (int gi = 0; gi < ng; gi++) {
		double x0 = LEFT + GROUP_GAP / 2.0 + gi * gw;
		bool ipckit = !strncmp(g[gi]->name, "ipckit", 6);
		for (int s = 0; s < per; s++) {
			size_t size = p->per_size ? bench_sizes[s] : 0;
			const struct bench_result *x =
				bench_find(r, n, g[gi]->name, p->mode, size);
			double bx = x0 + s * BAR_W;
			const char *color = p->per_size ? size_color[s]
					    : ipckit    ? "#4e79a7"
							: "#9c9c9c";
			double ratio;

			if (!x || x->skip[0] || x->nruns == 0) {
				fprintf(f,
					"<rect x=\"%.1f\" y=\"%.1f\" "
					"width=\"%d\" height=\"3\" "
					"class=\"na\"><title>%s: ",
					bx + 1, base - 3, BAR_W - 2,
					g[gi]->name);
				xml_text(f, x ? x->skip : "not measured");
				fprintf(f, "</title></rect>\n");
				continue;
			}
			double y = y_of(p, ptop, bar_value(x, x->fig.med));
			double ylo = y_of(p, ptop, bar_value(x, x->fig.lo));
			double yhi = y_of(p, ptop, bar_value(x, x->fig.hi));
			fprintf(f,
				"<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" "
				"height=\"%.1f\" fill=\"%s\">",
				bx + 1, y, BAR_W - 2, base - y, color);
			bar_tooltip(f, x);
			if (bench_ratio(r, n, x, &ratio))
				fprintf(f, "; %.2fx %s", ratio, x->mech->ref);
			fprintf(f, "</title></rect>\n");
			fprintf(f,
				"<path d=\"M%.1f %.1fV%.1fM%.1f %.1fh6M%.1f "
				"%.1fh6\" class=\"w\"/>\n",
				bx + BAR_W / 2.0, ylo, yhi,
				bx + BAR_W / 2.0 - 3, ylo, bx + BAR_W / 2.0 - 3,
				yhi);
		}
		double cx = x0 + per * BAR_W / 2.0;
		fprintf(f,
			"<text transform=\"translate(%.1f %.1f) "
			"rotate(-40)\" class=\"%s\">%s</text>\n",
			cx + 4, base + 12, ipckit ? "lk" : "l", g[gi]->name);
	}
	fprintf(f,
		"<line x1=\"%d\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" "
		"class=\"a\"/>\n",
		LEFT, width - RIGHT, base, base);
	return TITLE_H + PLOT_H + LABELS_H;
}

int bench_write_svg(const char *path, const struct bench_opts *o,
		    const struct bench_result *r, int n)
{
	struct panel panels[] = {
		{"Round trip between two processes: latency (log scale, "
		 "lower is better)",
		 "A message there and one back, each verified; the median "
		 "round trip.",
		 BENCH_MODE_RTT, true, 0, 0, "ns"},
		{"One way: throughput (log scale, higher is better)",
		 "A stream of messages from one process to another, each "
		 "verified; bytes per second.",
		 BENCH_MODE_STREAM, true, 0, 0, "B/s"},
		{"Single process: time per operation (log scale, lower is "
		 "better)",
		 "pv: semop P then V, never waiting; bw: writing then "
		 "reading 64 MiB; cycle: shmget to IPC_RMID.",
		 BENCH_MODE_OP, false, 0, 0, "ns"},
	};
	const struct bench_mech *g[64];
	double width = 820, height = 92, y;
	FILE *f;

	for (int i = 0; i < 3; i++) {
		int ng = groups_of(&panels[i], r, n, g);
		int per = panels[i].per_size ? bench_nsizes : 1;
		double w = LEFT + RIGHT + ng * (per * BAR_W + GROUP_GAP);
		if (w > width)
			width = w;
		if (panel_range(&panels[i], r, n))
			height += TITLE_H + PLOT_H + LABELS_H;
	}
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fprintf(f,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
		"height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
		"font-family=\"sans-serif\">\n"
		"<style>.h{font-size:14px;font-weight:bold}"
		".t{font-size:11px;text-anchor:end;fill:#444}"
		".l{font-size:11px;text-anchor:end}"
		".lk{font-size:11px;text-anchor:end;font-weight:bold;"
		"fill:#1f4e79}.s{font-size:11px;fill:#444}"
		".g{stroke:#ccc}.m{stroke:#eee}.a{stroke:#333}"
		".w{stroke:#222;fill:none}.na{fill:#ddd}</style>\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
		width, height, width, height);
	fprintf(f, "<text x=\"%d\" y=\"22\" class=\"h\">ipckit bench, %s run, "
		   "%s</text>\n<text x=\"%d\" y=\"40\" class=\"s\">",
		LEFT, o->quick ? "quick" : "full", o->date, LEFT);
	fprintf(f, "%d cores, ", o->cores);
	xml_text(f, o->cpu_model);
	fprintf(f, ", ");
	xml_text(f, o->kernel);
	fprintf(f, o->cpu[0] >= 0 ? "; pinned to CPUs %d and %d"
				  : "; not pinned",
		o->cpu[0], o->cpu[1]);
	fprintf(f,
		"</text>\n<text x=\"%d\" y=\"56\" class=\"s\">Bars: median "
		"of %d runs; whiskers: slowest to fastest run. Every message "
		"verified (sequence number and checksum).</text>\n"
		"<text x=\"%d\" y=\"72\" class=\"s\">*-spin: the waiting "
		"side polls shared memory, then sleeps; all others sleep "
		"in the kernel at once.</text>\n",
		LEFT, o->runs, LEFT);
	for (int s = 0; s < bench_nsizes; s++) {
		char size[24];
		bench_fmt_size(size, sizeof(size), bench_sizes[s]);
		fprintf(f,
			"<rect x=\"%.0f\" y=\"12\" width=\"10\" height=\"10\" "
			"fill=\"%s\"/><text x=\"%.0f\" y=\"21\" "
			"class=\"s\">%s</text>\n",
			width - RIGHT - 210 + s * 70, size_color[s],
			width - RIGHT - 196 + s * 70, size);
	}
	y = 84;
	for (int i = 0; i < 3; i++) {
		if (panels[i].hi > 0)
			y += panel_draw(f, &panels[i], r, n, y, width);
	}
	fprintf(f, "</svg>\n");
	if (fclose(f) != 0)
		return -errno;
	return 0;
}
