/*
 * cmd.h - what the ipckit command's files share: the subcommands, error
 * reporting, argument parsing, the two System V back ends (ipckit and the
 * kernel) and the machine-wide object records of objects.c.
 *
 * Errors: one line, "ipckit: <object>: <strerror>", exit 1; usage errors
 * "ipckit <sub>: <what>" plus a pointer to the help, exit 2.
 */
#ifndef IPCKIT_CMD_H
#define IPCKIT_CMD_H

#include <stdbool.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include "internal.h"

#define EXIT_USAGE 2

/* ---- subcommands (one file each) ----------------------------------------- */

int cmd_ls(int argc, char **argv);
int cmd_stat(int argc, char **argv);
int cmd_rm(int argc, char **argv);
int cmd_mk(int argc, char **argv);
int cmd_send(int argc, char **argv);
int cmd_recv(int argc, char **argv);
int cmd_sem(int argc, char **argv);
int cmd_shm(int argc, char **argv);
int cmd_gc(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_preload(int argc, char **argv);
int cmd_bench(int argc, char **argv);

/* stat.c's output of one object, for `ls -i` too. Returns the exit status. */
int stat_show(int source, unsigned kind, int id, bool json);

/* The subcommand running, for usage errors ("ipckit send: ..."). */
extern const char *cmd_name;

/* Prints the help of `sub` (NULL: the overview) to `out`; false if unknown. */
bool help_print(const char *sub, FILE *out);

/* ---- errors (util.c) ----------------------------------------------------- */

/* "ipckit: OBJ: strerror(err)", exit 1. */
__attribute__((noreturn)) void fail(const char *obj, int err);
/* The same line without exiting. */
void warn_err(const char *obj, int err);
/* "ipckit: <message>", exit 1. */
__attribute__((noreturn, format(printf, 1, 2))) void fail_msg(const char *fmt,
							      ...);
/* "ipckit SUB: <message>" and where to find help, exit 2. */
__attribute__((noreturn, format(printf, 1, 2))) void usage_fail(const char *fmt,
								...);

/* A usage error for the option getopt_long just refused. */
__attribute__((noreturn)) void bad_option(char **argv);

/* ---- parsing (util.c); each fails with a usage error --------------------- */

/* An integer in [min, max]: decimal, 0x hex or 0 octal, as ipcrm takes. */
long long parse_int(const char *what, const char *s, long long min,
		    long long max);
/* A key: a number (0x..., decimal, 0 octal) or PATH:PROJ handed to ftok. */
key_t parse_key(const char *s);
/* ipcmk's sizes: a number with an optional K, KiB, KB, M, MiB, MB... suffix. */
uint64_t parse_size(const char *s);
/* An octal mode, at most 0777. */
int parse_mode(const char *s);
/* Seconds, with a fraction: "1.5"; "ms" and "s" suffixes allowed. */
struct timespec parse_seconds(const char *what, const char *s);
/* Handles --dir: the namespace directory, before the library first runs. */
void set_dir(const char *dir);

/* ---- the namespace, without creating it (util.c) ------------------------- */

/* $IPCKIT_DIR or the default, as src/ns.c chooses it. */
const char *ns_path(void);
/* True if the namespace directory exists (ls must not create it). */
bool ns_exists(void);

/* ---- back ends (util.c) -------------------------------------------------- */

/* System V calls, served by ipckit or by the kernel (--kernel). */
struct sysv {
	const char *name; /* "ipckit" or "kernel" */
	bool kernel;
	int (*msgget)(key_t key, int msgflg);
	int (*msgtimedsnd)(int msqid, const void *msgp, size_t msgsz,
			   int msgflg, const struct timespec *timeout);
	ssize_t (*msgtimedrcv)(int msqid, void *msgp, size_t msgsz, long msgtyp,
			       int msgflg, const struct timespec *timeout);
	int (*msgctl)(int msqid, int cmd, struct msqid_ds *buf);
	int (*semget)(key_t key, int nsems, int semflg);
	int (*semtimedop)(int semid, struct sembuf *sops, size_t nsops,
			  const struct timespec *timeout);
	int (*semctl)(int semid, int semnum, int cmd, ...);
	int (*shmget)(key_t key, size_t size, int shmflg);
	void *(*shmat)(int shmid, const void *shmaddr, int shmflg);
	int (*shmdt)(const void *shmaddr);
	int (*shmctl)(int shmid, int cmd, struct shmid_ds *buf);
};
extern const struct sysv sysv_ipckit, sysv_kernel;

/* Linux leaves union semun to the caller. */
union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *__buf;
};

