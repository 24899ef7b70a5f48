/*
 * ls.c - `ipckit ls`: every IPC object on the machine in one table, and
 * ipcs's options: -q/-s/-m/-a choose kinds, -c/-p/-t print ipcs's
 * per-kind tables (the last one given wins, as in ipcs), -l the limits,
 * -u the summary, -i one object. Only reads: see objects.c.
 */
#include "cmd.h"

#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum format { F_TABLE, F_CREATOR, F_PID, F_TIME, F_LIMITS, F_SUMMARY };

/* ipcs's order of kinds: queues, segments, semaphores. */
static int kind_rank(unsigned kind)
{
	return kind == IPCKIT_KIND_MSG ? 0 : kind == IPCKIT_KIND_SHM ? 1 : 2;
}

static int obj_cmp(const void *a, const void *b)
{
	const struct obj *x = a, *y = b;
	if (x->source != y->source)
		return x->source - y->source;
	if (x->kind != y->kind)
		return kind_rank(x->kind) - kind_rank(y->kind);
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return strcmp(x->name, y->name);
}

static const char *num(char *buf, size_t n, int64_t v)
{
	if (v < 0)
		return "-";
	snprintf(buf, n, "%lld", (long long)v);
	return buf;
}

static void print_table(const struct objlist *l)
{
	printf("%-6s %-4s %-10s %-10s %-10s %-5s %-10s %-6s %-6s %-5s "
	       "%-15s %s\n",
	       "SOURCE", "KIND", "KEY", "ID", "OWNER", "PERMS", "BYTES", "MSGS",
	       "NATTCH", "NSEMS", "STATUS", "NAME");
	for (size_t i = 0; i < l->n; i++) {
		const struct obj *o = &l->v[i];
		char key[16] = "-", id[16], perms[8] = "-", b1[24], b2[24],
		     b3[24], b4[24];
		if (o->has_key)
			snprintf(key, sizeof(key), "0x%08x", (unsigned)o->key);
		if (o->perm_known)
			snprintf(perms, sizeof(perms), "%o", o->mode);
		/* A POSIX name, or the file of an ipckit object gone wrong. */
		const char *name =
		    o->source == SRC_POSIX ||
			    (o->source == SRC_IPCKIT && o->status[0] &&
			     strcmp(o->status, "dest") &&
			     strcmp(o->status, "locked") &&
			     !strstr(o->status, "busy"))
			? o->name
			: "";
		char line[512];
		snprintf(line, sizeof(line),
			 "%-6s %-4s %-10s %-10s %-10.10s %-5s %-10s %-6s %-6s "
			 "%-5s %-15s %s",
			 source_name(o->source), kind_name(o->kind), key,
			 num(id, sizeof(id), o->id),
			 o->perm_known ? user_name(o->uid) : "-", perms,
			 num(b1, sizeof(b1), o->bytes),
			 num(b2, sizeof(b2), o->msgs),
			 num(b3, sizeof(b3), o->nattch),
			 num(b4, sizeof(b4), o->nsems),
			 o->status[0] ? o->status : "-", name);
		size_t len = strlen(line);
		while (len && line[len - 1] == ' ')
			line[--len] = 0;
		puts(line);
	}
}

static const char *section_name(unsigned kind)
{
	return kind == IPCKIT_KIND_MSG	 ? "Message Queues"
	       : kind == IPCKIT_KIND_SHM ? "Shared Memory"
					 : "Semaphore Arrays";
}

static const char *id_name(unsigned kind)
{
	return kind == IPCKIT_KIND_MSG	 ? "msqid"
	       : kind == IPCKIT_KIND_SHM ? "shmid"
					 : "semid";
}

static const char *obj_ident(const struct obj *o, char *buf, size_t n)
{
	if (o->source == SRC_POSIX || o->id < 0)
		return o->name;
	snprintf(buf, n, "%d", o->id);
	return buf;
}

