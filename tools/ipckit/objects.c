/*
 * objects.c - every IPC object on the machine as one kind of record
 * (struct obj), from three sources, and that record's JSON form:
 * - ipckit: the namespace's object files, through read-only snapshots
 *   (src/inspect.c), so listing never reaps or repairs anything;
 * - kernel: System V objects from /proc/sysvipc, as ipcs reads them;
 * - posix: message queues in /dev/mqueue (when mounted), named semaphores
 *   (/dev/shm/sem.*) and shared memory (other files in /dev/shm; the
 *   directories there, ipckit's namespaces among them, are skipped).
 */
#include "cmd.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define MQUEUE_MAGIC 0x19800202

const char *source_name(int source)
{
	switch (source) {
	case SRC_IPCKIT:
		return "ipckit";
	case SRC_KERNEL:
		return "kernel";
	default:
		return "posix";
	}
}

int source_parse(const char *s)
{
	int bits = 0;
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", s);
	char *save = NULL;
	for (char *t = strtok_r(buf, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		if (!strcmp(t, "ipckit"))
			bits |= SRC_IPCKIT;
		else if (!strcmp(t, "kernel") || !strcmp(t, "sysv"))
			bits |= SRC_KERNEL;
		else if (!strcmp(t, "posix"))
			bits |= SRC_POSIX;
		else if (!strcmp(t, "all"))
			bits |= SRC_ALL;
		else
			return -1;
	}
	return bits ? bits : -1;
}

static struct obj *push(struct objlist *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 32;
		struct obj *v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			fail("listing", ENOMEM);
		l->v = v;
		l->cap = cap;
	}
	struct obj *o = &l->v[l->n++];
	memset(o, 0, sizeof(*o));
	o->status = "";
	o->id = -1;
	o->bytes = o->qbytes = o->msgs = o->nattch = o->nsems = -1;
	o->value = o->maxmsg = o->msgsize = -1;
	o->cpid = o->lpid = o->lrpid = -1;
	o->otime = o->rtime = o->ctime = -1;
	o->senders = o->receivers = -1;
	return o;
}

void objlist_free(struct objlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i].snap) {
			ipckit__inspect_free(l->v[i].snap);
			free(l->v[i].snap);
		}
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* ---- ipckit -------------------------------------------------------------- */

const char *snap_status(const struct ipckit_snap *s)
{
	switch (s->status) {
	case IPCKIT_SNAP_OK: {
		/* "busy": read without the lock a live holder kept. */
		static const char *const flags[] = {
		    "",	    "dest",	 "locked",	"dest,locked",
		    "busy", "dest,busy", "locked,busy", "dest,locked,busy"};
		bool shm = s->kind == IPCKIT_KIND_SHM;
		return flags[(shm && s->shm.dest ? 1 : 0) |
			     (shm && s->shm.locked ? 2 : 0) |
			     (s->busy ? 4 : 0)];
	}
	case IPCKIT_SNAP_NOACCESS:
		return "no access";
	case IPCKIT_SNAP_DAMAGED:
		return "damaged";
	case IPCKIT_SNAP_NEWER:
		return "unknown version";
	case IPCKIT_SNAP_INIT:
		/* A dead creator's half-made object waits for gc. */
		return s->creator.dead ? "stillborn" : "creating";
	case IPCKIT_SNAP_REMOVED:
		return "removed";
	}
	return "?";
}

