/*
 * stat.c - `ipckit stat`: everything known about one object, as ipcs -i
 * prints it and more: a queue's messages per type and blocked processes,
 * a set's values, waiters and undo, a segment's attached processes. Only
 * reads: ipckit objects through snapshots (src/inspect.c), kernel objects
 * through /proc and the read-only ctl commands (IPC_STAT, GETALL, MSG_COPY).
 */
#include "cmd.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *dead(bool d)
{
	return d ? "  (dead)" : "";
}

/* ---- ipckit objects ------------------------------------------------------ */

static void print_common(const struct obj *o, const char *what, const char *idn)
{
	char key[16] = "-";
	if (o->has_key)
		snprintf(key, sizeof(key), "0x%08x", (unsigned)o->key);
	if (o->id >= 0)
		printf("%s %s=%d", what, idn, o->id);
	else
		printf("%s %s", what, o->name);
	if (o->source == SRC_IPCKIT)
		printf(" (ipckit %s, file %s)", ns_path(), o->name);
	else
		printf(" (%s)", source_name(o->source));
	printf("\nkey=%s\tuid=%u\tgid=%u\tcuid=%u\tcgid=%u\tmode=%#o\n", key,
	       o->uid, o->gid, o->cuid, o->cgid, o->mode);
	if (o->status[0])
		printf("status=%s\n", o->status);
}

static void print_time(const char *label, int64_t t)
{
	char buf[64];
	fmt_time(buf, sizeof(buf), t, true);
	printf("%s=%s\n", label, buf);
}

static void print_msg(const struct obj *o, const struct ipckit_snap *s)
{
	print_common(o, "Message Queue", "msqid");
	printf("cbytes=%lld\tqbytes=%lld\tqnum=%lld\tlspid=%d\tlrpid=%d\n",
	       (long long)o->bytes, (long long)o->qbytes, (long long)o->msgs,
	       o->lpid, o->lrpid);
	print_time("send_time", o->otime);
	print_time("rcv_time", o->rtime);
	print_time("change_time", o->ctime);
	if (!s)
		return;
	printf("capacity=%llu\thanded_off=%u\n", (unsigned long long)s->msg.cap,
	       s->msg.handed);
	printf("\n%-20s %-10s %-10s\n", "type", "messages", "bytes");
	for (size_t i = 0; i < s->msg.ntypes; i++)
		printf("%-20lld %-10llu %-10llu\n",
		       (long long)s->msg.types[i].mtype,
		       (unsigned long long)s->msg.types[i].count,
		       (unsigned long long)s->msg.types[i].bytes);
	printf("\nwaiting senders=%u\treceivers=%u", s->msg.live_send,
	       s->msg.live_recv);
	if (s->msg.live_send != s->msg.nsend ||
	    s->msg.live_recv != s->msg.nrecv)
		printf("\t(recorded, with dead ones: %u, %u)", s->msg.nsend,
		       s->msg.nrecv);
	putchar('\n');
	if (!s->msg.nwaiters)
		return;
	printf("%-10s %-8s %-10s %s\n", "pid", "op", "bytes", "select");
	for (size_t i = 0; i < s->msg.nwaiters; i++) {
		const struct ipckit_snap_waiter *w = &s->msg.waiters[i];
		char sel[48] = "";
		if (!w->sender) {
			switch (w->search) {
			case IPCKIT_SNAP_EQUAL:
				snprintf(sel, sizeof(sel), "type %lld",
					 (long long)w->msgtyp);
				break;
			case IPCKIT_SNAP_EXCEPT:
				snprintf(sel, sizeof(sel), "except %lld",
					 (long long)w->msgtyp);
				break;
			case IPCKIT_SNAP_LESSEQUAL:
				snprintf(sel, sizeof(sel), "type <= %lld",
					 (long long)w->msgtyp);
				break;
			default:
				snprintf(sel, sizeof(sel), "any");
			}
			if (w->handed)
				strcat(sel, ", handed one");
		}
		printf("%-10d %-8s %-10u %s%s\n", w->proc.pid,
		       w->sender ? "send" : "receive", w->bytes, sel,
		       dead(w->proc.dead));
	}
}