/* ipcs -c, -p, -t: one table per kind, ipcs's columns after SOURCE. */
static void print_sections(const struct objlist *l, enum format fmt,
			   unsigned kinds)
{
	static const unsigned order[] = {IPCKIT_KIND_MSG, IPCKIT_KIND_SHM,
					 IPCKIT_KIND_SEM};
	for (size_t k = 0; k < 3; k++) {
		unsigned kind = order[k];
		if (!(kinds & KIND_BIT(kind)))
			continue;
		if (fmt == F_PID && kind == IPCKIT_KIND_SEM)
			continue; /* ipcs -s -p prints nothing either */
		const char *title =
		    fmt == F_CREATOR
			? (kind == IPCKIT_KIND_SHM ? "Segment Creators/Owners"
						   : "Creators/Owners")
		    : fmt == F_PID
			? (kind == IPCKIT_KIND_MSG ? "PIDs"
						   : "Creator/Last-op PIDs")
		    : kind == IPCKIT_KIND_MSG ? "Send/Recv/Change Times"
		    : kind == IPCKIT_KIND_SHM ? "Attach/Detach/Change Times"
					      : "Operation/Change Times";
		printf("\n------ %s %s --------\n", section_name(kind), title);
		if (fmt == F_CREATOR)
			printf("%-7s%-10s %-10s %-10s %-10s %-10s %-10s\n",
			       "source", id_name(kind), "perms", "cuid", "cgid",
			       "uid", "gid");
		else if (fmt == F_PID && kind == IPCKIT_KIND_MSG)
			printf("%-7s%-10s %-10s %-10s %-10s\n", "source",
			       "msqid", "owner", "lspid", "lrpid");
		else if (fmt == F_PID)
			printf("%-7s%-10s %-10s %-10s %-10s\n", "source",
			       "shmid", "owner", "cpid", "lpid");
		else if (kind == IPCKIT_KIND_MSG)
			printf("%-7s%-8s %-10s %-20s %-20s %-20s\n", "source",
			       "msqid", "owner", "send", "recv", "change");
		else if (kind == IPCKIT_KIND_SHM)
			printf("%-7s%-10s %-10s %-20s %-20s %-20s\n", "source",
			       "shmid", "owner", "attached", "detached",
			       "changed");
		else
			printf("%-7s%-8s %-10s %-26s %-26s\n", "source",
			       "semid", "owner", "last-op", "last-changed");
		for (size_t i = 0; i < l->n; i++) {
			const struct obj *o = &l->v[i];
			char ident[32], t1[64], t2[64], t3[64];
			if (o->kind != kind ||
			    (fmt == F_PID && o->source == SRC_POSIX))
				continue;
			const char *src = source_name(o->source);
			const char *id = obj_ident(o, ident, sizeof(ident));
			const char *owner =
			    o->perm_known ? user_name(o->uid) : "-";
			if (fmt == F_CREATOR) {
				printf("%-7s%-10s %-10o %-10s %-10s %-10s "
				       "%-10s\n",
				       src, id, o->mode, user_name(o->cuid),
				       group_name(o->cgid), user_name(o->uid),
				       group_name(o->gid));
			} else if (fmt == F_PID) {
				printf("%-7s%-10s %-10.10s %-10d %-10d\n", src,
				       id, owner,
				       kind == IPCKIT_KIND_MSG ? o->lpid
							       : o->cpid,
				       kind == IPCKIT_KIND_MSG ? o->lrpid
							       : o->lpid);
			} else if (kind == IPCKIT_KIND_SEM) {
				fmt_time(t1, sizeof(t1), o->otime, true);
				fmt_time(t2, sizeof(t2), o->ctime, true);
				printf("%-7s%-8s %-10.10s %-26s %-26s\n", src,
				       id, owner, t1, t2);
			} else {
				fmt_time(t1, sizeof(t1), o->otime, false);
				fmt_time(t2, sizeof(t2), o->rtime, false);
				fmt_time(t3, sizeof(t3), o->ctime, false);
				printf(kind == IPCKIT_KIND_MSG
					   ? "%-7s%-8s %-10.10s %-20s "
					     "%-20s %-20s\n"
					   : "%-7s%-10s %-10.10s %-20s "
					     "%-20s %-20s\n",
				       src, id, owner, t1, t2, t3);
			}
		}
	}
	putchar('\n');
}

/* ---- -l ------------------------------------------------------------------ */

static unsigned long long read_ull(const char *path, unsigned long long dflt)
{
	FILE *f = fopen(path, "re");
	unsigned long long v;
	if (!f)
		return dflt;
	if (fscanf(f, "%llu", &v) != 1)
		v = dflt;
	fclose(f);
	return v;
}

