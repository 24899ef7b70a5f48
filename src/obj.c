/*
 * obj.c - objects of every kind: publication, keys, ids, opening by id,
 * permissions, IPC_SET and IPC_RMID's common parts. The kernel's
 * ipc/util.c for ipckit.
 *
 * Names in the namespace directory (see docs/DESIGN.md):
 *   <kind>.<slot>        the object file; its slot is id % 32768
 *   <kind>.key.<8 hex>   a second hard link to it, for objects with a key
 *   <kind>.ids           sequence numbers (struct ipckit_ids)
 *   .tmp.<kind>.<pid>.<n> an object being built, where the file system
 *                        has no O_TMPFILE (else it has no name until linked)
 *
 * Publication: a creator builds and initializes the whole object in an
 * unnamed file (or under a temporary name), then link()s it to its key
 * name (the atomic test-and-set that decides a create race: exactly one
 * link succeeds), then to a free slot name (link again: a slot has one
 * owner), writes the id and stores READY. Openers by key wait for READY;
 * a creator killed before READY is detected by its recorded pid and start
 * time, and whoever finds its half-made object removes it. Openers by id
 * never see an object before READY. No global lock exists, so none can be
 * left held.
 *
 * Removal invariant: while h_removed is 0, every name the object was
 * published under still names it; names are unlinked only by a holder of
 * the object's lock that has set h_removed (or, for shm's SHM_DEST, the
 * key alone). So a holder of the lock that sees h_removed == 0 may unlink
 * the names without checking what they point to.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <dirent.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

const struct ipckit_kind_ops *ipckit__kind(unsigned kind)
{
	switch (kind) {
	case IPCKIT_KIND_MSG:
		return &ipckit__msg_ops;
	case IPCKIT_KIND_SEM:
		return &ipckit__sem_ops;
	case IPCKIT_KIND_SHM:
		return &ipckit__shm_ops;
	}
	return NULL;
}

static void slot_name(char *buf, size_t n, unsigned kind, int slot)
{
	snprintf(buf, n, "%s.%d", ipckit__kind(kind)->name, slot);
}

static void key_name(char *buf, size_t n, unsigned kind, key_t key)
{
	snprintf(buf, n, "%s.key.%08x", ipckit__kind(kind)->name,
		 (unsigned)key);
}

/* ---- credentials ---------------------------------------------------------- */

/*
 * Reading credentials is a system call (about a microsecond on a VM), too
 * slow for every msgsnd. Each handle caches its permission verdict,
 * recomputed when the object's owner or mode changes or the process's
 * credential generation moves: after fork (the usual moment to drop
 * privileges) and when the preload library sees a set*id call.
 */
static atomic_uint cred_gen = 1;

static void creds_after_fork(void)
{
	atomic_fetch_add(&cred_gen, 1);
}

static pthread_once_t creds_once = PTHREAD_ONCE_INIT;
static void creds_init(void)
{
	pthread_atfork(NULL, NULL, creds_after_fork);
}

void ipckit__creds_changed(void)
{
	atomic_fetch_add(&cred_gen, 1);
}

bool ipckit__capable(int cap)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct data[2];
	if (cap < 0 || cap > 63 || syscall(SYS_capget, &hdr, data) < 0)
		return false;
	return data[cap / 32].effective & (1u << (cap % 32));
}

bool ipckit__privileged(void)
{
	return ipckit__capable(CAP_SYS_RESOURCE);
}

static bool in_group(gid_t gid)
{
	if (getegid() == gid)
		return true;
	gid_t groups[256];
	int n = getgroups(256, groups);
	for (int i = 0; i < n; i++)
		if (groups[i] == gid)
			return true;
	return false;
}

/* The kernel's ipcperms() for a caller whose effective uid is `euid`. */
static int perm_check(const struct ipckit_hdr *h, int flag, uid_t euid)
{
	int requested = (flag >> 6) | (flag >> 3) | flag;
	int granted = (int)h->h_mode;
	if (euid == h->h_cuid || euid == h->h_uid)
		granted >>= 6;
	else if (in_group(h->h_cgid) || in_group(h->h_gid))
		granted >>= 3;
	if ((requested & ~granted & 0007) && !ipckit__capable(CAP_IPC_OWNER))
		return -EACCES;
	return 0;
}

/* The kernel's ipcperms(), read fresh. */
static int perm_fresh(const struct ipckit_hdr *h, int flag)
{
	return perm_check(h, flag, geteuid());
}

int ipckit__perm(const struct ipckit_hdr *h, int flag)
{
	return perm_fresh(h, flag);
}

int ipckit__may_own(const struct ipckit_hdr *h)
{
	uid_t euid = geteuid();
	if (euid == h->h_uid || euid == h->h_cuid ||
	    ipckit__capable(CAP_SYS_ADMIN))
		return 0;
	return -EPERM;
}

/*
 * A handle's cached verdicts. Kept under h_lock, which also serializes this
 * process's threads on these fields.
 */
struct perm_cache {
	uint32_t gen, mode, uid, gid;
	int verdict[8];	/* per requested rwx mask; 1 granted, -1 denied */
	bool euid_known; /* euid as read in credential generation `gen` */
	uid_t euid;
};

/* ---- mapping and validation ---------------------------------------------- */

static int check_hdr(const struct ipckit_hdr *h, uint64_t size, unsigned kind)
{
	if (size < IPCKIT_BODY_OFFSET || h->h_magic != IPCKIT_MAGIC ||
	    h->h_version != IPCKIT_LAYOUT_VERSION || h->h_kind != kind ||
	    h->h_size != size || h->h_body != IPCKIT_BODY_OFFSET)
		return -EINVAL;
	return 0;
}