static void print_sem(const struct obj *o, const struct ipckit_snap *s,
		      const unsigned short *vals, const int *ncnt,
		      const int *zcnt, const int *pids)
{
	print_common(o, "Semaphore Array", "semid");
	printf("nsems=%lld\n", (long long)o->nsems);
	print_time("otime", o->otime);
	print_time("ctime", o->ctime);
	if (s && s->sem.sems) {
		printf("\n%-10s %-10s %-10s %-10s %-10s\n", "semnum", "value",
		       "ncount", "zcount", "pid");
		for (uint32_t i = 0; i < s->sem.nsems; i++)
			printf("%-10u %-10u %-10u %-10u %-10d\n", i,
			       s->sem.sems[i].val, s->sem.sems[i].ncnt,
			       s->sem.sems[i].zcnt, s->sem.sems[i].pid);
		printf("\nblocked in semop: %zu", s->sem.nwaiters);
		if (s->sem.unrecorded)
			printf(", and %u beyond the table (not counted above)",
			       s->sem.unrecorded);
		putchar('\n');
		if (s->sem.nwaiters)
			printf("%-10s %-10s %-10s %s\n", "pid", "semnum", "op",
			       "nsops");
		for (size_t i = 0; i < s->sem.nwaiters; i++) {
			const struct ipckit_snap_semwait *w =
			    &s->sem.waiters[i];
			printf("%-10d %-10u %-10d %u%s\n", w->proc.pid, w->num,
			       w->op, w->nsops, dead(w->proc.dead));
		}
		printf("\nundo adjustments (SEM_UNDO): %zu processes\n",
		       s->sem.nundo);
		if (s->sem.nundo)
			printf("%-10s %-10s %s\n", "pid", "semnum", "adj");
		for (size_t i = 0; i < s->sem.nundo; i++) {
			const struct ipckit_snap_undo *u = &s->sem.undo[i];
			for (uint32_t j = 0; j < u->nadj; j++)
				printf("%-10d %-10u %+d%s\n", u->proc.pid,
				       u->num[j], u->adj[j],
				       dead(u->proc.dead));
		}
	} else if (vals) {
		printf("\n%-10s %-10s %-10s %-10s %-10s\n", "semnum", "value",
		       "ncount", "zcount", "pid");
		for (int64_t i = 0; i < o->nsems; i++)
			printf("%-10lld %-10u %-10d %-10d %-10d\n",
			       (long long)i, vals[i], ncnt[i], zcnt[i],
			       pids[i]);
	}
}

static void print_shm(const struct obj *o, const struct ipckit_snap *s)
{
	print_common(o, "Shared memory Segment", "shmid");
	printf("bytes=%lld\tlpid=%d\tcpid=%d\tnattch=%lld\n",
	       (long long)o->bytes, o->lpid, o->cpid, (long long)o->nattch);
	print_time("att_time", o->otime);
	print_time("det_time", o->rtime);
	print_time("change_time", o->ctime);
	if (!s)
		return;
	printf("\nattached processes: %zu", s->shm.natts);
	if (s->shm.nattch != s->shm.live_nattch)
		printf("\t(attaches recorded, with dead ones: %llu)",
		       (unsigned long long)s->shm.nattch);
	putchar('\n');
	if (s->shm.natts)
		printf("%-10s %-10s\n", "pid", "attaches");
	for (size_t i = 0; i < s->shm.natts; i++)
		printf("%-10d %-10u%s%s\n", s->shm.atts[i].proc.pid,
		       s->shm.atts[i].count,
		       s->shm.atts[i].pending ? "  (for a forked child)" : "",
		       dead(s->shm.atts[i].proc.dead));
}

/* obj_json with the snapshot's details before the closing brace. */
static void print_json(const struct obj *o, const struct ipckit_snap *s,
		       const char *extra)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		fail("output", ENOMEM);
	obj_json(f, o);
	fclose(f);
	if (len)
		buf[--len] = 0; /* the closing brace */
	fputs(buf, stdout);
	free(buf);
	if (s)
		snap_json(stdout, s);
	if (extra)
		fputs(extra, stdout);
	puts("}");
}

