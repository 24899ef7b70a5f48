/*
 * util.c - error conversion, time, spinning and user-pointer checks: the
 * small pieces every call needs.
 */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <limits.h>
#include <sys/uio.h>
#include <unistd.h>

long ipckit__ret(long rc)
{
	if (rc >= 0)
		return rc;
	errno = (int)-rc;
	return -1;
}

void *ipckit__ret_ptr(void *p)
{
	if (!IPCKIT_IS_ERR_PTR(p))
		return p;
	errno = (int)-(intptr_t)p;
	return (void *)-1;
}

/*
 * The coarse clock, as the kernel's ktime_get_real_seconds(): the fields
 * have one-second resolution, and this costs a few nanoseconds, not the
 * 60 ns of CLOCK_REALTIME on the development VM.
 */
int64_t ipckit__now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME_COARSE, &ts);
	return ts.tv_sec;
}

int ipckit__deadline(const struct timespec *timeout, bool abs,
		     struct timespec *deadline, bool *has_deadline)
{
	*has_deadline = false;
	if (!timeout)
		return 0;
	if (timeout->tv_sec < 0 || timeout->tv_nsec < 0 ||
	    timeout->tv_nsec >= 1000000000L)
		return -EINVAL;
	*has_deadline = true;
	if (abs) {
		*deadline = *timeout;
		return 0;
	}
	clock_gettime(CLOCK_MONOTONIC, deadline);
	/* Saturate instead of overflowing on absurd intervals. */
	if (timeout->tv_sec > INT64_MAX / 2 - deadline->tv_sec) {
		deadline->tv_sec = INT64_MAX / 2;
		return 0;
	}
	deadline->tv_sec += timeout->tv_sec;
	deadline->tv_nsec += timeout->tv_nsec;
	if (deadline->tv_nsec >= 1000000000L) {
		deadline->tv_sec++;
		deadline->tv_nsec -= 1000000000L;
	}
	return 0;
}

bool ipckit__expired(const struct timespec *deadline)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > deadline->tv_sec ||
	       (now.tv_sec == deadline->tv_sec &&
		now.tv_nsec >= deadline->tv_nsec);
}

const struct timespec *ipckit__slice_until(const struct timespec *deadline,
					   struct timespec *slice, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, slice);
	slice->tv_sec += ms / 1000;
	slice->tv_nsec += (ms % 1000) * 1000000L;
	if (slice->tv_nsec >= 1000000000L) {
		slice->tv_sec++;
		slice->tv_nsec -= 1000000000L;
	}
	if (deadline && (deadline->tv_sec < slice->tv_sec ||
			 (deadline->tv_sec == slice->tv_sec &&
			  deadline->tv_nsec <= slice->tv_nsec)))
		return deadline;
	return slice;
}

/*
 * About 20 us of pause instructions (34 ns each on the development VM):
 * enough for a partner on another core to answer a hand-off in user space,
 * short enough that a waiter whose partner is not running (2 busy cores)
 * soon sleeps and gives it the CPU.
 */
#define IPCKIT_SPIN_DEFAULT 600

/* UINT_MAX: not yet read from $IPCKIT_SPIN. */
static atomic_uint spin_limit = UINT_MAX;

unsigned ipckit__spin_limit(void)
{
	unsigned v = atomic_load_explicit(&spin_limit, memory_order_relaxed);
	if (v != UINT_MAX)
		return v;
	const char *env = getenv("IPCKIT_SPIN");
	v = IPCKIT_SPIN_DEFAULT;
	if (env && *env) {
		char *end;
		unsigned long n = strtoul(env, &end, 10);
		if (!*end && n < UINT_MAX)
			v = (unsigned)n;
	}
	unsigned expected = UINT_MAX;
	atomic_compare_exchange_strong(&spin_limit, &expected, v);
	return atomic_load_explicit(&spin_limit, memory_order_relaxed);
}