void obj_from_snap(struct obj *o, struct ipckit_snap *s)
{
	o->source = SRC_IPCKIT;
	o->kind = s->kind;
	o->snap = s;
	o->status = snap_status(s);
	snprintf(o->name, sizeof(o->name), "%s", s->name);
	bool hdr = s->status == IPCKIT_SNAP_OK ||
		   s->status == IPCKIT_SNAP_INIT ||
		   s->status == IPCKIT_SNAP_REMOVED ||
		   (s->status == IPCKIT_SNAP_DAMAGED && s->id >= 0);
	o->perm_known = hdr || s->status == IPCKIT_SNAP_NOACCESS;
	o->uid = s->uid;
	o->gid = s->gid;
	o->cuid = s->cuid;
	o->cgid = s->cgid;
	o->mode = s->mode & 0777;
	if (hdr) {
		o->has_key = true;
		/* As the kernel: a segment marked for destruction loses its
		 * key (ipc_set_key_private). */
		o->key = s->kind == IPCKIT_KIND_SHM && s->shm.dest ? 0 : s->key;
		o->id = s->id;
		o->cpid = s->creator.pid;
		o->ctime = s->ctime;
	}
	if (s->status != IPCKIT_SNAP_OK)
		return;
	switch (s->kind) {
	case IPCKIT_KIND_MSG:
		o->bytes = (int64_t)s->msg.cbytes;
		o->qbytes = (int64_t)s->msg.qbytes;
		o->msgs = (int64_t)s->msg.qnum;
		o->lpid = s->msg.lspid;
		o->lrpid = s->msg.lrpid;
		o->otime = s->msg.stime;
		o->rtime = s->msg.rtime;
		o->senders = (int)s->msg.live_send;
		o->receivers = (int)s->msg.live_recv;
		break;
	case IPCKIT_KIND_SEM:
		o->nsems = s->sem.nsems;
		o->otime = s->sem.otime;
		break;
	case IPCKIT_KIND_SHM:
		o->bytes = (int64_t)s->shm.segsz;
		o->nattch = (int64_t)s->shm.live_nattch;
		o->lpid = s->shm.lpid;
		o->otime = s->shm.atime;
		o->rtime = s->shm.dtime;
		break;
	}
}

static void collect_ipckit(struct objlist *l, unsigned kinds, bool quiet)
{
	/* Listing must not create the default namespace directory. */
	if (!ns_exists())
		return;
	for (unsigned k = IPCKIT_KIND_MSG; k <= IPCKIT_KIND_SHM; k++) {
		if (!(kinds & KIND_BIT(k)))
			continue;
		int *slots = NULL;
		int n = ipckit__inspect_slots(k, &slots);
		if (n < 0) {
			if (!quiet)
				warn_err(ns_path(), -n);
			return;
		}
		for (int i = 0; i < n; i++) {
			struct ipckit_snap *s = malloc(sizeof(*s));
			if (!s)
				fail("listing", ENOMEM);
			int rc = ipckit__inspect_slot(k, slots[i], s);
			if (rc < 0) {
				/* -ENOENT: removed while we listed. */
				if (rc != -ENOENT && !quiet) {
					char what[64];
					snprintf(what, sizeof(what), "%s.%d",
						 kind_name(k), slots[i]);
					warn_err(what, -rc);
				}
				free(s);
				continue;
			}
			obj_from_snap(push(l), s);
		}
		free(slots);
	}
}

/* ---- kernel -------------------------------------------------------------- */

/* Fills o from one line of /proc/sysvipc/<kind>, by the header's names. */
static void kernel_fill(struct obj *o, unsigned kind, char **names, char **vals,
			int n)
{
	o->source = SRC_KERNEL;
	o->kind = kind;
	o->has_key = true;
	o->perm_known = true;
	for (int i = 0; i < n; i++) {
		const char *f = names[i];
		long long v = strtoll(vals[i], NULL, 10);
		if (!strcmp(f, "key"))
			o->key = (int32_t)v;
		else if (!strcmp(f, "msqid") || !strcmp(f, "semid") ||
			 !strcmp(f, "shmid"))
			o->id = (int)v;
		else if (!strcmp(f, "perms")) {
			unsigned m = (unsigned)strtoul(vals[i], NULL, 8);
			o->mode = m & 0777;
			if (kind == IPCKIT_KIND_SHM)
				o->status = (m & SHM_DEST) ? (m & SHM_LOCKED)
								 ? "dest,locked"
								 : "dest"
					    : (m & SHM_LOCKED) ? "locked"
							       : "";
		} else if (!strcmp(f, "cbytes") || !strcmp(f, "size"))
			o->bytes = v;
		else if (!strcmp(f, "qnum"))
			o->msgs = v;
		else if (!strcmp(f, "nsems"))
			o->nsems = v;
		else if (!strcmp(f, "nattch"))
			o->nattch = v;
		else if (!strcmp(f, "lspid") || !strcmp(f, "lpid"))
			o->lpid = (int32_t)v;
		else if (!strcmp(f, "lrpid"))
			o->lrpid = (int32_t)v;
		else if (!strcmp(f, "cpid"))
			o->cpid = (int32_t)v;
		else if (!strcmp(f, "uid"))
			o->uid = (uint32_t)v;
		else if (!strcmp(f, "gid"))
			o->gid = (uint32_t)v;
		else if (!strcmp(f, "cuid"))
			o->cuid = (uint32_t)v;
		else if (!strcmp(f, "cgid"))
			o->cgid = (uint32_t)v;
		else if (!strcmp(f, "stime") || !strcmp(f, "atime") ||
			 !strcmp(f, "otime"))
			o->otime = v;
		else if (!strcmp(f, "rtime") || !strcmp(f, "dtime"))
			o->rtime = v;
		else if (!strcmp(f, "ctime"))
			o->ctime = v;
	}
	if (kind == IPCKIT_KIND_MSG) {
		/* Not in /proc: IPC_STAT, which needs read permission. */
		struct msqid_ds ds;
		if (msgctl(o->id, IPC_STAT, &ds) == 0)
			o->qbytes = (int64_t)ds.msg_qbytes;
	}
}

