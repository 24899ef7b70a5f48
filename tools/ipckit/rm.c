/*
 * rm.c - `ipckit rm`: ipcrm for ipckit objects (and, with --kernel, the
 * kernel's): -q/-Q, -s/-S, -m/-M by id or key, -a/--all[=kind], the
 * old `rm msg|sem|shm ID...` form, and --damaged (files that fail
 * validation, which no call can remove). As ipcrm, every object named is
 * tried and each failure reported; the exit status is 1 if any failed.
 */
#include "cmd.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct sysv *B = &sysv_ipckit;
static bool verbose;

/*
 * True, and said, when a live process has kept the object's lock past the
 * snapshot's wait (stopped, say): IPC_RMID would wait behind it for as
 * long. A holder that stops in the instant after this look still holds
 * the removal up; this spares the common case, a process already stopped.
 */
static bool busy(unsigned kind, int id, const char *label)
{
	struct ipckit_snap s;
	if (B->kernel || ipckit__inspect_id(kind, id, &s) < 0)
		return false;
	pid_t holder = s.status == IPCKIT_SNAP_OK ? s.busy : 0;
	ipckit__inspect_free(&s);
	if (holder > 0)
		fprintf(stderr,
			"ipckit: %s: busy: thread %d has held its lock for "
			"over a second\n",
			label, (int)holder);
	else if (holder)
		fprintf(stderr,
			"ipckit: %s: busy: its lock has been held for over a "
			"second\n",
			label);
	return holder != 0;
}

/* IPC_RMID on one object; reports a failure. */
static bool rm_id(unsigned kind, int id, const char *label)
{
	int rc;
	if (busy(kind, id, label))
		return false;
	switch (kind) {
	case IPCKIT_KIND_MSG:
		rc = B->msgctl(id, IPC_RMID, NULL);
		break;
	case IPCKIT_KIND_SEM:
		rc = B->semctl(id, 0, IPC_RMID);
		break;
	default:
		rc = B->shmctl(id, IPC_RMID, NULL);
	}
	if (rc < 0) {
		warn_err(label, errno);
		return false;
	}
	if (verbose)
		fprintf(stderr, "removed %s%s\n", B->kernel ? "kernel " : "",
			label);
	return true;
}

/* An id or key argument; `by_key` forces the key reading (-Q, -S, -M). */
static bool rm_arg(unsigned kind, const char *arg, bool by_key)
{
	char label[96], buf[300];
	if (by_key && strncmp(arg, "0x", 2) && strncmp(arg, "0X", 2) &&
	    !strchr(arg, ':')) {
		/* ipcrm takes keys in decimal and octal too. */
		snprintf(buf, sizeof(buf), "key:%s", arg);
		arg = buf;
	}
	if (!B->kernel && !ns_exists()) {
		snprintf(label, sizeof(label), "%s %.80s", kind_name(kind),
			 arg);
		warn_err(label, EINVAL);
		return false;
	}
	int id;
	if (by_key) {
		id = resolve(B, kind, arg, label, sizeof(label));
	} else {
		/* An id, in any base ipcrm takes (0x is hex here, no key). */
		id = (int)parse_int("id", arg, 0, INT32_MAX);
		snprintf(label, sizeof(label), "%s %d", kind_name(kind), id);
	}
	if (id < 0) {
		warn_err(label, -id);
		return false;
	}
	return rm_id(kind, id, label);
}

/* Asks on the terminal; true for yes. `what`: "object", "damaged file". */
static bool confirm(size_t n, const char *what, unsigned kinds)
{
	char line[16];
	fprintf(stderr, "ipckit: remove %zu %s %s%s (%s) in %s? [y/N] ", n,
		B->name, what, n == 1 ? "" : "s",
		kinds == KINDS_ALL		     ? "all kinds"
		: kinds == KIND_BIT(IPCKIT_KIND_MSG) ? "queues"
		: kinds == KIND_BIT(IPCKIT_KIND_SEM) ? "semaphore sets"
		: kinds == KIND_BIT(IPCKIT_KIND_SHM) ? "segments"
						     : "some kinds",
		B->kernel ? "the kernel" : ns_path());
	if (!fgets(line, sizeof(line), stdin))
		return false;
	return line[0] == 'y' || line[0] == 'Y';
}