IPCKIT_EXPORT unsigned ipckit_set_spin(unsigned iterations)
{
	unsigned old = ipckit__spin_limit();
	if (iterations == UINT_MAX)
		iterations--;
	atomic_store(&spin_limit, iterations);
	return old;
}

void ipckit__cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#else
	__asm__ __volatile__("" ::: "memory");
#endif
}

/*
 * The fault point, read once per process: `fault_pid` says which process
 * read it, so a forked child that sets $IPCKIT_FAULT reads it anew.
 */
static const char *_Atomic fault_point;
static _Atomic int32_t fault_pid;

void ipckit__fault(const char *point)
{
	struct ipckit_proc_rec self;
	ipckit__self(&self);
	const char *want = atomic_load_explicit(&fault_point,
						memory_order_relaxed);
	if (!want || atomic_load_explicit(&fault_pid, memory_order_relaxed) !=
			     self.p_pid) {
		want = getenv("IPCKIT_FAULT");
		if (!want)
			want = "";
		atomic_store_explicit(&fault_point, want,
				      memory_order_relaxed);
		atomic_store_explicit(&fault_pid, self.p_pid,
				      memory_order_relaxed);
	}
	if (*want && !strcmp(want, point))
		raise(SIGKILL);
	if (!strncmp(want, "stop:", 5) && !strcmp(want + 5, point))
		raise(SIGSTOP);
}

/*
 * User pointers. The kernel answers a bad pointer with EFAULT; a library
 * touching it would crash instead. Asking the kernel costs a system call,
 * so each thread remembers the last few page ranges it proved readable and
 * writable, and programs that reuse their buffers (nearly all) pay the call
 * once per buffer. The price: a range unmapped after it was proved faults
 * in the caller instead of giving EFAULT (docs/DESIGN.md, "Differences").
 */
struct range {
	uintptr_t lo, hi;
};

/*
 * A few ranges, not one: programs that rotate through several buffers
 * (a ring of them, one per peer) would otherwise pay a system call per
 * call. Overlapping or touching ranges merge; otherwise the oldest goes.
 */
#define PROVED_RANGES 4
struct proved {
	struct range r[PROVED_RANGES];
	unsigned next;
};
static _Thread_local struct proved proved_readable, proved_writable;

#define PAGE_MASK_ (~(uintptr_t)4095)

static bool in_range(const struct proved *pr, uintptr_t p, size_t len)
{
	for (int i = 0; i < PROVED_RANGES; i++) {
		const struct range *r = &pr->r[i];
		if (p >= r->lo && len <= r->hi - p && p + len <= r->hi)
			return true;
	}
	return false;
}

static void remember(struct proved *pr, uintptr_t p, size_t len)
{
	uintptr_t lo = p & PAGE_MASK_, hi = (p + len + 4095) & PAGE_MASK_;
	for (int i = 0; i < PROVED_RANGES; i++) {
		struct range *r = &pr->r[i];
		if (r->hi > r->lo && lo <= r->hi && hi >= r->lo) {
			r->lo = lo < r->lo ? lo : r->lo;
			r->hi = hi > r->hi ? hi : r->hi;
			return;
		}
	}
	pr->r[pr->next++ % PROVED_RANGES] = (struct range){lo, hi};
}

/* Addresses no process can map: NULL page, non-canonical, kernel half. */
static bool is_bogus(uintptr_t p, size_t len)
{
	return p < 4096 || p + len < p || p + len > ((uintptr_t)1 << 47);
}

static int copy_from(void *dst, const void *src, size_t len, bool cached)
{
	uintptr_t p = (uintptr_t)src;
	if (len == 0)
		return 0;
	if (is_bogus(p, len))
		return -EFAULT;
	if (cached && in_range(&proved_readable, p, len)) {
		memcpy(dst, src, len);
		return 0;
	}
	struct iovec local = {dst, len}, remote = {(void *)src, len};
	ssize_t n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
	if (n != (ssize_t)len)
		return -EFAULT;
	remember(&proved_readable, p, len);
	return 0;
}