static int split(char *line, char **tok, int max)
{
	int n = 0;
	char *save = NULL;
	for (char *t = strtok_r(line, " \t\n", &save); t && n < max;
	     t = strtok_r(NULL, " \t\n", &save))
		tok[n++] = t;
	return n;
}

/* Reads /proc/sysvipc/<kind>; with want >= 0 only that id. */
static bool collect_kernel_kind(struct objlist *l, unsigned kind, int want,
				bool quiet)
{
	char path[64], head[512], line[512];
	char *names[32], *vals[32];
	bool found = false;
	snprintf(path, sizeof(path), "/proc/sysvipc/%s", kind_name(kind));
	FILE *f = fopen(path, "re");
	if (!f) {
		if (!quiet)
			warn_err(path, errno);
		return false;
	}
	if (!fgets(head, sizeof(head), f)) {
		fclose(f);
		return false;
	}
	int nn = split(head, names, 32);
	while (fgets(line, sizeof(line), f)) {
		int nv = split(line, vals, 32);
		if (nv < 2)
			continue;
		if (want >= 0 && atoi(vals[1]) != want)
			continue;
		kernel_fill(push(l), kind, names, vals, nv < nn ? nv : nn);
		found = true;
	}
	fclose(f);
	return found;
}

bool kernel_find(unsigned kind, int id, struct obj *out)
{
	struct objlist l = {0};
	bool found = collect_kernel_kind(&l, kind, id, true);
	if (found)
		*out = l.v[0];
	free(l.v);
	return found;
}

/* ---- POSIX --------------------------------------------------------------- */

static void posix_fill(struct obj *o, unsigned kind, const char *name,
		       const struct stat *st)
{
	o->source = SRC_POSIX;
	o->kind = kind;
	snprintf(o->name, sizeof(o->name), "/%s", name);
	o->perm_known = true;
	o->uid = o->cuid = st->st_uid;
	o->gid = o->cgid = st->st_gid;
	o->mode = st->st_mode & 0777;
	o->ctime = st->st_ctime;
}

static void collect_mqueue(struct objlist *l)
{
	struct statfs sfs;
	/* Not mounted: the queues exist but cannot be listed. */
	if (statfs("/dev/mqueue", &sfs) < 0 || sfs.f_type != MQUEUE_MAGIC)
		return;
	DIR *d = opendir("/dev/mqueue");
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		struct stat st;
		if (e->d_name[0] == '.' ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) <
			0 ||
		    !S_ISREG(st.st_mode))
			continue;
		struct obj *o = push(l);
		posix_fill(o, IPCKIT_KIND_MSG, e->d_name, &st);
		/* "QSIZE:%-10lu NOTIFY:..." - reading it changes nothing. */
		int fd = openat(dirfd(d), e->d_name, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			char buf[256];
			ssize_t n = read(fd, buf, sizeof(buf) - 1);
			close(fd);
			unsigned long long q;
			if (n > 0) {
				buf[n] = 0;
				if (sscanf(buf, "QSIZE:%llu", &q) == 1)
					o->bytes = (int64_t)q;
			}
		}
		mqd_t mq = mq_open(o->name, O_RDONLY | O_NONBLOCK);
		if (mq != (mqd_t)-1) {
			struct mq_attr a;
			if (mq_getattr(mq, &a) == 0) {
				o->msgs = a.mq_curmsgs;
				o->maxmsg = a.mq_maxmsg;
				o->msgsize = a.mq_msgsize;
			}
			mq_close(mq);
		}
	}
	closedir(d);
}