static void obj_free(struct ipckit_obj *o)
{
	/* An unused spare follows the control part: one munmap for both. */
	size_t spare = o->spare && (char *)o->spare == (char *)o->hdr + o->size
			       ? o->spare_len
			       : 0;
	if (o->spare && !spare)
		munmap(o->spare, o->spare_len);
	munmap(o->hdr, o->size + spare);
	free(o->perm);
	free(o);
}

/*
 * Maps the control part of the open file `fd` as an object of `kind`. The
 * header is read first with pread, so a damaged one is refused before any
 * size from it is trusted.
 */
static int map_fd(int fd, unsigned kind, struct ipckit_obj **out)
{
	struct stat st;
	struct ipckit_hdr h;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size < IPCKIT_BODY_OFFSET)
		return -EINVAL;
	if (pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h))
		return -EINVAL;
	uint64_t ctl = h.h_ctl_size;
	if (check_hdr(&h, (uint64_t)st.st_size, kind) < 0 ||
	    ctl < IPCKIT_BODY_OFFSET || ctl > (uint64_t)st.st_size)
		return -EINVAL;
	void *p = mmap(NULL, (size_t)ctl, PROT_READ | PROT_WRITE, MAP_SHARED,
		       fd, 0);
	if (p == MAP_FAILED)
		return errno == ENOMEM ? -ENOMEM : -EINVAL;
	struct ipckit_obj *o = calloc(1, sizeof(*o));
	if (!o) {
		munmap(p, (size_t)ctl);
		return -ENOMEM;
	}
	o->hdr = p;
	o->size = ctl;
	o->file_size = (uint64_t)st.st_size;
	o->kind = kind;
	o->dev = st.st_dev;
	o->ino = st.st_ino;
	o->id = -1;
	o->slot = -1;
	atomic_init(&o->refs, 1);
	/* The mapping may differ from what pread saw: check it again. */
	int rc = check_hdr(o->hdr, o->file_size, kind);
	if (rc == 0 && o->hdr->h_ctl_size != ctl)
		rc = -EINVAL;
	if (rc == 0 &&
	    atomic_load_explicit(&o->hdr->h_state, memory_order_acquire) ==
		    IPCKIT_STATE_READY) {
		/* pairs with HDR_BARRIER_1: id and body are final once READY */
		o->id = o->hdr->h_id;
		o->slot = o->id >= 0 ? o->id % IPCKIT_SLOTS : -1;
		rc = ipckit__kind(kind)->validate(o);
	}
	if (rc < 0) {
		obj_free(o);
		return rc;
	}
	*out = o;
	return 0;
}