static int show_snap(struct ipckit_snap *s, bool json)
{
	struct obj o;
	memset(&o, 0, sizeof(o));
	o.bytes = o.qbytes = o.msgs = o.nattch = o.nsems = -1;
	o.value = o.maxmsg = o.msgsize = -1;
	o.cpid = o.lpid = o.lrpid = -1;
	o.otime = o.rtime = o.ctime = -1;
	o.senders = o.receivers = -1;
	o.id = -1;
	obj_from_snap(&o, s);
	if (json) {
		print_json(&o, s, NULL);
		return 0;
	}
	if (s->status != IPCKIT_SNAP_OK) {
		if (s->id >= 0)
			printf("ipckit %s %d", kind_name(s->kind), s->id);
		else
			printf("ipckit %s", kind_name(s->kind));
		printf(" (%s, file %s): %s\n", ns_path(), s->name,
		       snap_status(s));
		if (s->status == IPCKIT_SNAP_NEWER)
			printf("layout version %u; this ipckit reads "
			       "version %u\n",
			       s->version, IPCKIT_LAYOUT_VERSION);
		return 0;
	}
	if (s->busy > 0)
		printf("(thread %d has held the object's lock for over a "
		       "second: read without it, values may be torn)\n",
		       (int)s->busy);
	else if (s->busy)
		printf("(the object's lock has been held for over a second: "
		       "read without it, values may be torn)\n");
	else if (!s->locked)
		printf("(read without the object's lock: values may be "
		       "torn)\n");
	switch (s->kind) {
	case IPCKIT_KIND_MSG:
		print_msg(&o, s);
		break;
	case IPCKIT_KIND_SEM:
		print_sem(&o, s, NULL, NULL, NULL, NULL);
		break;
	default:
		print_shm(&o, s);
	}
	return 0;
}

/*
 * Finds an ipckit object by id or key among `kinds`, without any call that
 * could change something (a key lookup through msgget could remove a
 * dead creator's half-made object): by reading snapshots.
 */
static int find_ipckit(unsigned kinds, const char *arg, struct ipckit_snap *out,
		       char *label, size_t n)
{
	bool is_key = !strncmp(arg, "0x", 2) || !strncmp(arg, "0X", 2) ||
		      !strncmp(arg, "key:", 4) || strchr(arg, ':');
	key_t key = 0;
	int id = -1, found = 0;
	if (is_key)
		key = parse_key(strncmp(arg, "key:", 4) ? arg : arg + 4);
	else
		id = (int)parse_int("id", arg, 0, INT32_MAX);
	snprintf(label, n, is_key ? "key 0x%08x" : "%d",
		 is_key ? (unsigned)key : (unsigned)id);
	if (!ns_exists() || (is_key && key == IPC_PRIVATE))
		return -EINVAL;
	for (unsigned k = IPCKIT_KIND_MSG; k <= IPCKIT_KIND_SHM; k++) {
		struct ipckit_snap s;
		if (!(kinds & KIND_BIT(k)))
			continue;
		if (!is_key) {
			if (ipckit__inspect_id(k, id, &s) != 0)
				continue;
			if (found++)
				ipckit__inspect_free(out);
			*out = s;
			continue;
		}
		int *slots = NULL;
		int ns = ipckit__inspect_slots(k, &slots);
		for (int i = 0; i < ns; i++) {
			if (ipckit__inspect_slot(k, slots[i], &s) != 0)
				continue;
			if (s.status == IPCKIT_SNAP_OK && s.key == key &&
			    !(k == IPCKIT_KIND_SHM && s.shm.dest)) {
				if (found++)
					ipckit__inspect_free(out);
				*out = s;
			} else {
				ipckit__inspect_free(&s);
			}
		}
		free(slots);
	}
	if (found > 1) {
		ipckit__inspect_free(out);
		usage_fail("%s names objects of several kinds: give -q, -s "
			   "or -m",
			   arg);
	}
	return found ? 0 : -EINVAL;
}

/* ---- kernel objects ------------------------------------------------------ */