/* A path mapped by some process, and how many processes map it. */
struct mapped {
	char *path;
	int procs;
	long last; /* the pid counted last, so each counts once */
};

/*
 * Who maps which /dev/shm file: one pass over every /proc/PID/maps.
 * Processes whose maps we may not read are not counted.
 */
static size_t scan_maps(struct mapped **out)
{
	struct mapped *v = NULL;
	size_t n = 0, cap = 0;
	DIR *d = opendir("/proc");
	*out = NULL;
	if (!d)
		return 0;
	struct dirent *e;
	char path[64], line[PATH_MAX + 128];
	while ((e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		long pid = strtol(e->d_name, NULL, 10);
		snprintf(path, sizeof(path), "/proc/%ld/maps", pid);
		FILE *f = fopen(path, "re");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			char *p = strstr(line, " /dev/shm/");
			if (!p)
				continue;
			p++;
			p[strcspn(p, "\n")] = 0;
			size_t i;
			for (i = 0; i < n && strcmp(v[i].path, p); i++)
				;
			if (i < n) {
				if (v[i].last != pid)
					v[i].procs++;
				v[i].last = pid;
				continue;
			}
			if (n == cap) {
				cap = cap ? 2 * cap : 16;
				struct mapped *nv =
				    realloc(v, cap * sizeof(*v));
				if (!nv)
					break;
				v = nv;
			}
			v[n].path = strdup(p);
			v[n].procs = 1;
			v[n].last = pid;
			if (v[n].path)
				n++;
		}
		fclose(f);
	}
	closedir(d);
	*out = v;
	return n;
}

static void collect_devshm(struct objlist *l, unsigned kinds)
{
	DIR *d = opendir("/dev/shm");
	if (!d)
		return;
	struct mapped *maps = NULL;
	size_t nmaps = 0;
	bool scanned = false;
	struct dirent *e;
	while ((e = readdir(d))) {
		struct stat st;
		if (e->d_name[0] == '.' ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) <
			0 ||
		    !S_ISREG(st.st_mode))
			continue;
		bool is_sem = !strncmp(e->d_name, "sem.", 4) && e->d_name[4];
		unsigned kind = is_sem ? IPCKIT_KIND_SEM : IPCKIT_KIND_SHM;
		if (!(kinds & KIND_BIT(kind)))
			continue;
		struct obj *o = push(l);
		posix_fill(o, kind, is_sem ? e->d_name + 4 : e->d_name, &st);
		if (is_sem) {
			o->nsems = 1;
			/* Smaller than a sem_t would fault when read. */
			if ((size_t)st.st_size >= sizeof(sem_t)) {
				sem_t *sem = sem_open(o->name, 0);
				int val;
				if (sem != SEM_FAILED) {
					if (sem_getvalue(sem, &val) == 0)
						o->value = val;
					sem_close(sem);
				}
			}
			continue;
		}
		o->bytes = (int64_t)st.st_size;
		if (!scanned) {
			nmaps = scan_maps(&maps);
			scanned = true;
		}
		char full[PATH_MAX];
		snprintf(full, sizeof(full), "/dev/shm/%s", e->d_name);
		o->nattch = 0;
		for (size_t i = 0; i < nmaps; i++)
			if (!strcmp(maps[i].path, full))
				o->nattch = maps[i].procs;
	}
	closedir(d);
	for (size_t i = 0; i < nmaps; i++)
		free(maps[i].path);
	free(maps);
}