static void limits_print(const char *who, const struct ipckit_limits *lim,
			 unsigned kinds, bool json, bool *first)
{
	if (json) {
		printf("%s\"%s\": {\"msgmni\": %u, \"msgmax\": %u, "
		       "\"msgmnb\": %u, \"shmmni\": %llu, \"shmmax\": %llu, "
		       "\"shmall\": %llu, \"shmmin\": %llu, \"semmni\": %u, "
		       "\"semmsl\": %u, \"semmns\": %u, \"semopm\": %u, "
		       "\"semvmx\": %u}",
		       *first ? "" : ", ", who, lim->msgmni, lim->msgmax,
		       lim->msgmnb, (unsigned long long)lim->shmmni,
		       (unsigned long long)lim->shmmax,
		       (unsigned long long)lim->shmall,
		       (unsigned long long)lim->shmmin, lim->semmni,
		       lim->semmsl, lim->semmns, lim->semopm, lim->semvmx);
		*first = false;
		return;
	}
	long page = sysconf(_SC_PAGESIZE);
	if (kinds & KIND_BIT(IPCKIT_KIND_MSG))
		printf("\n------ Messages Limits (%s) --------\n"
		       "max queues system wide = %u\n"
		       "max size of message (bytes) = %u\n"
		       "default max size of queue (bytes) = %u\n",
		       who, lim->msgmni, lim->msgmax, lim->msgmnb);
	if (kinds & KIND_BIT(IPCKIT_KIND_SHM))
		printf("\n------ Shared Memory Limits (%s) --------\n"
		       "max number of segments = %llu\n"
		       "max seg size (kbytes) = %llu\n"
		       "max total shared memory (kbytes) = %llu\n"
		       "min seg size (bytes) = %llu\n",
		       who, (unsigned long long)lim->shmmni,
		       (unsigned long long)(lim->shmmax / 1024),
		       (unsigned long long)lim->shmall *
			   (unsigned long long)page / 1024,
		       (unsigned long long)lim->shmmin);
	if (kinds & KIND_BIT(IPCKIT_KIND_SEM))
		printf("\n------ Semaphore Limits (%s) --------\n"
		       "max number of arrays = %u\n"
		       "max semaphores per array = %u\n"
		       "max semaphores system wide = %u\n"
		       "max ops per semop call = %u\n"
		       "semaphore max value = %u\n",
		       who, lim->semmni, lim->semmsl, lim->semmns, lim->semopm,
		       lim->semvmx);
}

static void kernel_limits(struct ipckit_limits *l)
{
	memset(l, 0, sizeof(*l));
	l->msgmax = (uint32_t)read_ull("/proc/sys/kernel/msgmax", 8192);
	l->msgmnb = (uint32_t)read_ull("/proc/sys/kernel/msgmnb", 16384);
	l->msgmni = (uint32_t)read_ull("/proc/sys/kernel/msgmni", 32000);
	l->shmmax = read_ull("/proc/sys/kernel/shmmax", 0);
	l->shmall = read_ull("/proc/sys/kernel/shmall", 0);
	l->shmmni = read_ull("/proc/sys/kernel/shmmni", 4096);
	l->shmmin = 1;
	l->semvmx = 32767;
	FILE *f = fopen("/proc/sys/kernel/sem", "re");
	if (f) {
		if (fscanf(f, "%u %u %u %u", &l->semmsl, &l->semmns, &l->semopm,
			   &l->semmni) != 4)
			l->semmsl = l->semmns = l->semopm = l->semmni = 0;
		fclose(f);
	}
}

static int show_limits(int sources, unsigned kinds, bool json)
{
	struct ipckit_limits lim;
	bool first = true;
	if (json)
		putchar('{');
	if (sources & SRC_KERNEL) {
		kernel_limits(&lim);
		limits_print("kernel", &lim, kinds, json, &first);
	}
	if (sources & SRC_IPCKIT) {
		const struct ipckit_ns *ns;
		/* The library reads its limits on first use, which would
		 * make the directory: only once it exists. */
		if (ns_exists() && ipckit__ns(&ns) == 0) {
			char who[PATH_MAX + 16];
			snprintf(who, sizeof(who), "ipckit %s", ns->path);
			limits_print(json ? "ipckit" : who, &ns->lim, kinds,
				     json, &first);
		} else if (!json) {
			printf("\n------ ipckit (%s) --------\nnot created "
			       "yet: the kernel's limits will apply\n",
			       ns_path());
		}
	}
	if ((sources & SRC_POSIX) && (kinds & KIND_BIT(IPCKIT_KIND_MSG))) {
		unsigned long long qm, mm, sm;
		qm = read_ull("/proc/sys/fs/mqueue/queues_max", 0);
		mm = read_ull("/proc/sys/fs/mqueue/msg_max", 0);
		sm = read_ull("/proc/sys/fs/mqueue/msgsize_max", 0);
		if (json)
			printf("%s\"posix\": {\"queues_max\": %llu, "
			       "\"msg_max\": %llu, \"msgsize_max\": %llu}",
			       first ? "" : ", ", qm, mm, sm);
		else
			printf("\n------ POSIX Message Queue Limits --------\n"
			       "max queues = %llu\nmax messages per queue = "
			       "%llu\nmax size of message (bytes) = %llu\n",
			       qm, mm, sm);
	}
	if (json)
		puts("}");
	else
		putchar('\n');
	return 0;
}