/* Per-type counts of a kernel queue through MSG_COPY, which reads only. */
static char *kernel_msg_types(int id, int64_t qnum)
{
	size_t max = 65536;
	struct {
		long mtype;
		char mtext[];
	} *m = malloc(sizeof(long) + max);
	struct ipckit_snap_type *t = NULL;
	size_t nt = 0;
	char *out = NULL;
	size_t len = 0;
	if (!m)
		return NULL;
	FILE *f = open_memstream(&out, &len);
	if (!f) {
		free(m);
		return NULL;
	}
	for (int64_t i = 0; i < qnum; i++) {
		ssize_t r =
		    msgrcv(id, m, max, i, IPC_NOWAIT | MSG_COPY | MSG_NOERROR);
		if (r < 0 && i == 0) {
			/* No MSG_COPY (CONFIG_CHECKPOINT_RESTORE), or no
			 * read permission: no per-type counts. */
			fclose(f);
			free(out);
			free(m);
			return NULL;
		}
		if (r < 0)
			break;
		size_t j;
		for (j = 0; j < nt && t[j].mtype != m->mtype; j++)
			;
		if (j == nt) {
			void *p = realloc(t, (nt + 1) * sizeof(*t));
			if (!p)
				break;
			t = p;
			t[nt++] = (struct ipckit_snap_type){m->mtype, 0, 0};
		}
		t[j].count++;
		t[j].bytes += (uint64_t)r;
	}
	for (size_t i = 0; i < nt; i++)
		fprintf(f, "%lld %llu %llu\n", (long long)t[i].mtype,
			(unsigned long long)t[i].count,
			(unsigned long long)t[i].bytes);
	fclose(f);
	free(t);
	free(m);
	return out;
}

/* Processes mapping kernel segment `id` (maps name it /SYSV<key>, inode id). */
static char *kernel_shm_pids(int id)
{
	char *out = NULL, line[PATH_MAX + 128], path[64];
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	DIR *d = opendir("/proc");
	if (!f || !d) {
		if (f)
			fclose(f);
		if (d)
			closedir(d);
		free(out);
		return NULL;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%.20s/maps", e->d_name);
		FILE *m = fopen(path, "re");
		if (!m)
			continue;
		int n = 0;
		while (fgets(line, sizeof(line), m)) {
			unsigned long ino;
			char name[64];
			if (sscanf(line, "%*s %*s %*s %*s %lu %63s", &ino,
				   name) == 2 &&
			    !strncmp(name, "/SYSV", 5) && ino == (unsigned)id)
				n++;
		}
		fclose(m);
		if (n)
			fprintf(f, "%s %d\n", e->d_name, n);
	}
	closedir(d);
	fclose(f);
	return out;
}