void collect(struct objlist *l, int sources, unsigned kinds, bool quiet)
{
	if (sources & SRC_IPCKIT)
		collect_ipckit(l, kinds, quiet);
	if (sources & SRC_KERNEL) {
		for (unsigned k = IPCKIT_KIND_MSG; k <= IPCKIT_KIND_SHM; k++)
			if (kinds & KIND_BIT(k))
				collect_kernel_kind(l, k, -1, quiet);
	}
	if (sources & SRC_POSIX) {
		if (kinds & KIND_BIT(IPCKIT_KIND_MSG))
			collect_mqueue(l);
		if (kinds &
		    (KIND_BIT(IPCKIT_KIND_SEM) | KIND_BIT(IPCKIT_KIND_SHM)))
			collect_devshm(l, kinds);
	}
}

/* ---- JSON ---------------------------------------------------------------- */

static void json_num(FILE *f, const char *name, int64_t v)
{
	if (v < 0)
		fprintf(f, ", \"%s\": null", name);
	else
		fprintf(f, ", \"%s\": %lld", name, (long long)v);
}

void obj_json(FILE *f, const struct obj *o)
{
	fprintf(f, "{\"source\": \"%s\", \"kind\": \"%s\"",
		source_name(o->source), kind_name(o->kind));
	if (o->has_key)
		fprintf(f, ", \"key\": \"0x%08x\"", (unsigned)o->key);
	else
		fprintf(f, ", \"key\": null");
	json_num(f, "id", o->id);
	fprintf(f, ", \"name\": ");
	if (o->name[0])
		json_str(f, o->name);
	else
		fputs("null", f);
	if (o->perm_known) {
		fprintf(f, ", \"owner\": ");
		json_str(f, user_name(o->uid));
		fprintf(f,
			", \"uid\": %u, \"gid\": %u, \"cuid\": %u, "
			"\"cgid\": %u, \"perms\": \"%03o\"",
			o->uid, o->gid, o->cuid, o->cgid, o->mode);
	} else {
		fprintf(f, ", \"owner\": null, \"uid\": null, \"gid\": null, "
			   "\"cuid\": null, \"cgid\": null, \"perms\": null");
	}
	fprintf(f, ", \"status\": ");
	json_str(f, o->status);
	switch (o->kind) {
	case IPCKIT_KIND_MSG:
		json_num(f, "bytes", o->bytes);
		json_num(f, "qbytes", o->qbytes);
		json_num(f, "messages", o->msgs);
		if (o->source == SRC_POSIX) {
			json_num(f, "maxmsg", o->maxmsg);
			json_num(f, "msgsize", o->msgsize);
			break;
		}
		json_num(f, "lspid", o->lpid);
		json_num(f, "lrpid", o->lrpid);
		json_num(f, "stime", o->otime);
		json_num(f, "rtime", o->rtime);
		json_num(f, "senders", o->senders);
		json_num(f, "receivers", o->receivers);
		break;
	case IPCKIT_KIND_SEM:
		json_num(f, "nsems", o->nsems);
		if (o->source == SRC_POSIX) {
			json_num(f, "value", o->value);
			break;
		}
		json_num(f, "otime", o->otime);
		break;
	case IPCKIT_KIND_SHM:
		json_num(f, "bytes", o->bytes);
		json_num(f, "nattch", o->nattch);
		if (o->source == SRC_POSIX)
			break;
		json_num(f, "lpid", o->lpid);
		json_num(f, "atime", o->otime);
		json_num(f, "dtime", o->rtime);
		break;
	}
	if (o->source != SRC_POSIX)
		json_num(f, "cpid", o->cpid);
	json_num(f, "ctime", o->ctime);
	fputc('}', f);
}

static void json_proc(FILE *f, const struct ipckit_snap_proc *p)
{
	fprintf(f, "\"pid\": %d, \"dead\": %s", p->pid,
		p->dead ? "true" : "false");
}