/* ---- -u ------------------------------------------------------------------ */

struct summary {
	long long queues, msgs, msgbytes;
	long long segs, pages, sets, sems;
};

static void summarize(const struct objlist *l, int source, struct summary *s)
{
	long page = sysconf(_SC_PAGESIZE);
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < l->n; i++) {
		const struct obj *o = &l->v[i];
		if (o->source != source)
			continue;
		if (o->kind == IPCKIT_KIND_MSG) {
			s->queues++;
			s->msgs += o->msgs > 0 ? o->msgs : 0;
			s->msgbytes += o->bytes > 0 ? o->bytes : 0;
		} else if (o->kind == IPCKIT_KIND_SHM) {
			s->segs++;
			s->pages +=
			    o->bytes > 0 ? (o->bytes + page - 1) / page : 0;
		} else {
			s->sets++;
			s->sems += o->nsems > 0 ? o->nsems : 0;
		}
	}
}

static int show_summary(const struct objlist *l, int sources, unsigned kinds,
			bool json)
{
	bool first = true;
	if (json)
		putchar('{');
	for (int src = SRC_IPCKIT; src <= SRC_POSIX; src <<= 1) {
		if (!(sources & src))
			continue;
		struct summary s;
		summarize(l, src, &s);
		if (json) {
			printf("%s\"%s\": {\"queues\": %lld, \"messages\": "
			       "%lld, \"message_bytes\": %lld, \"segments\": "
			       "%lld, \"pages\": %lld, \"semaphore_sets\": "
			       "%lld, \"semaphores\": %lld}",
			       first ? "" : ", ", source_name(src), s.queues,
			       s.msgs, s.msgbytes, s.segs, s.pages, s.sets,
			       s.sems);
			first = false;
			continue;
		}
		const char *who = source_name(src);
		if (kinds & KIND_BIT(IPCKIT_KIND_MSG))
			printf("\n------ Messages Status (%s) --------\n"
			       "allocated queues = %lld\n"
			       "used headers = %lld\n"
			       "used space = %lld bytes\n",
			       who, s.queues, s.msgs, s.msgbytes);
		if (kinds & KIND_BIT(IPCKIT_KIND_SHM))
			printf("\n------ Shared Memory Status (%s) --------\n"
			       "segments allocated %lld\n"
			       "pages allocated %lld\n",
			       who, s.segs, s.pages);
		if (kinds & KIND_BIT(IPCKIT_KIND_SEM))
			printf("\n------ Semaphore Status (%s) --------\n"
			       "used arrays = %lld\n"
			       "allocated semaphores = %lld\n",
			       who, s.sets, s.sems);
	}
	if (json)
		puts("}");
	else
		putchar('\n');
	return 0;
}

/* ---- the command --------------------------------------------------------- */

