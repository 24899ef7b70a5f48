/*
 * reap.c - giving back what dead processes held, for the whole namespace:
 * ipckit_gc() and `ipckit gc`.
 *
 * ipckit reaps lazily on its own (each kind reaps an object when a caller
 * would otherwise wait on it or reads its state); this walks everything:
 * - temporary files of creators that died before publishing;
 * - half-made objects (state INIT) of dead creators, by slot or key name;
 * - removed objects whose names survive (their unlink was refused);
 * - key names that no longer lead to a live object;
 * - each live object's kind-specific leftovers (the kind's reap()).
 */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool ipckit__reap_due(struct ipckit_obj *o)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	int64_t now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	int64_t last = atomic_load_explicit(&o->reap_ms, memory_order_relaxed);
	if (last && now - last < IPCKIT_REAP_MS)
		return false;
	atomic_store_explicit(&o->reap_ms, now, memory_order_relaxed);
	return true;
}

int ipckit__reap_obj(struct ipckit_obj *o)
{
	return ipckit__reap_obj_until(o, NULL);
}

int ipckit__reap_obj_until(struct ipckit_obj *o,
			   const struct timespec *deadline)
{
	int rc = ipckit__obj_lock_until(o, deadline);
	if (rc < 0)
		return rc;
	rc = ipckit__kind(o->kind)->reap(o);
	ipckit__obj_unlock(o);
	return rc;
}

__attribute__((format(printf, 3, 4))) static void
note_fmt(void (*note)(const char *, void *), void *arg, const char *fmt, ...)
{
	if (!note)
		return;
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	note(buf, arg);
}

/* ".tmp.<kind>.<pid>.<n>": true if its creator is gone. */
static bool tmp_is_orphan(const char *name)
{
	const char *p = strchr(name + 5, '.');
	if (!p)
		return true;
	long pid = strtol(p + 1, NULL, 10);
	struct ipckit_proc_rec rec = {.p_pid = (int32_t)pid, .p_start = 0};
	return pid <= 0 || ipckit__proc_is_dead(&rec);
}

static unsigned kind_of(const char *name, const char **rest)
{
	static const unsigned kinds[] = {IPCKIT_KIND_MSG, IPCKIT_KIND_SEM,
					 IPCKIT_KIND_SHM};
	for (size_t i = 0; i < 3; i++) {
		const char *k = ipckit__kind(kinds[i])->name;
		size_t n = strlen(k);
		if (!strncmp(name, k, n) && name[n] == '.') {
			*rest = name + n + 1;
			return kinds[i];
		}
	}
	return 0;
}

int ipckit__reap_all(void (*note)(const char *, void *), void *arg,
		     bool dry_run)
{
	const struct ipckit_ns *ns;
	int rc = ipckit__ns_checked(&ns);
	if (rc < 0)
		return rc;
	int fd = openat(ns->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -ENOMEM;
	}
	int repairs = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *name = e->d_name, *rest;
		if (!strncmp(name, ".tmp.", 5)) {
			if (tmp_is_orphan(name)) {
				note_fmt(note, arg,
					 "removed %s: its creator died before "
					 "publishing it",
					 name);
				if (!dry_run)
					unlinkat(ns->dirfd, name, 0);
				repairs++;
			}
			continue;
		}
		unsigned kind = kind_of(name, &rest);
		if (!kind)
			continue;
		if (!strncmp(rest, "key.", 4)) {
			/* A key name must lead to a live, READY object. */
			int kfd = openat(ns->dirfd, name,
					 O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
			if (kfd < 0)
				continue;
			struct ipckit_hdr h;
			ssize_t n = pread(kfd, &h, sizeof(h), 0);
			close(kfd);
			struct ipckit_proc_rec creator = {h.h_cpid, 0,
							  h.h_cstart};
			bool dead = n == (ssize_t)sizeof(h) &&
				    (atomic_load(&h.h_removed) ||
				     (atomic_load(&h.h_state) !=
					      IPCKIT_STATE_READY &&
				      ipckit__proc_is_dead(&creator)));
			if (dead) {
				note_fmt(note, arg,
					 "unlinked stale key name %s", name);
				if (!dry_run)
					unlinkat(ns->dirfd, name, 0);
				repairs++;
			}
			continue;
		}
		char *end;
		long slot = strtol(rest, &end, 10);
		if (*rest < '0' || *rest > '9' || *end || slot < 0 ||
		    slot >= IPCKIT_SLOTS)
			continue;
		/*
		 * Look at the header first, without side effects: opening
		 * the object through the library removes a stillborn one,
		 * which a dry run must not do.
		 */
		int sfd = openat(ns->dirfd, name,
				 O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (sfd < 0)
			continue;
		struct ipckit_hdr h;
		ssize_t n = pread(sfd, &h, sizeof(h), 0);
		close(sfd);
		if (n != (ssize_t)sizeof(h) || h.h_magic != IPCKIT_MAGIC)
			continue;
		struct ipckit_proc_rec creator = {h.h_cpid, 0, h.h_cstart};
		if (atomic_load(&h.h_removed)) {
			/* Its unlink was refused: do it now if we may. */
			note_fmt(note, arg, "unlinked removed object %s", name);
			if (!dry_run)
				unlinkat(ns->dirfd, name, 0);
			repairs++;
			continue;
		}
		if (atomic_load(&h.h_state) != IPCKIT_STATE_READY) {
			if (!ipckit__proc_is_dead(&creator))
				continue; /* being made right now */
			note_fmt(note, arg,
				 "removed %s: its creator died before "
				 "publishing it",
				 name);
			repairs++;
		}
		if (dry_run)
			continue;
		struct ipckit_obj *o;
		/* Opening removes a stillborn object (obj.c open_slot). */
		if (ipckit__obj_get_slot(kind, (int)slot, &o) < 0)
			continue;
		/*
		 * A live holder that keeps the lock (stopped, say) holds up
		 * only its own object: what it holds is not a dead process's.
		 */
		struct timespec slice;
		int given = ipckit__reap_obj_until(
			o, ipckit__slice_until(NULL, &slice, IPCKIT_BUSY_MS));
		if (given == -ETIMEDOUT)
			note_fmt(note, arg,
				 "skipped %s: thread %d has held its lock for "
				 "over a second",
				 name, (int)ipckit__lock_owner(o->hdr->h_lock));
		if (given > 0) {
			note_fmt(note, arg,
				 "%s: gave back %d holdings of dead processes",
				 name, given);
			repairs += given;
		}
		ipckit__obj_put(o);
	}
	closedir(d);
	return repairs;
}

IPCKIT_EXPORT int ipckit_gc(void)
{
	return (int)ipckit__ret(ipckit__reap_all(NULL, NULL, false));
}