static int show_kernel(unsigned kind, int id, bool json)
{
	struct obj o;
	char label[64];
	snprintf(label, sizeof(label), "kernel %s %d", kind_name(kind), id);
	if (!kernel_find(kind, id, &o))
		fail(label, EINVAL);
	if (kind == IPCKIT_KIND_MSG) {
		char *types = kernel_msg_types(id, o.msgs);
		if (json) {
			char *extra = NULL;
			size_t len = 0;
			FILE *f = open_memstream(&extra, &len);
			fprintf(f, ", \"types\": [");
			long long t;
			unsigned long long c, b;
			int off = 0, k = 0, used;
			while (types &&
			       sscanf(types + off, "%lld %llu %llu\n%n", &t, &c,
				      &b, &used) == 3) {
				fprintf(f,
					"%s{\"type\": %lld, \"messages\": "
					"%llu, \"bytes\": %llu}",
					k++ ? ", " : "", t, c, b);
				off += used;
			}
			fputc(']', f);
			fclose(f);
			print_json(&o, NULL, extra);
			free(extra);
		} else {
			print_msg(&o, NULL);
			if (types) {
				printf("\n%-20s %-10s %-10s\n", "type",
				       "messages", "bytes");
				long long t;
				unsigned long long c, b;
				int off = 0, used;
				while (sscanf(types + off, "%lld %llu %llu\n%n",
					      &t, &c, &b, &used) == 3) {
					printf("%-20lld %-10llu %-10llu\n", t,
					       c, b);
					off += used;
				}
			}
		}
		free(types);
		return 0;
	}
	if (kind == IPCKIT_KIND_SHM) {
		char *pids = kernel_shm_pids(id);
		if (json) {
			char *extra = NULL;
			size_t len = 0;
			FILE *f = open_memstream(&extra, &len);
			fprintf(f, ", \"attached\": [");
			int pid, n, off = 0, k = 0, used;
			while (pids && sscanf(pids + off, "%d %d\n%n", &pid, &n,
					      &used) == 2) {
				fprintf(f, "%s{\"pid\": %d, \"mappings\": %d}",
					k++ ? ", " : "", pid, n);
				off += used;
			}
			fputc(']', f);
			fclose(f);
			print_json(&o, NULL, extra);
			free(extra);
		} else {
			print_shm(&o, NULL);
			printf("\n%-10s %-10s\n", "pid", "mappings");
			int pid, n, off = 0, used;
			while (pids && sscanf(pids + off, "%d %d\n%n", &pid, &n,
					      &used) == 2) {
				printf("%-10d %-10d\n", pid, n);
				off += used;
			}
		}
		free(pids);
		return 0;
	}
	/* A set: every value and count, read with the read-only commands. */
	int n = o.nsems > 0 ? (int)o.nsems : 0;
	unsigned short *vals = calloc(n + 1, sizeof(*vals));
	int *nc = calloc(n + 1, sizeof(int)), *zc = calloc(n + 1, sizeof(int)),
	    *pids = calloc(n + 1, sizeof(int));
	if (!vals || !nc || !zc || !pids)
		fail(label, ENOMEM);
	union semun arg = {.array = vals};
	bool ok = semctl(id, 0, GETALL, arg) == 0;
	for (int i = 0; ok && i < n; i++) {
		nc[i] = semctl(id, i, GETNCNT);
		zc[i] = semctl(id, i, GETZCNT);
		pids[i] = semctl(id, i, GETPID);
	}
	if (json) {
		char *extra = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&extra, &len);
		fprintf(f, ", \"semaphores\": [");
		for (int i = 0; ok && i < n; i++)
			fprintf(f,
				"%s{\"num\": %d, \"value\": %u, \"ncnt\": %d, "
				"\"zcnt\": %d, \"pid\": %d}",
				i ? ", " : "", i, vals[i], nc[i], zc[i],
				pids[i]);
		fputc(']', f);
		fclose(f);
		print_json(&o, NULL, extra);
		free(extra);
	} else {
		print_sem(&o, NULL, ok ? vals : NULL, nc, zc, pids);
		if (!ok)
			printf("\n(values: %s)\n", strerror(errno));
	}
	free(vals);
	free(nc);
	free(zc);
	free(pids);
	return 0;
}

/* ---- POSIX objects ------------------------------------------------------- */

static int show_posix(const char *name, bool json)
{
	struct objlist l = {0};
	char n[300];
	snprintf(n, sizeof(n), "%s%s", name[0] == '/' ? "" : "/", name);
	collect(&l, SRC_POSIX, KINDS_ALL, true);
	for (size_t i = 0; i < l.n; i++) {
		struct obj *o = &l.v[i];
		if (strcmp(o->name, n))
			continue;
		if (json) {
			print_json(o, NULL, NULL);
		} else {
			char tb[64];
			printf("POSIX %s %s\n",
			       o->kind == IPCKIT_KIND_MSG   ? "message queue"
			       : o->kind == IPCKIT_KIND_SEM ? "semaphore"
							    : "shared memory",
			       o->name);
			printf("uid=%u\tgid=%u\tmode=%#o\n", o->uid, o->gid,
			       o->mode);
			if (o->kind == IPCKIT_KIND_MSG)
				printf("bytes=%lld\tmessages=%lld\tmaxmsg=%lld"
				       "\tmsgsize=%lld\n",
				       (long long)o->bytes, (long long)o->msgs,
				       (long long)o->maxmsg,
				       (long long)o->msgsize);
			else if (o->kind == IPCKIT_KIND_SEM)
				printf("value=%lld\n", (long long)o->value);
			else
				printf("bytes=%lld\tmapped by processes=%lld\n",
				       (long long)o->bytes,
				       (long long)o->nattch);
			fmt_time(tb, sizeof(tb), o->ctime, true);
			printf("change_time=%s\n", tb);
		}
		objlist_free(&l);
		return 0;
	}
	objlist_free(&l);
	fail(name, ENOENT);
}

