/*
 * stats.c - the statistics: quantiles of round-trip samples, and the
 * median and range of repeated runs.
 */
#include "bench.h"

#include <stdlib.h>
#include <string.h>

static int double_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Sorts v and returns its q-quantile, interpolating between the two
 * nearest ranks (numpy's default), so the median of an even count is the
 * mean of the middle two. n must be at least 1.
 */
double bench_quantile(double *v, size_t n, double q)
{
	double pos, frac;
	size_t i;

	qsort(v, n, sizeof(*v), double_cmp);
	pos = q * (double)(n - 1);
	i = (size_t)pos;
	frac = pos - (double)i;
	if (i + 1 >= n)
		return v[n - 1];
	return v[i] + frac * (v[i + 1] - v[i]);
}

void bench_fig_of(struct bench_fig *f, const double *v, int n)
{
	double tmp[BENCH_MAX_RUNS];

	if (n <= 0) {
		f->med = f->lo = f->hi = 0;
		return;
	}
	memcpy(tmp, v, (size_t)n * sizeof(*v));
	f->med = bench_quantile(tmp, (size_t)n, 0.5);
	f->lo = tmp[0];
	f->hi = tmp[n - 1];
}

void bench_result_finish(struct bench_result *r)
{
	bench_fig_of(&r->fig, r->run, r->nruns);
	bench_fig_of(&r->fig99, r->p99, r->nruns);
}