static int open_name(unsigned kind, const char *name, struct ipckit_obj **out)
{
	const struct ipckit_ns *ns;
	int rc = ipckit__ns_checked(&ns);
	if (rc < 0)
		return rc;
	int fd = openat(ns->dirfd, name, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ELOOP ? -EINVAL : -errno;
	rc = map_fd(fd, kind, out);
	close(fd);
	return rc;
}

static bool creator_is_dead(const struct ipckit_hdr *h)
{
	struct ipckit_proc_rec rec = {.p_pid = h->h_cpid,
				      .p_start = h->h_cstart};
	return ipckit__proc_is_dead(&rec);
}

/*
 * Removes a half-made object whose creator died before READY, found under
 * `name`. Its lock decides which of several finders does it.
 */
static void remove_stillborn(struct ipckit_obj *o, const char *name)
{
	int rc = ipckit__lock(o->hdr->h_lock);
	if (rc < 0 && rc != -EOWNERDEAD)
		return;
	if (rc == -EOWNERDEAD)
		ipckit__lock_consistent(o->hdr->h_lock);
	if (!atomic_load(&o->hdr->h_removed) &&
	    atomic_load(&o->hdr->h_state) == IPCKIT_STATE_INIT) {
		const struct ipckit_ns *ns;
		atomic_store(&o->hdr->h_removed, 1);
		if (ipckit__ns_checked(&ns) == 0)
			unlinkat(ns->dirfd, name, 0);
	}
	ipckit__unlock(o->hdr->h_lock);
}

/*
 * Waits until an object found under its key is READY. Its creator is
 * between two link() calls, microseconds away, unless it died: checked
 * every 10 ms. Returns 0, or -EAGAIN when the object was stillborn (the
 * caller looks the key up again).
 */
static int wait_ready(struct ipckit_obj *o, const char *name)
{
	for (;;) {
		uint32_t s = atomic_load_explicit(&o->hdr->h_state,
						  memory_order_acquire);
		if (s == IPCKIT_STATE_READY)
			break;
		if (atomic_load(&o->hdr->h_removed))
			return -EAGAIN;
		if (creator_is_dead(o->hdr)) {
			remove_stillborn(o, name);
			return -EAGAIN;
		}
		struct timespec slice;
		clock_gettime(CLOCK_MONOTONIC, &slice);
		slice.tv_nsec += 10000000;
		if (slice.tv_nsec >= 1000000000L) {
			slice.tv_sec++;
			slice.tv_nsec -= 1000000000L;
		}
		ipckit__futex_wait(&o->hdr->h_state, s, &slice);
	}
	/* pairs with HDR_BARRIER_1 */
	o->id = o->hdr->h_id;
	o->slot = o->id >= 0 ? o->id % IPCKIT_SLOTS : -1;
	if (o->id < 0)
		return -EINVAL;
	return ipckit__kind(o->kind)->validate(o);
}

/* ---- the id file ---------------------------------------------------------- */

static struct ipckit_ids *ids_map[IPCKIT_NKINDS];
static pthread_mutex_t ids_mutex = PTHREAD_MUTEX_INITIALIZER;

/*
 * False if RLIMIT_FSIZE forbids a file of `size` bytes. Past it, growing a
 * file fails with EFBIG and also raises SIGXFSZ, whose default action
 * kills the caller; the kernel's xxxget never does that, so the limit is
 * checked first and is an ENOSPC like a full file system. A system call:
 * creation paths only.
 */
static bool fsize_allows(uint64_t size)
{
	struct rlimit rl;
	return getrlimit(RLIMIT_FSIZE, &rl) < 0 ||
	       rl.rlim_cur == RLIM_INFINITY || size <= rl.rlim_cur;
}

static int ids_get(unsigned kind, struct ipckit_ids **out)
{
	struct ipckit_ids *ids = __atomic_load_n(&ids_map[kind],
						 __ATOMIC_ACQUIRE);
	if (ids) {
		*out = ids;
		return 0;
	}
	const struct ipckit_ns *ns;
	int rc = ipckit__ns_checked(&ns);
	if (rc < 0)
		return rc;
	pthread_mutex_lock(&ids_mutex);
	ids = ids_map[kind];
	if (!ids) {
		char name[32];
		snprintf(name, sizeof(name), "%s.ids",
			 ipckit__kind(kind)->name);
		/* Zeros are a valid state: creating it needs no publication. */
		int fd = openat(ns->dirfd, name,
				O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
		if (fd < 0) {
			rc = -errno;
			goto out_unlock;
		}
		fchmod(fd, 0666);
		struct stat st;
		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
			rc = -EINVAL;
			goto out_close;
		}
		/*
		 * Reserved like an object file, and again by each opener (a
		 * no-op once done): a page of a sparse file first touched
		 * through the mapping on a full file system is SIGBUS.
		 * fallocate(2) itself, not posix_fallocate(): glibc's
		 * emulation rewrites each block with what it read, which
		 * would undo other processes' atomic adds on a live file.
		 * Without fallocate the file is only sized, as before.
		 */
		if (!fsize_allows(sizeof(struct ipckit_ids))) {
			rc = -ENOSPC;
			goto out_close;
		}
		int frc;
		do
			frc = fallocate(fd, 0, 0, sizeof(struct ipckit_ids));
		while (frc < 0 && errno == EINTR);
		if (frc < 0 && errno != EOPNOTSUPP) {
			rc = errno == EFBIG ? -ENOSPC : -errno;
			goto out_close;
		}
		if (frc < 0 &&
		    (uint64_t)st.st_size < sizeof(struct ipckit_ids) &&
		    ftruncate(fd, sizeof(struct ipckit_ids)) < 0) {
			rc = -errno;
			goto out_close;
		}
		ids = mmap(NULL, sizeof(*ids), PROT_READ | PROT_WRITE,
			   MAP_SHARED, fd, 0);
		if (ids == MAP_FAILED) {
			ids = NULL;
			rc = -ENOMEM;
			goto out_close;
		}
		__atomic_store_n(&ids_map[kind], ids, __ATOMIC_RELEASE);
out_close:
		close(fd);
	}
out_unlock:
	pthread_mutex_unlock(&ids_mutex);
	if (ids)
		*out = ids;
	return ids ? 0 : rc;
}

/* ---- creation ------------------------------------------------------------- */

/* The object file's mode: rw for each class the IPC mode grants anything. */
static mode_t file_mode(uint32_t ipc_mode)
{
	mode_t m = 0;
	if (ipc_mode & 0600)
		m |= 0600;
	if (ipc_mode & 0060)
		m |= 0060;
	if (ipc_mode & 0006)
		m |= 0006;
	return m;
}

/* The on-disk form of a POSIX access ACL (linux/posix_acl_xattr.h). */
struct acl_entry {
	uint16_t tag, perm;
	uint32_t id;
};
#define ACL_USER_OBJ 0x01
#define ACL_USER 0x02
#define ACL_GROUP_OBJ 0x04
#define ACL_GROUP 0x08
#define ACL_MASK 0x10
#define ACL_OTHER 0x20

/*
 * Makes the file's own permissions say what the IPC permissions say, so a
 * process with no access cannot even open it. The kernel gives the owner
 * class to the creator and to the owner, and the group class to the
 * creator's group and the owner's group: one file mode cannot say that
 * once IPC_SET has moved the owner, but an access ACL can. The file
 * belongs to the creator; named entries add the owner and its group.
 * Where ACLs are not supported, or we may not set them (only the file's
 * owner or CAP_FOWNER may), the plain mode is the fallback and a new
 * owner relies on the group and other bits (docs/DESIGN.md).
 */
static void set_file_perms(int dirfd, const char *name,
			   const struct ipckit_hdr *h)
{
	mode_t m = file_mode(h->h_mode);
	uint16_t uperm = (m >> 6) & 7, gperm = (m >> 3) & 7, operm = m & 7;
	struct {
		uint32_t version;
		struct acl_entry e[6];
	} acl = {.version = 2};
	int n = 0;
	bool named = false;
	acl.e[n++] = (struct acl_entry){ACL_USER_OBJ, uperm, (uint32_t)-1};
	if (h->h_uid != h->h_cuid) {
		acl.e[n++] = (struct acl_entry){ACL_USER, uperm, h->h_uid};
		named = true;
	}
	acl.e[n++] = (struct acl_entry){ACL_GROUP_OBJ, gperm, (uint32_t)-1};
	if (h->h_gid != h->h_cgid) {
		acl.e[n++] = (struct acl_entry){ACL_GROUP, gperm, h->h_gid};
		named = true;
	}
	/*
	 * The mask is rw whatever the entries say: Linux consults an access
	 * ACL only when the file's group bits (the mask) are nonzero
	 * (acl_permission_check(), fs/namei.c), and with a mask of 0 a new
	 * owner or group the mode gives nothing would fall through to the
	 * "other" bits and open the file. Every entry is 0 or rw, so an rw
	 * mask caps none of them.
	 */
	if (named)
		acl.e[n++] = (struct acl_entry){ACL_MASK, 06, (uint32_t)-1};
	acl.e[n++] = (struct acl_entry){ACL_OTHER, operm, (uint32_t)-1};

	int fd = openat(dirfd, name, O_PATH | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return;
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (!named || setxattr(path, "system.posix_acl_access", &acl,
			       sizeof(uint32_t) + n * sizeof(acl.e[0]),
			       0) < 0) {
		if (named)
			removexattr(path, "system.posix_acl_access");
		chmod(path, m);
	}
	close(fd);
}

/*
 * Reserves the file's backing store, so a full file system fails here
 * with ENOSPC rather than with SIGBUS in some later access.
 */
static int reserve(int fd, uint64_t size)
{
	if (!fsize_allows(size))
		return -ENOSPC;
	if (posix_fallocate(fd, 0, (off_t)size) == 0)
		return 0;
	if (ftruncate(fd, (off_t)size) < 0)
		return errno == EFBIG ? -ENOSPC : -errno;
	return posix_fallocate(fd, 0, (off_t)size) == 0 ? 0 : -ENOSPC;
}

/*
 * An object being built: an unnamed O_TMPFILE file (tmp is ""), or, where
 * the namespace's file system has no O_TMPFILE, a file under a temporary
 * name. An unnamed file needs no unlink and leaves nothing when its
 * creator dies before linking it.
 */
struct build {
	char tmp[64];
	int fd;
	struct ipckit_obj *o;
};

static atomic_uint tmp_counter;
/* Set once O_TMPFILE (or linking such a file) failed here: names instead. */
static atomic_bool tmpfile_off;
/* Set once linkat(AT_EMPTY_PATH) was refused (without CAP_DAC_READ_SEARCH). */
static atomic_bool flink_off;

/*
 * Opens the file to build in: unnamed with its final mode where possible
 * (nobody can open it before it is linked), else under a temporary name
 * with mode 0600 until built.
 */
static int build_open(const struct ipckit_ns *ns, const char *kname,
		      mode_t mode, struct build *b)
{
	if (!atomic_load_explicit(&tmpfile_off, memory_order_relaxed)) {
		b->tmp[0] = 0;
		b->fd = openat(ns->dirfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC,
			       mode);
		if (b->fd >= 0)
			return 0;
		if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
			return errno == EDQUOT ? -ENOSPC : -errno;
		atomic_store(&tmpfile_off, true);
	}
	snprintf(b->tmp, sizeof(b->tmp), ".tmp.%s.%d.%u", kname, (int)getpid(),
		 atomic_fetch_add(&tmp_counter, 1));
	b->fd = openat(ns->dirfd, b->tmp,
		       O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (b->fd < 0)
		return errno == EDQUOT ? -ENOSPC : -errno;
	return 0;
}

/*
 * Links the object being built under `name`: the atomic test-and-set of
 * publication (-EEXIST when the name is taken). An unnamed file is linked
 * through its descriptor: AT_EMPTY_PATH where we may (it needs
 * CAP_DAC_READ_SEARCH), else /proc/self/fd. -EAGAIN when neither works
 * (no /proc): later builds use temporary names, and the caller starts over.
 */
static int build_link(const struct ipckit_ns *ns, struct build *b,
		      const char *name)
{
	if (b->tmp[0])
		return linkat(ns->dirfd, b->tmp, ns->dirfd, name, 0) == 0
			       ? 0
			       : -errno;
	if (!atomic_load_explicit(&flink_off, memory_order_relaxed)) {
		if (linkat(b->fd, "", ns->dirfd, name, AT_EMPTY_PATH) == 0)
			return 0;
		if (errno != ENOENT)
			return -errno;
		atomic_store(&flink_off, true);
	}
	char path[40];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", b->fd);
	if (linkat(AT_FDCWD, path, ns->dirfd, name, AT_SYMLINK_FOLLOW) == 0)
		return 0;
	if (errno != ENOENT)
		return -errno;
	atomic_store(&tmpfile_off, true);
	return -EAGAIN;
}

/*
 * The permission cache of a handle just built: its creator is its owner,
 * with the effective uid read for the header. `gen` is the credential
 * generation read before that uid was.
 */
static void perm_seed(struct ipckit_obj *o, uint32_t gen);

static int build_object(const struct ipckit_ns *ns, unsigned kind, key_t key,
			int flg, uint64_t arg, struct build *b)
{
	const struct ipckit_kind_ops *ops = ipckit__kind(kind);
	uint64_t size = ops->file_size(arg), ctl = ops->ctl_size(arg);
	mode_t mode = file_mode((uint32_t)flg & 0777);
	int rc = build_open(ns, ops->name, mode, b);
	if (rc < 0)
		return rc;
	rc = size && ctl >= IPCKIT_BODY_OFFSET && ctl <= size
		     ? reserve(b->fd, size)
		     : -EINVAL;
	if (rc < 0)
		goto out_unlink;
	/*
	 * The whole file when the rest is small: shm's data pages, which its
	 * creator's shmat then uses without opening and mapping the file
	 * again (o->spare). differs from kernel: that address space counts
	 * in the creator's RLIMIT_AS from shmget on.
	 */
	uint64_t len = size - ctl <= IPCKIT_SPARE_MAX ? size : ctl;
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, b->fd, 0);
	if (p == MAP_FAILED && len != ctl) {
		len = ctl;
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, b->fd,
			 0);
	}
	if (p == MAP_FAILED) {
		rc = -ENOMEM;
		goto out_unlink;
	}
	/*
	 * The header is written next: one madvise maps its page writable
	 * for less than the write fault costs (much less on a VM with
	 * shadow page tables). Only that page: a page mapped here is a TLB
	 * entry to flush at munmap. Kernels before 5.14 say EINVAL, and the
	 * write faults as before.
	 */
	madvise(p, IPCKIT_BODY_OFFSET, MADV_POPULATE_WRITE);
	struct ipckit_obj *o = calloc(1, sizeof(*o));
	if (!o) {
		munmap(p, len);
		rc = -ENOMEM;
		goto out_unlink;
	}
	o->hdr = p;
	o->size = ctl;
	o->file_size = size;
	if (len != ctl) {
		o->spare = (char *)p + ctl;
		o->spare_len = len - ctl;
	}
	o->kind = kind;
	o->id = -1;
	o->slot = -1;
	atomic_init(&o->refs, 1);
	struct stat st;
	if (fstat(b->fd, &st) < 0) {
		rc = -errno;
		obj_free(o);
		goto out_unlink;
	}
	o->dev = st.st_dev;
	o->ino = st.st_ino;

	struct ipckit_hdr *h = o->hdr;
	struct ipckit_proc_rec self;
	ipckit__self(&self);
	uint32_t gen = atomic_load(&cred_gen);
	h->h_magic = IPCKIT_MAGIC;
	h->h_version = IPCKIT_LAYOUT_VERSION;
	h->h_kind = kind;
	h->h_size = size;
	h->h_key = key;
	h->h_id = -1;
	h->h_uid = h->h_cuid = geteuid();
	h->h_gid = h->h_cgid = getegid();
	h->h_mode = (uint32_t)flg & 0777;
	h->h_cpid = self.p_pid;
	h->h_cstart = self.p_start;
	h->h_ctime = ipckit__now();
	h->h_body = IPCKIT_BODY_OFFSET;
	h->h_ctl_size = ctl;
	perm_seed(o, gen);
	rc = ipckit__lock_init(h->h_lock);
	if (rc == 0)
		rc = ops->init(o, arg);
	/*
	 * The umask (or a default ACL) may have taken bits off; a file under
	 * a temporary name is 0600 until now. Setting the mode it already has
	 * would change nothing, ACL included.
	 */
	if (rc == 0 && (st.st_mode & 07777) != mode && fchmod(b->fd, mode) < 0)
		rc = -errno;
	if (rc < 0) {
		obj_free(o);
		goto out_unlink;
	}
	b->o = o;
	return 0;

out_unlink:
	if (b->tmp[0])
		unlinkat(ns->dirfd, b->tmp, 0);
	close(b->fd);
	return rc;
}

static void build_discard(const struct ipckit_ns *ns, struct build *b)
{
	if (b->tmp[0])
		unlinkat(ns->dirfd, b->tmp, 0);
	close(b->fd);
	obj_free(b->o);
}

static int open_slot(unsigned kind, int slot, struct ipckit_obj **out);

/*
 * Links the built object under a free slot name, cycling from the id
 * file's hint through [0, limit); every slot taken means ENOSPC, which is
 * how the kind's msgmni/semmni/shmmni is enforced without a counter that a
 * killed process could leave wrong.
 *
 * A creator killed after linking its slot name but before publishing
 * leaves the slot taken by an object nobody can reach (its xxxget never
 * returned the id), which would hold a unit of the limit until ipckit_gc.
 * So when a first pass finds every slot taken, a second one opens each
 * taken slot before trying it: open_slot() removes an unpublished object
 * whose creator is dead. That costs an open and a mapping per object, only
 * when the limit is reached.
 */
static int claim_slot(const struct ipckit_ns *ns, unsigned kind,
		      struct build *b, uint32_t limit)
{
	struct ipckit_ids *ids = NULL;
	int rc = ids_get(kind, &ids);
	if (rc < 0)
		return rc;
	if (limit > IPCKIT_SLOTS)
		limit = IPCKIT_SLOTS;
	for (uint32_t tries = 0; tries < 2 * limit; tries++) {
		uint32_t slot = atomic_fetch_add(&ids->i_next, 1) % limit;
		struct ipckit_obj *live;
		if (tries >= limit && open_slot(kind, (int)slot, &live) == 0) {
			ipckit__obj_put(live);
			continue;
		}
		uint32_t seq = (atomic_fetch_add(&ids->i_seq[slot], 1) + 1) %
			       (IPCKIT_SEQ_MAX + 1);
		int id = (int)(seq * IPCKIT_SLOTS + slot);
		b->o->hdr->h_id = id;
		b->o->hdr->h_seq = seq;
		char name[48];
		slot_name(name, sizeof(name), kind, (int)slot);
		rc = build_link(ns, b, name);
		if (rc == 0) {
			b->o->id = id;
			b->o->slot = (int)slot;
			return id;
		}
		if (rc != -EEXIST)
			return rc == -EDQUOT ? -ENOSPC : rc;
	}
	return -ENOSPC;
}

static uint32_t kind_limit(unsigned kind, const struct ipckit_limits *l)
{
	switch (kind) {
	case IPCKIT_KIND_MSG:
		return l->msgmni;
	case IPCKIT_KIND_SEM:
		return l->semmni;
	default:
		return (uint32_t)l->shmmni;
	}
}

/* ---- lookup by key -------------------------------------------------------- */

/* The kernel's checks on an existing object, in its order. */
static int check_existing(struct ipckit_obj *o, int flg, uint64_t arg)
{
	if ((flg & IPC_CREAT) && (flg & IPC_EXCL))
		return -EEXIST;
	int rc = ipckit__kind(o->kind)->check_open(o, arg);
	if (rc < 0)
		return rc;
	return ipckit__perm(o->hdr, flg & 0777);
}

int ipckit__get(unsigned kind, key_t key, int flg, uint64_t arg,
		uint64_t units, uint64_t units_max)
{
	const struct ipckit_ns *ns;
	int rc = ipckit__ns_checked(&ns);
	if (rc < 0)
		return rc;
	pthread_once(&creds_once, creds_init);
	char kname[48];
	key_name(kname, sizeof(kname), kind, key);

	/* A key name can be stale (a removal in flight): bounded retries. */
	for (int attempt = 0; attempt < 1000; attempt++) {
		struct ipckit_obj *o;
		if (key != IPC_PRIVATE) {
			rc = open_name(kind, kname, &o);
			if (rc == 0) {
				rc = wait_ready(o, kname);
				if (rc == 0 && atomic_load(&o->hdr->h_removed)) {
					/*
					 * Its remover is unlinking the key, or
					 * died before: taking the lock waits for
					 * the one and finishes for the other.
					 */
					if (ipckit__obj_lock(o) == 0)
						ipckit__obj_unlock(o);
					rc = -EAGAIN;
				}
				/*
				 * A segment marked for destruction has given up
				 * its key; a key name still leading to it means
				 * its remover died between the two steps. Lock
				 * it (repair finishes the removal of the name)
				 * and look again.
				 */
				if (rc == 0 && kind == IPCKIT_KIND_SHM &&
				    (o->hdr->h_mode & SHM_DEST)) {
					if (ipckit__obj_lock(o) == 0) {
						ipckit__obj_unlink_key(o);
						ipckit__obj_unlock(o);
					}
					rc = -EAGAIN;
				}
				if (rc == 0) {
					rc = check_existing(o, flg, arg);
					int id = o->id;
					if (rc == 0)
						ipckit__handle_insert(o);
					ipckit__obj_put(o);
					return rc < 0 ? rc : id;
				}
				ipckit__obj_put(o);
				if (rc != -EAGAIN)
					return rc;
				sched_yield();
				continue;
			}
			/*
			 * A file we may not open still proves the key is
			 * taken: the kernel's EEXIST comes before its EACCES.
			 */
			if (rc == -EACCES && (flg & IPC_CREAT) &&
			    (flg & IPC_EXCL))
				return -EEXIST;
			if (rc != -ENOENT)
				return rc;
			if (!(flg & IPC_CREAT))
				return -ENOENT;
		}

		if (units_max) {
			uint64_t used = 0;
			rc = ipckit__obj_scan(kind, NULL, NULL, &used);
			if (rc < 0)
				return rc;
			if (used + units > units_max || used + units < used)
				return -ENOSPC;
		}
		struct build b;
		rc = build_object(ns, kind, key, flg, arg, &b);
		if (rc < 0)
			return rc;
		ipckit__fault("create-built");
		if (key != IPC_PRIVATE) {
			rc = build_link(ns, &b, kname);
			if (rc < 0) {
				build_discard(ns, &b);
				/* EEXIST: lost the race, open the winner */
				if (rc == -EEXIST || rc == -EAGAIN)
					continue;
				return rc == -EDQUOT ? -ENOSPC : rc;
			}
		}
		ipckit__fault("create-keyed");
		rc = claim_slot(ns, kind, &b, kind_limit(kind, &ns->lim));
		if (rc < 0) {
			if (key != IPC_PRIVATE) {
				/*
				 * Openers of the key wait for READY while we
				 * live: removed tells them to look again.
				 */
				atomic_store(&b.o->hdr->h_removed, 1);
				unlinkat(ns->dirfd, kname, 0);
			}
			build_discard(ns, &b);
			if (rc == -EAGAIN)
				continue;
			return rc;
		}
		ipckit__fault("create-slotted");
		/* HDR_BARRIER_1: id and body written before READY */
		atomic_store_explicit(&b.o->hdr->h_state, IPCKIT_STATE_READY,
				      memory_order_release);
		/* Only openers of a key wait for READY (wait_ready). */
		if (key != IPC_PRIVATE)
			ipckit__futex_wake(&b.o->hdr->h_state, INT_MAX);
		if (b.tmp[0])
			unlinkat(ns->dirfd, b.tmp, 0);
		close(b.fd);
		int id = b.o->id;
		ipckit__handle_insert(b.o);
		ipckit__obj_put(b.o);
		return id;
	}
	return -ENOSPC;
}

/* ---- lookup by id --------------------------------------------------------- */

static int open_slot(unsigned kind, int slot, struct ipckit_obj **out)
{
	char name[48];
	slot_name(name, sizeof(name), kind, slot);
	struct ipckit_obj *o;
	int rc = open_name(kind, name, &o);
	if (rc == -ENOENT)
		return -EINVAL;
	if (rc < 0)
		return rc;
	if (atomic_load_explicit(&o->hdr->h_state, memory_order_acquire) !=
	    IPCKIT_STATE_READY) {
		if (creator_is_dead(o->hdr))
			remove_stillborn(o, name);
		ipckit__obj_put(o);
		return -EINVAL;
	}
	if (atomic_load(&o->hdr->h_removed) || o->slot != slot) {
		ipckit__obj_put(o);
		return -EINVAL;
	}
	*out = o;
	return 0;
}

int ipckit__obj_get(unsigned kind, int id, struct ipckit_obj **out)
{
	if (id < 0)
		return -EINVAL;
	pthread_once(&creds_once, creds_init);
	struct ipckit_obj *o = ipckit__handle_find(kind, id);
	if (o) {
		if (!atomic_load_explicit(&o->hdr->h_removed,
					  memory_order_relaxed)) {
			*out = o;
			return 0;
		}
		ipckit__handle_forget(o);
		ipckit__obj_put(o);
	}
	int rc = open_slot(kind, id % IPCKIT_SLOTS, &o);
	if (rc < 0)
		return rc;
	if (o->id != id) {
		ipckit__obj_put(o);
		return -EINVAL;
	}
	ipckit__handle_insert(o);
	*out = o;
	return 0;
}

int ipckit__obj_get_slot(unsigned kind, int slot, struct ipckit_obj **out)
{
	if (slot < 0 || slot >= IPCKIT_SLOTS)
		return -EINVAL;
	pthread_once(&creds_once, creds_init);
	return open_slot(kind, slot, out);
}

void ipckit__obj_put(struct ipckit_obj *o)
{
	if (atomic_fetch_sub(&o->refs, 1) == 1)
		obj_free(o);
}

bool ipckit__obj_is_removed(const struct ipckit_obj *o)
{
	return atomic_load(&o->hdr->h_removed) != 0;
}

/* ---- locking -------------------------------------------------------------- */

int ipckit__obj_lock(struct ipckit_obj *o)
{
	return ipckit__obj_lock_until(o, NULL);
}

int ipckit__obj_lock_until(struct ipckit_obj *o,
			   const struct timespec *deadline)
{
	int rc = ipckit__lock_until(o->hdr->h_lock, deadline);
	if (rc == -ETIMEDOUT)
		return rc;
	if (rc == -EOWNERDEAD) {
		/*
		 * The previous holder died inside its critical section. The
		 * kind repairs what a half-done step may have left (each
		 * kind's comment says how), or the object is declared lost:
		 * removed, so every waiter wakes with EIDRM and nobody reads
		 * a broken body again.
		 */
		if (!atomic_load(&o->hdr->h_removed)) {
			if (ipckit__kind(o->kind)->repair(o) < 0)
				ipckit__obj_remove(o);
		} else {
			/*
			 * The holder died removing it: finish the removal,
			 * whose last steps are the wake-ups.
			 */
			ipckit__obj_remove(o);
		}
		ipckit__lock_consistent(o->hdr->h_lock);
		rc = 0;
	}
	if (rc < 0)
		return -EIDRM;
	if (atomic_load(&o->hdr->h_removed)) {
		ipckit__unlock(o->hdr->h_lock);
		return -EIDRM;
	}
	return 0;
}

void ipckit__obj_unlock(struct ipckit_obj *o)
{
	ipckit__unlock(o->hdr->h_lock);
}

/*
 * The handle's cache, its verdicts cleared when the owner or mode moved
 * and its euid too when the credential generation did; NULL without
 * memory. Called with h_lock held.
 */
static struct perm_cache *perm_cache_of(struct ipckit_obj *o)
{
	const struct ipckit_hdr *h = o->hdr;
	uint32_t gen = atomic_load_explicit(&cred_gen, memory_order_relaxed);
	struct perm_cache *c = o->perm;
	if (!c) {
		c = calloc(1, sizeof(*c));
		if (!c)
			return NULL;
		o->perm = c;
	}
	if (c->gen != gen)
		c->euid_known = false;
	if (c->gen != gen || c->mode != h->h_mode || c->uid != h->h_uid ||
	    c->gid != h->h_gid) {
		memset(c->verdict, 0, sizeof(c->verdict));
		c->gen = gen;
		c->mode = h->h_mode;
		c->uid = h->h_uid;
		c->gid = h->h_gid;
	}
	return c;
}

/*
 * The effective uid, read once per credential generation. The generation
 * is read before the uid: a change in between leaves a newer uid under an
 * older generation, which the next call drops.
 */
static uid_t perm_euid(struct perm_cache *c)
{
	if (!c->euid_known) {
		c->euid = geteuid();
		c->euid_known = true;
	}
	return c->euid;
}

static void perm_seed(struct ipckit_obj *o, uint32_t gen)
{
	const struct ipckit_hdr *h = o->hdr;
	struct perm_cache *c = calloc(1, sizeof(*c));
	if (!c)
		return;
	c->gen = gen;
	c->mode = h->h_mode;
	c->uid = h->h_uid;
	c->gid = h->h_gid;
	c->euid = h->h_uid;
	c->euid_known = true;
	o->perm = c;
}

int ipckit__perm_cached(struct ipckit_obj *o, int flag)
{
	const struct ipckit_hdr *h = o->hdr;
	int requested = ((flag >> 6) | (flag >> 3) | flag) & 7;
	struct perm_cache *c = perm_cache_of(o);
	if (!c)
		return perm_fresh(h, flag);
	if (!c->verdict[requested])
		c->verdict[requested] =
		    perm_check(h, flag, perm_euid(c)) == 0 ? 1 : -1;
	return c->verdict[requested] > 0 ? 0 : -EACCES;
}

int ipckit__perm_peek(struct ipckit_obj *o, int flag)
{
	const struct ipckit_hdr *h = o->hdr;
	int requested = ((flag >> 6) | (flag >> 3) | flag) & 7;
	struct perm_cache *c = __atomic_load_n((struct perm_cache **)&o->perm,
					       __ATOMIC_ACQUIRE);
	if (!c ||
	    __atomic_load_n(&c->gen, __ATOMIC_RELAXED) !=
		    atomic_load_explicit(&cred_gen, memory_order_relaxed) ||
	    __atomic_load_n(&c->mode, __ATOMIC_RELAXED) != h->h_mode ||
	    __atomic_load_n(&c->uid, __ATOMIC_RELAXED) != h->h_uid ||
	    __atomic_load_n(&c->gid, __ATOMIC_RELAXED) != h->h_gid)
		return 1;
	int v = __atomic_load_n(&c->verdict[requested], __ATOMIC_RELAXED);
	return v > 0 ? 0 : v < 0 ? -EACCES : 1;
}

int ipckit__may_own_cached(struct ipckit_obj *o)
{
	const struct ipckit_hdr *h = o->hdr;
	struct perm_cache *c = perm_cache_of(o);
	uid_t euid = c ? perm_euid(c) : geteuid();
	if (euid == h->h_uid || euid == h->h_cuid ||
	    ipckit__capable(CAP_SYS_ADMIN))
		return 0;
	return -EPERM;
}

/* ---- IPC_SET, IPC_RMID, *_STAT ------------------------------------------- */

void ipckit__fill_perm(const struct ipckit_hdr *h, struct ipc_perm *out)
{
	memset(out, 0, sizeof(*out));
	out->__key = h->h_key;
	out->uid = h->h_uid;
	out->gid = h->h_gid;
	out->cuid = h->h_cuid;
	out->cgid = h->h_cgid;
	out->mode = (unsigned short)h->h_mode;
	out->__seq = (unsigned short)h->h_seq;
}

int ipckit__obj_set(struct ipckit_obj *o, const struct ipc_perm *perm)
{
	struct ipckit_hdr *h = o->hdr;
	int rc = ipckit__may_own(h);
	if (rc < 0)
		return rc;
	/* The kernel's ipc_update_perm(): -1 is no uid or gid. */
	if (perm->uid == (uid_t)-1 || perm->gid == (gid_t)-1)
		return -EINVAL;
	h->h_uid = perm->uid;
	h->h_gid = perm->gid;
	h->h_mode = (h->h_mode & ~0777u) | (perm->mode & 0777u);
	h->h_ctime = ipckit__now();
	/* The file system keeps backing the permission check. */
	const struct ipckit_ns *ns;
	if (ipckit__ns_checked(&ns) == 0 && o->slot >= 0) {
		char name[48];
		struct stat st;
		slot_name(name, sizeof(name), o->kind, o->slot);
		if (fstatat(ns->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    st.st_ino == o->ino && st.st_dev == o->dev)
			set_file_perms(ns->dirfd, name, h);
	}
	return 0;
}

void ipckit__obj_unlink_key(struct ipckit_obj *o)
{
	const struct ipckit_ns *ns;
	if (o->hdr->h_key == IPC_PRIVATE || ipckit__ns_checked(&ns) < 0)
		return;
	char name[48];
	key_name(name, sizeof(name), o->kind, o->hdr->h_key);
	struct stat st;
	/* Only our own link: after SHM_DEST the key may name a newer object. */
	if (fstatat(ns->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    st.st_ino == o->ino && st.st_dev == o->dev)
		unlinkat(ns->dirfd, name, 0);
}

void ipckit__obj_remove(struct ipckit_obj *o)
{
	const struct ipckit_ns *ns;
	/*
	 * Marked first: a remover killed after this leaves an object every
	 * caller sees as removed, and the next locker finishes the removal
	 * (ipckit__obj_lock). Unlinking the key first could leave a live
	 * object without its key.
	 */
	atomic_store(&o->hdr->h_removed, 1);
	ipckit__fault("remove-marked");
	ipckit__obj_unlink_key(o);
	if (o->slot >= 0 && ipckit__ns_checked(&ns) == 0) {
		char name[48];
		slot_name(name, sizeof(name), o->kind, o->slot);
		/*
		 * In a sticky directory only the file's owner (or root) may
		 * unlink it; a new owner set by IPC_SET cannot. The object is
		 * removed all the same (h_removed); the name is then left for
		 * the owner's or root's next reap.
		 */
		unlinkat(ns->dirfd, name, 0);
	}
	/* Nobody sleeps on h_removed: each kind wakes its own waiters. */
	ipckit__kind(o->kind)->removed(o);
}

int ipckit__obj_scan(unsigned kind, int *max_slot, int *count,
		     uint64_t *units)
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
	const char *kname = ipckit__kind(kind)->name;
	size_t klen = strlen(kname);
	int max = -1, n = 0;
	uint64_t u = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, kname, klen) || e->d_name[klen] != '.')
			continue;
		char *end;
		const char *num = e->d_name + klen + 1;
		long slot = strtol(num, &end, 10);
		if (*num < '0' || *num > '9' || *end || slot < 0 ||
		    slot >= IPCKIT_SLOTS)
			continue;
		struct ipckit_obj *o;
		if (open_slot(kind, (int)slot, &o) < 0)
			continue;
		n++;
		if (slot > max)
			max = (int)slot;
		if (units)
			u += ipckit__kind(kind)->units(o);
		ipckit__obj_put(o);
	}
	closedir(d);
	if (max_slot)
		*max_slot = max;
	if (count)
		*count = n;
	if (units)
		*units = u;
	return 0;
}

int ipckit__obj_open_fd(struct ipckit_obj *o, int flags)
{
	const struct ipckit_ns *ns;
	int rc = ipckit__ns_checked(&ns);
	if (rc < 0)
		return rc;
	if (o->slot < 0)
		return -EINVAL;
	char name[48];
	slot_name(name, sizeof(name), o->kind, o->slot);
	int fd = openat(ns->dirfd, name, flags | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? -EIDRM : -errno;
	struct stat st;
	if (fstat(fd, &st) < 0 || st.st_ino != o->ino || st.st_dev != o->dev ||
	    (uint64_t)st.st_size != o->file_size) {
		close(fd);
		return -EIDRM;
	}
	return fd;
}