static unsigned kinds_parse(const char *s)
{
	unsigned bits = 0;
	char buf[64];
	snprintf(buf, sizeof(buf), "%s", s);
	char *save = NULL;
	for (char *t = strtok_r(buf, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		unsigned k = kind_parse(t);
		if (!strcmp(t, "all"))
			bits |= KINDS_ALL;
		else if (!k)
			usage_fail("invalid kind '%s' (msg, sem, shm)", t);
		else
			bits |= KIND_BIT(k);
	}
	return bits;
}

static uint32_t owner_parse(const char *s)
{
	struct passwd *pw = getpwnam(s);
	if (pw)
		return pw->pw_uid;
	return (uint32_t)parse_int("owner", s, 0, UINT32_MAX);
}

int cmd_ls(int argc, char **argv)
{
	enum { O_KIND = 256, O_SOURCE, O_OWNER, O_DIR, O_JSON, O_HUMAN };
	static const struct option opts[] = {
	    {"queues", no_argument, NULL, 'q'},
	    {"semaphores", no_argument, NULL, 's'},
	    {"shmems", no_argument, NULL, 'm'},
	    {"all", no_argument, NULL, 'a'},
	    {"creator", no_argument, NULL, 'c'},
	    {"pid", no_argument, NULL, 'p'},
	    {"time", no_argument, NULL, 't'},
	    {"limits", no_argument, NULL, 'l'},
	    {"summary", no_argument, NULL, 'u'},
	    {"id", required_argument, NULL, 'i'},
	    {"bytes", no_argument, NULL, 'b'},
	    {"human", no_argument, NULL, O_HUMAN},
	    {"kind", required_argument, NULL, O_KIND},
	    {"source", required_argument, NULL, O_SOURCE},
	    {"owner", required_argument, NULL, O_OWNER},
	    {"dir", required_argument, NULL, O_DIR},
	    {"json", no_argument, NULL, O_JSON},
	    {NULL, 0, NULL, 0},
	};
	unsigned kinds = 0;
	int sources = SRC_ALL, c;
	enum format fmt = F_TABLE;
	bool json = false, by_owner = false;
	uint32_t owner = 0;
	const char *id_arg = NULL;
	while ((c = getopt_long(argc, argv, "qsmacptlui:b", opts, NULL)) !=
	       -1) {
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
		case 'a':
			kinds |= KINDS_ALL;
			break;
		case 'c':
			fmt = F_CREATOR;
			break;
		case 'p':
			fmt = F_PID;
			break;
		case 't':
			fmt = F_TIME;
			break;
		case 'l':
			fmt = F_LIMITS;
			break;
		case 'u':
			fmt = F_SUMMARY;
			break;
		case 'i':
			id_arg = optarg;
			break;
		case 'b':
		case O_HUMAN:
			break; /* sizes are always in bytes */
		case O_KIND:
			kinds |= kinds_parse(optarg);
			break;
		case O_SOURCE:
			sources = source_parse(optarg);
			if (sources < 0)
				usage_fail("invalid source '%s' (ipckit, "
					   "kernel, posix)",
					   optarg);
			break;
		case O_OWNER:
			owner = owner_parse(optarg);
			by_owner = true;
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
	if (optind < argc)
		usage_fail("unexpected argument '%s'", argv[optind]);
	if (id_arg) {
		int n = 0;
		unsigned kind = 0;
		for (unsigned k = IPCKIT_KIND_MSG; k <= IPCKIT_KIND_SHM; k++)
			if (kinds & KIND_BIT(k)) {
				kind = k;
				n++;
			}
		if (n != 1)
			usage_fail("-i needs one of -q, -s, -m");
		if (sources != SRC_IPCKIT && sources != SRC_KERNEL &&
		    sources != SRC_ALL)
			usage_fail("-i takes --source ipckit or kernel");
		int id = (int)parse_int("id", id_arg, 0, INT32_MAX);
		return stat_show(sources == SRC_KERNEL ? SRC_KERNEL
						       : SRC_IPCKIT,
				 kind, id, json);
	}
	if (!kinds)
		kinds = KINDS_ALL;
	if (fmt == F_LIMITS)
		return show_limits(sources, kinds, json);

	struct objlist l = {0};
	collect(&l, sources, kinds, false);
	if (by_owner) {
		size_t k = 0;
		for (size_t i = 0; i < l.n; i++) {
			if (l.v[i].perm_known && l.v[i].uid == owner) {
				l.v[k++] = l.v[i];
				continue;
			}
			if (l.v[i].snap) {
				ipckit__inspect_free(l.v[i].snap);
				free(l.v[i].snap);
			}
		}
		l.n = k;
	}
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), obj_cmp);
	if (fmt == F_SUMMARY) {
		show_summary(&l, sources, kinds, json);
	} else if (json) {
		printf("[");
		for (size_t i = 0; i < l.n; i++) {
			printf("%s\n  ", i ? "," : "");
			obj_json(stdout, &l.v[i]);
		}
		printf("%s]\n", l.n ? "\n" : "");
	} else if (fmt == F_TABLE) {
		print_table(&l);
	} else {
		print_sections(&l, fmt, kinds);
	}
	objlist_free(&l);
	return ferror(stdout) ? 1 : 0;
}