static int copy_to(void *dst, const void *src, size_t len, bool cached)
{
	uintptr_t p = (uintptr_t)dst;
	if (len == 0)
		return 0;
	if (is_bogus(p, len))
		return -EFAULT;
	if (cached && in_range(&proved_writable, p, len)) {
		memcpy(dst, src, len);
		return 0;
	}
	struct iovec local = {(void *)src, len}, remote = {dst, len};
	ssize_t n = process_vm_writev(getpid(), &local, 1, &remote, 1, 0);
	if (n != (ssize_t)len)
		return -EFAULT;
	remember(&proved_writable, p, len);
	return 0;
}

int ipckit__copy_from_user(void *dst, const void *src, size_t len)
{
	return copy_from(dst, src, len, true);
}

int ipckit__copy_from_user_checked(void *dst, const void *src, size_t len)
{
	return copy_from(dst, src, len, false);
}

int ipckit__copy_to_user(void *dst, const void *src, size_t len)
{
	return copy_to(dst, src, len, true);
}

int ipckit__copy_to_user_checked(void *dst, const void *src, size_t len)
{
	return copy_to(dst, src, len, false);
}

int ipckit__copy_to_user_gather(void *dst, size_t len, const struct iovec *src,
				int nsrc)
{
	uintptr_t p = (uintptr_t)dst;
	if (len == 0)
		return 0;
	if (is_bogus(p, len))
		return -EFAULT;
	if (in_range(&proved_writable, p, len)) {
		char *at = dst;
		for (int i = 0; i < nsrc; i++) {
			memcpy(at, src[i].iov_base, src[i].iov_len);
			at += src[i].iov_len;
		}
		return 0;
	}
	/* One system call for the whole range, then it is proved. */
	size_t done = 0;
	for (int i = 0; i < nsrc;) {
		int batch = nsrc - i < IOV_MAX ? nsrc - i : IOV_MAX;
		size_t want = 0;
		for (int k = 0; k < batch; k++)
			want += src[i + k].iov_len;
		struct iovec remote = {(char *)dst + done, want};
		ssize_t n = process_vm_writev(getpid(), src + i,
					      (unsigned long)batch, &remote, 1,
					      0);
		if (n != (ssize_t)want)
			return -EFAULT;
		done += want;
		i += batch;
	}
	remember(&proved_writable, p, len);
	return 0;
}

bool ipckit__user_readable(const void *p, size_t len)
{
	uintptr_t a = (uintptr_t)p;
	if (len == 0)
		return true;
	if (is_bogus(a, len))
		return false;
	if (in_range(&proved_readable, a, len))
		return true;
	/* Probe page by page into a small buffer: len may be large. */
	char buf[64];
	for (uintptr_t q = a & PAGE_MASK_; q < a + len; q += 4096) {
		uintptr_t at = q < a ? a : q;
		struct iovec local = {buf, 1}, remote = {(void *)at, 1};
		if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) != 1)
			return false;
	}
	remember(&proved_readable, a, len);
	return true;
}

bool ipckit__user_writable(void *p, size_t len)
{
	uintptr_t a = (uintptr_t)p;
	if (len == 0)
		return true;
	if (is_bogus(a, len))
		return false;
	if (in_range(&proved_writable, a, len))
		return true;
	/*
	 * Read each page's first byte and write the same byte back through
	 * the kernel: proves writability without changing the contents a
	 * single-threaded caller sees.
	 */
	for (uintptr_t q = a & PAGE_MASK_; q < a + len; q += 4096) {
		uintptr_t at = q < a ? a : q;
		char c;
		struct iovec local = {&c, 1}, remote = {(void *)at, 1};
		if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) != 1)
			return false;
		if (process_vm_writev(getpid(), &local, 1, &remote, 1, 0) != 1)
			return false;
	}
	remember(&proved_writable, a, len);
	return true;
}