/* "msg", "sem", "shm" for IPCKIT_KIND_*. */
const char *kind_name(unsigned kind);
/* IPCKIT_KIND_* for "msg"/"q"/"queue", "sem"/"s", "shm"/"m", or 0. */
unsigned kind_parse(const char *s);

/*
 * Finds the object an argument names: an id ("123"), a key ("0x1234",
 * or "key:N" for a decimal key) or PATH:PROJ (ftok). Fills `label` with
 * the name errors use ("msg 123", "msg key 0x00001234"). Returns the id
 * or -errno.
 */
int resolve(const struct sysv *b, unsigned kind, const char *arg, char *label,
	    size_t n);

/* ---- output helpers (util.c) --------------------------------------------- */

const char *user_name(uint32_t uid);
const char *group_name(uint32_t gid);
/* ipcs's time forms: "Nov 22 10:07:15" (short) or a full ctime; "Not set". */
void fmt_time(char *buf, size_t n, int64_t t, bool full);
/* A JSON string literal. */
void json_str(FILE *f, const char *s);

/* Reads all of `fd` into a malloc'd buffer; -errno on failure. */
ssize_t read_all(int fd, char **out);
/* Writes all of buf; false on failure (errno set). */
bool write_all(int fd, const void *buf, size_t n);

/* ---- every IPC object on the machine (objects.c) ------------------------- */

#define SRC_IPCKIT  1
#define SRC_KERNEL  2
#define SRC_POSIX   4
#define SRC_ALL	    7
#define KIND_BIT(k) (1u << (k))
#define KINDS_ALL                                                              \
	(KIND_BIT(IPCKIT_KIND_MSG) | KIND_BIT(IPCKIT_KIND_SEM) |               \
	 KIND_BIT(IPCKIT_KIND_SHM))

/* "ipckit", "kernel", "posix" for SRC_*. */
const char *source_name(int source);
/* SRC_* bits for a comma list of names, or -1. */
int source_parse(const char *s);

/*
 * One object of any source, as ls shows it. -1 (or an empty string) where
 * a source does not know a value.
 */
struct obj {
	int source;
	unsigned kind;
	const char *status; /* "", or "dest", "locked", "damaged", ... */
	bool has_key;
	int32_t key;
	int id;
	/* A POSIX object's name ("/" + its file); an ipckit object's file. */
	char name[NAME_MAX + 2];
	bool perm_known;
	uint32_t uid, gid, cuid, cgid, mode; /* mode: low 9 bits */
	int64_t bytes;	/* msg: queued bytes; shm, posix: size */
	int64_t qbytes; /* msg: capacity */
	int64_t msgs, nattch, nsems;
	int64_t value;		     /* a POSIX semaphore's value */
	int64_t maxmsg, msgsize;     /* a POSIX queue's attributes */
	int32_t cpid, lpid, lrpid;   /* lpid: msg lspid, shm lpid */
	int64_t otime, rtime, ctime; /* msg stime/rtime; shm a/dtime;
					sem otime; 0: not set */
	int senders, receivers;	     /* blocked; ipckit only */
	struct ipckit_snap *snap;    /* ipckit objects */
};

struct objlist {
	struct obj *v;
	size_t n, cap;
};

/*
 * Collects the objects of `sources` and `kinds` (KIND_BIT mask). A source
 * that cannot be read is skipped with a warning unless `quiet`.
 */
void collect(struct objlist *l, int sources, unsigned kinds, bool quiet);
void objlist_free(struct objlist *l);
/* One kernel object by id from /proc/sysvipc; false if absent. */
bool kernel_find(unsigned kind, int id, struct obj *out);
/* Fills an obj from an ipckit snapshot (which it then owns). */
void obj_from_snap(struct obj *o, struct ipckit_snap *s);
/* The object as one JSON object (no newline). */
void obj_json(FILE *f, const struct obj *o);
/* The snapshot's details as JSON members (",\"types\": [...]" ...). */
void snap_json(FILE *f, const struct ipckit_snap *s);
/* A snapshot's status: flags when OK ("", "dest", "busy"...), else what
 * is wrong ("damaged", "removed"...). */
const char *snap_status(const struct ipckit_snap *s);

#endif /* IPCKIT_CMD_H */