static bool removable(const struct obj *o)
{
	/* Damaged files are not objects ipckit can remove (nor would the
	 * kernel list such a thing); their lines in ls say so. */
	return !o->snap || o->snap->status == IPCKIT_SNAP_OK;
}

static bool rm_all(unsigned kinds, bool yes)
{
	struct objlist l = {0};
	collect(&l, B->kernel ? SRC_KERNEL : SRC_IPCKIT, kinds, false);
	size_t n = 0;
	for (size_t i = 0; i < l.n; i++)
		n += removable(&l.v[i]);
	bool ok = true;
	if (n && !yes && isatty(STDIN_FILENO) && !confirm(n, "object", kinds)) {
		fprintf(stderr, "ipckit: nothing removed\n");
		objlist_free(&l);
		return false;
	}
	for (size_t i = 0; i < l.n; i++) {
		char label[64];
		if (!removable(&l.v[i]))
			continue;
		snprintf(label, sizeof(label), "%s %d", kind_name(l.v[i].kind),
			 l.v[i].id);
		ok &= rm_id(l.v[i].kind, l.v[i].id, label);
	}
	objlist_free(&l);
	return ok;
}

static bool damaged(const struct obj *o)
{
	return o->snap && o->snap->status == IPCKIT_SNAP_DAMAGED;
}

/*
 * Unlinks one damaged file's names: every key name that is a link to the
 * same file, then the slot name. The file fails validation, so no call
 * can open, lock or remove it; only its names can go. Processes that have
 * it mapped keep their mapping, as after any removal.
 */
static bool unlink_damaged(int dfd, const struct obj *o)
{
	const char *name = o->snap->name;
	struct stat st;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		warn_err(name, errno);
		return false;
	}
	bool ok = true;
	char prefix[16];
	snprintf(prefix, sizeof(prefix), "%s.key.", kind_name(o->kind));
	/* Its own open of the directory: a dup() would share the offset
	 * that the previous file's scan left at the end. */
	int kfd = st.st_nlink > 1
			  ? openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
			  : -1;
	DIR *d = kfd >= 0 ? fdopendir(kfd) : NULL;
	for (struct dirent *e; d && (e = readdir(d));) {
		struct stat kst;
		if (strncmp(e->d_name, prefix, strlen(prefix)) ||
		    fstatat(dfd, e->d_name, &kst, AT_SYMLINK_NOFOLLOW) < 0 ||
		    kst.st_dev != st.st_dev || kst.st_ino != st.st_ino)
			continue;
		if (unlinkat(dfd, e->d_name, 0) < 0) {
			warn_err(e->d_name, errno);
			ok = false;
		} else if (verbose) {
			fprintf(stderr, "removed %s (a name of damaged %s)\n",
				e->d_name, name);
		}
	}
	if (d)
		closedir(d);
	else if (kfd >= 0)
		close(kfd);
	if (unlinkat(dfd, name, 0) < 0) {
		warn_err(name, errno);
		return false;
	}
	if (verbose)
		fprintf(stderr, "removed damaged %s\n", name);
	return ok;
}