void snap_json(FILE *f, const struct ipckit_snap *s)
{
	fprintf(f, ", \"file\": ");
	json_str(f, s->name);
	fprintf(f, ", \"layout_version\": %u, \"read_under_lock\": %s",
		s->version, s->locked ? "true" : "false");
	/* Busy: the thread its lock word names (-1: none it names). */
	if (s->busy)
		fprintf(f, ", \"lock_holder\": %d", (int)s->busy);
	if (s->status == IPCKIT_SNAP_INIT)
		fprintf(f, ", \"creator_dead\": %s",
			s->creator.dead ? "true" : "false");
	if (s->status != IPCKIT_SNAP_OK)
		return;
	switch (s->kind) {
	case IPCKIT_KIND_MSG:
		fprintf(f, ", \"capacity\": %llu, \"handed_off\": %u",
			(unsigned long long)s->msg.cap, s->msg.handed);
		fprintf(f, ", \"types\": [");
		for (size_t i = 0; i < s->msg.ntypes; i++)
			fprintf(f,
				"%s{\"type\": %lld, \"messages\": %llu, "
				"\"bytes\": %llu}",
				i ? ", " : "", (long long)s->msg.types[i].mtype,
				(unsigned long long)s->msg.types[i].count,
				(unsigned long long)s->msg.types[i].bytes);
		fprintf(f, "], \"waiting\": [");
		for (size_t i = 0; i < s->msg.nwaiters; i++) {
			const struct ipckit_snap_waiter *w = &s->msg.waiters[i];
			static const char *const search[] = {
			    "any", "equal", "except", "lessequal"};
			fprintf(f, "%s{", i ? ", " : "");
			json_proc(f, &w->proc);
			fprintf(f, ", \"op\": \"%s\", \"bytes\": %u",
				w->sender ? "send" : "receive", w->bytes);
			if (!w->sender)
				fprintf(f,
					", \"select\": \"%s\", "
					"\"msgtyp\": %lld, \"handed\": %s",
					search[w->search & 3],
					(long long)w->msgtyp,
					w->handed ? "true" : "false");
			fputc('}', f);
		}
		fputc(']', f);
		break;
	case IPCKIT_KIND_SEM:
		fprintf(f, ", \"semaphores\": [");
		for (uint32_t i = 0; s->sem.sems && i < s->sem.nsems; i++)
			fprintf(f,
				"%s{\"num\": %u, \"value\": %u, \"ncnt\": %u, "
				"\"zcnt\": %u, \"pid\": %d}",
				i ? ", " : "", i, s->sem.sems[i].val,
				s->sem.sems[i].ncnt, s->sem.sems[i].zcnt,
				s->sem.sems[i].pid);
		fprintf(f, "], \"waiting\": [");
		for (size_t i = 0; i < s->sem.nwaiters; i++) {
			const struct ipckit_snap_semwait *w =
			    &s->sem.waiters[i];
			fprintf(f, "%s{", i ? ", " : "");
			json_proc(f, &w->proc);
			fprintf(f, ", \"num\": %u, \"op\": %d, \"nsops\": %u}",
				w->num, w->op, w->nsops);
		}
		fprintf(f, "], \"unrecorded_waiters\": %u, \"undo\": [",
			s->sem.unrecorded);
		for (size_t i = 0; i < s->sem.nundo; i++) {
			const struct ipckit_snap_undo *u = &s->sem.undo[i];
			fprintf(f, "%s{", i ? ", " : "");
			json_proc(f, &u->proc);
			fprintf(f, ", \"adjust\": [");
			for (uint32_t j = 0; j < u->nadj; j++)
				fprintf(f, "%s{\"num\": %u, \"adj\": %d}",
					j ? ", " : "", u->num[j], u->adj[j]);
			fprintf(f, "]}");
		}
		fputc(']', f);
		break;
	case IPCKIT_KIND_SHM:
		fprintf(f, ", \"nattch_recorded\": %llu, \"attached\": [",
			(unsigned long long)s->shm.nattch);
		for (size_t i = 0; i < s->shm.natts; i++) {
			const struct ipckit_snap_att *a = &s->shm.atts[i];
			fprintf(f, "%s{", i ? ", " : "");
			json_proc(f, &a->proc);
			fprintf(f, ", \"count\": %u, \"pending_fork\": %s}",
				a->count, a->pending ? "true" : "false");
		}
		fputc(']', f);
		break;
	}
}