/* ---- the command --------------------------------------------------------- */

int stat_show(int source, unsigned kind, int id, bool json)
{
	if (source == SRC_KERNEL)
		return show_kernel(kind, id, json);
	struct ipckit_snap s;
	char arg[16], label[64];
	snprintf(arg, sizeof(arg), "%d", id);
	int rc = find_ipckit(KIND_BIT(kind), arg, &s, label, sizeof(label));
	if (rc < 0) {
		char what[80];
		snprintf(what, sizeof(what), "%s %s", kind_name(kind), label);
		fail(what, -rc);
	}
	rc = show_snap(&s, json);
	ipckit__inspect_free(&s);
	return rc;
}

int cmd_stat(int argc, char **argv)
{
	enum { O_KERNEL = 256, O_POSIX, O_DIR, O_JSON };
	static const struct option opts[] = {
	    {"queue", no_argument, NULL, 'q'},
	    {"semaphore", no_argument, NULL, 's'},
	    {"shmem", no_argument, NULL, 'm'},
	    {"kernel", no_argument, NULL, O_KERNEL},
	    {"posix", no_argument, NULL, O_POSIX},
	    {"dir", required_argument, NULL, O_DIR},
	    {"json", no_argument, NULL, O_JSON},
	    {NULL, 0, NULL, 0},
	};
	unsigned kinds = 0;
	int source = SRC_IPCKIT, c;
	bool json = false;
	while ((c = getopt_long(argc, argv, "qsm", opts, NULL)) != -1) {
		switch (c) {
		case 'q':
			kinds |= KIND_BIT(IPCKIT_KIND_MSG);
			break;
		case 's':
			kinds |= KIND_BIT(IPCKIT_KIND_SEM);
			break;
		case 'm':
			kinds |= KIND_BIT(IPCKIT_KIND_SHM);
			break;
		case O_KERNEL:
			source = SRC_KERNEL;
			break;
		case O_POSIX:
			source = SRC_POSIX;
			break;
		case O_DIR:
			set_dir(optarg);
			break;
		case O_JSON:
			json = true;
			break;
		default:
			bad_option(argv);
		}
	}
	if (optind != argc - 1)
		usage_fail("one object, please");
	const char *arg = argv[optind];
	if (source == SRC_POSIX)
		return show_posix(arg, json);
	if (!kinds)
		kinds = KINDS_ALL;
	if (source == SRC_KERNEL) {
		int id = -1, found = 0;
		unsigned kind = 0;
		char label[80];
		for (unsigned k = IPCKIT_KIND_MSG; k <= IPCKIT_KIND_SHM; k++) {
			struct obj o;
			if (!(kinds & KIND_BIT(k)))
				continue;
			int r =
			    resolve(&sysv_kernel, k, arg, label, sizeof(label));
			if (r >= 0 && kernel_find(k, r, &o)) {
				id = r;
				kind = k;
				found++;
			}
		}
		if (found > 1)
			usage_fail("%s names objects of several kinds: give "
				   "-q, -s or -m",
				   arg);
		if (!found) {
			snprintf(label, sizeof(label), "kernel %s", arg);
			fail(label, EINVAL);
		}
		return show_kernel(kind, id, json);
	}
	struct ipckit_snap s;
	char label[64];
	int rc = find_ipckit(kinds, arg, &s, label, sizeof(label));
	if (rc < 0) {
		char what[80];
		snprintf(what, sizeof(what), "ipckit %s", label);
		fail(what, -rc);
	}
	rc = show_snap(&s, json);
	ipckit__inspect_free(&s);
	return rc;
}