/* --damaged: the files ls lists as damaged, of the kinds asked. */
static bool rm_damaged(unsigned kinds, bool yes)
{
	struct objlist l = {0};
	collect(&l, SRC_IPCKIT, kinds, false);
	size_t n = 0;
	for (size_t i = 0; i < l.n; i++)
		n += damaged(&l.v[i]);
	bool ok = true;
	if (n && !yes && isatty(STDIN_FILENO) &&
	    !confirm(n, "damaged file", kinds)) {
		fprintf(stderr, "ipckit: nothing removed\n");
		objlist_free(&l);
		return false;
	}
	int dfd = n ? open(ns_path(), O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (n && dfd < 0) {
		warn_err(ns_path(), errno);
		ok = false;
	}
	for (size_t i = 0; dfd >= 0 && i < l.n; i++)
		if (damaged(&l.v[i]))
			ok &= unlink_damaged(dfd, &l.v[i]);
	if (dfd >= 0)
		close(dfd);
	objlist_free(&l);
	return ok;
}

int cmd_rm(int argc, char **argv)
{
	enum { O_KERNEL = 256, O_DIR, O_DAMAGED };
	static const struct option opts[] = {
	    {"queue-id", required_argument, NULL, 'q'},
	    {"queue-key", required_argument, NULL, 'Q'},
	    {"semaphore-id", required_argument, NULL, 's'},
	    {"semaphore-key", required_argument, NULL, 'S'},
	    {"shmem-id", required_argument, NULL, 'm'},
	    {"shmem-key", required_argument, NULL, 'M'},
	    {"all", optional_argument, NULL, 'a'},
	    {"damaged", no_argument, NULL, O_DAMAGED},
	    {"yes", no_argument, NULL, 'y'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"kernel", no_argument, NULL, O_KERNEL},
	    {"dir", required_argument, NULL, O_DIR},
	    {NULL, 0, NULL, 0},
	};
	/* Options are acted on in order, after all are parsed (--kernel may
	 * come last). */
	static struct act {
		unsigned kind;
		const char *arg;
		bool by_key;
	} * acts; /* static: a usage error exits holding it */
	acts = calloc((size_t)argc, sizeof(*acts));
	size_t nacts = 0;
	unsigned all = 0;
	bool yes = false, ok = true, broken = false;
	int c;
	if (!acts)
		fail("rm", ENOMEM);
	while ((c = getopt_long(argc, argv, "q:Q:s:S:m:M:a::yv", opts, NULL)) !=
	       -1) {
		switch (c) {
		case 'q':
		case 'Q':
			acts[nacts++] =
			    (struct act){IPCKIT_KIND_MSG, optarg, c == 'Q'};
			break;
		case 's':
		case 'S':
			acts[nacts++] =
			    (struct act){IPCKIT_KIND_SEM, optarg, c == 'S'};
			break;
		case 'm':
		case 'M':
			acts[nacts++] =
			    (struct act){IPCKIT_KIND_SHM, optarg, c == 'M'};
			break;
		case 'a': {
			/* ipcrm: "-a shm" and "--all=shm" both work. */
			const char *k = optarg;
			if (!k && optind < argc && kind_parse(argv[optind]))
				k = argv[optind++];
			if (!k) {
				all |= KINDS_ALL;
			} else if (kind_parse(k)) {
				all |= KIND_BIT(kind_parse(k));
			} else {
				usage_fail("invalid kind '%s' (msg, sem, shm)",
					   k);
			}
			break;
		}
		case 'y':
			yes = true;
			break;
		case 'v':
			verbose = true;
			break;
		case O_KERNEL:
			B = &sysv_kernel;
			break;
		case O_DAMAGED:
			broken = true;
			break;
		case O_DIR:
			set_dir(optarg);
			break;
		default:
			bad_option(argv);
		}
	}
	if (optind < argc) {
		/* The historical form: rm msg|sem|shm ID... */
		unsigned kind = kind_parse(argv[optind]);
		if (!kind || optind + 1 >= argc || strlen(argv[optind]) < 3)
			usage_fail("unexpected argument '%s'", argv[optind]);
		for (int i = optind + 1; i < argc; i++)
			acts[nacts++] = (struct act){kind, argv[i], false};
	}
	if (!nacts && !all && !broken)
		usage_fail("nothing to remove");
	if (broken && B->kernel)
		usage_fail("--damaged: the kernel's objects are never damaged "
			   "files");
	for (size_t i = 0; i < nacts; i++)
		ok &= rm_arg(acts[i].kind, acts[i].arg, acts[i].by_key);
	if (all)
		ok &= rm_all(all, yes);
	if (broken && ns_exists())
		ok &= rm_damaged(KINDS_ALL, yes);
	free(acts);
	return ok ? 0 : 1;
}
