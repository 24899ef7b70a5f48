/*
 * hostile-uid.c - a caller dropped to nobody tries every operation on
 * queues, sets and segments of each mode, standing in each class: owner
 * (IPC_SET gave it the object), group (IPC_SET gave it the object's group)
 * and other. Only what the mode grants its class succeeds; the rest fails
 * with EACCES, and the owner's commands (IPC_SET, IPC_RMID, SHM_LOCK) with
 * EPERM for the others. On ipckit it also cannot open the object's files
 * (slot and key names) when the mode gives its class nothing, while a
 * class with some access can (docs/DESIGN.md, section 4).
 *
 * Runs on both back ends: the kernel run proves the model the ipckit run
 * (and the kernel back end under the preload library) is held to. The
 * model knows the one documented difference (section 9):
 * a caller with no access at all cannot open the file, so on ipckit even
 * the calls that need no permission (xxxget without mode bits, *_STAT_ANY,
 * IPC_SET and IPC_RMID by an owner) give it EACCES.
 *
 * Each object is made and prepared by a root child, so the nobody child
 * inherits no mapping of it: it must open the object itself, as a hostile
 * process would. Needs root (setresuid); skips otherwise.
 */
#include "helpers.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "layout.h"

/* What an operation needs. */
enum need {
	ALWAYS, /* nothing, not even the file (IPC_INFO...) */
	NONE,	/* no mode bits, but ipckit must open the file */
	READ,
	WRITE,
	RDWR,
	OWNER, /* owner or creator: IPC_SET, IPC_RMID, SHM_LOCK */
};

enum { K_MSG, K_SEM, K_SHM, NKINDS };
static const char *const kind_names[] = {"msg", "sem", "shm"};
enum { C_OWNER, C_GROUP, C_OTHER, NCLASSES };
static const char *const class_names[] = {"owner", "group", "other"};

/* Made by the root child, read by the nobody child. */
struct cell {
	int kind, cls;
	mode_t mode;
	key_t key;
	int id, idx;
	bool acl; /* ipckit: the file carries the ACL IPC_SET asked for */
	union {
		struct msqid_ds msg;
		struct semid_ds sem;
		struct shmid_ds shm;
	} ds;
};

static struct cell *C;
static int mismatches;

/* The mode bits of the class the caller stands in. */
static int class_bits(void)
{
	int shift = C->cls == C_OWNER ? 6 : C->cls == C_GROUP ? 3 : 0;
	return (int)(C->mode >> shift) & 7;
}

/* ipckit: may the caller open the object's file? */
static bool can_open(void)
{
	if (t_kernel_serves)
		return true;
	/* Without the ACL only the file's "other" bits speak for nobody. */
	if (C->cls != C_OTHER && !C->acl)
		return (C->mode & 7) != 0;
	return class_bits() != 0;
}

/* The errno `need` gives (0: success). */
static int expected(enum need need)
{
	int bits = class_bits();
	if (need == ALWAYS)
		return 0;
	if (!can_open())
		return EACCES;
	switch (need) {
	case READ:
		return bits & 4 ? 0 : EACCES;
	case WRITE:
		return bits & 2 ? 0 : EACCES;
	case RDWR:
		return (bits & 6) == 6 ? 0 : EACCES;
	case OWNER:
		return C->cls == C_OWNER ? 0 : EPERM;
	default:
		return 0;
	}
}

/* Compares a call's outcome (r, errno e) with the model. */
static void check(const char *what, enum need need, long r, int e)
{
	int want = expected(need);
	int got = r == -1 ? e : 0;
	if (got == want)
		return;
	fprintf(stderr,
		"FAIL [%s] %s mode %04o as %s (nobody): %s: got %s, want %s\n",
		B->name, kind_names[C->kind], (unsigned)C->mode,
		class_names[C->cls], what, got ? strerror(got) : "success",
		want ? strerror(want) : "success");
	mismatches++;
}

#define CHECK(call, need)                                                      \
	do {                                                                   \
		errno = 0;                                                     \
		long r_ = (long)(intptr_t)(call);                              \
		check(#call, need, r_, errno);                                 \
	} while (0)

/* ---- the operations, as nobody ------------------------------------------ */

struct msg {
	long mtype;
	char mtext[64];
};

static void msg_ops(void)
{
	struct msg m = {1, "hello"};
	struct msqid_ds ds;
	struct msginfo info;
	int id = C->id;

	CHECK(B->msgget(C->key, 0), NONE);
	CHECK(B->msgget(C->key, 0400), READ);
	CHECK(B->msgget(C->key, 0200), WRITE);
	CHECK(B->msgget(C->key, 0600), RDWR);
	CHECK(B->msgsnd(id, &m, 5, IPC_NOWAIT), WRITE);
	CHECK(B->msgrcv(id, &m, sizeof(m.mtext), 0, MSG_COPY | IPC_NOWAIT),
	      READ);
	CHECK(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT), READ);
	CHECK(B->msgctl(id, IPC_STAT, &ds), READ);
	CHECK(B->msgctl(C->idx, MSG_STAT, &ds), READ);
	CHECK(B->msgctl(C->idx, MSG_STAT_ANY, &ds), NONE);
	CHECK(B->msgctl(0, IPC_INFO, (struct msqid_ds *)&info), ALWAYS);
	CHECK(B->msgctl(0, MSG_INFO, (struct msqid_ds *)&info), ALWAYS);
	CHECK(B->msgctl(id, IPC_SET, &C->ds.msg), OWNER);
	CHECK(B->msgctl(id, IPC_RMID, NULL), OWNER);
}

static void sem_ops(void)
{
	int id = C->id;
	unsigned short vals[2] = {1, 0};
	struct semid_ds ds;
	struct seminfo info;
	union semun arg;
	struct sembuf take = {0, -1, IPC_NOWAIT}, give = {0, 1, IPC_NOWAIT};
	struct sembuf zero = {1, 0, IPC_NOWAIT};

	CHECK(B->semget(C->key, 0, 0), NONE);
	CHECK(B->semget(C->key, 0, 0400), READ);
	CHECK(B->semget(C->key, 0, 0200), WRITE);
	CHECK(B->semget(C->key, 0, 0600), RDWR);
	CHECK(B->semop(id, &take, 1), WRITE);
	CHECK(B->semop(id, &give, 1), WRITE);
	CHECK(B->semop(id, &zero, 1), READ);
	CHECK(B->semctl(id, 0, GETVAL), READ);
	CHECK(B->semctl(id, 0, GETPID), READ);
	CHECK(B->semctl(id, 0, GETNCNT), READ);
	CHECK(B->semctl(id, 0, GETZCNT), READ);
	arg.array = vals;
	CHECK(B->semctl(id, 0, GETALL, arg), READ);
	arg.val = 1;
	CHECK(B->semctl(id, 0, SETVAL, arg), WRITE);
	vals[0] = 1;
	vals[1] = 0;
	arg.array = vals;
	CHECK(B->semctl(id, 0, SETALL, arg), WRITE);
	arg.buf = &ds;
	CHECK(B->semctl(id, 0, IPC_STAT, arg), READ);
	CHECK(B->semctl(C->idx, 0, SEM_STAT, arg), READ);
	CHECK(B->semctl(C->idx, 0, SEM_STAT_ANY, arg), NONE);
	arg.__buf = &info;
	CHECK(B->semctl(0, 0, IPC_INFO, arg), ALWAYS);
	CHECK(B->semctl(0, 0, SEM_INFO, arg), ALWAYS);
	arg.buf = &C->ds.sem;
	CHECK(B->semctl(id, 0, IPC_SET, arg), OWNER);
	CHECK(B->semctl(id, 0, IPC_RMID), OWNER);
}

static void shm_ops(void)
{
	int id = C->id;
	struct shmid_ds ds;
	struct shminfo info;
	void *p;

	CHECK(B->shmget(C->key, 0, 0), NONE);
	CHECK(B->shmget(C->key, 0, 0400), READ);
	CHECK(B->shmget(C->key, 0, 0200), WRITE);
	CHECK(B->shmget(C->key, 0, 0600), RDWR);
	errno = 0;
	p = B->shmat(id, NULL, SHM_RDONLY);
	check("shmat(SHM_RDONLY)", READ, p == (void *)-1 ? -1 : 0, errno);
	if (p != (void *)-1) {
		T_EQ(*(volatile char *)p, 'x');
		T_OK(B->shmdt(p));
	}
	errno = 0;
	p = B->shmat(id, NULL, 0);
	check("shmat", RDWR, p == (void *)-1 ? -1 : 0, errno);
	if (p != (void *)-1) {
		*(volatile char *)p = 'x';
		T_OK(B->shmdt(p));
	}
	CHECK(B->shmctl(id, IPC_STAT, &ds), READ);
	CHECK(B->shmctl(C->idx, SHM_STAT, &ds), READ);
	CHECK(B->shmctl(C->idx, SHM_STAT_ANY, &ds), NONE);
	CHECK(B->shmctl(0, IPC_INFO, (struct shmid_ds *)&info), ALWAYS);
	CHECK(B->shmctl(0, SHM_INFO, (struct shmid_ds *)&info), ALWAYS);
	CHECK(B->shmctl(id, IPC_SET, &C->ds.shm), OWNER);
	CHECK(B->shmctl(id, SHM_UNLOCK, NULL), OWNER);
	CHECK(B->shmctl(id, IPC_RMID, NULL), OWNER);
}

/* ipckit: the object's names in the namespace, opened directly. */
static void file_ops(void)
{
	char path[2][512];
	snprintf(path[0], sizeof(path[0]), "%s/%s.%d", t_dir,
		 kind_names[C->kind], C->id % IPCKIT_SLOTS);
	snprintf(path[1], sizeof(path[1]), "%s/%s.key.%08x", t_dir,
		 kind_names[C->kind], (unsigned)C->key);
	for (int i = 0; i < 2; i++) {
		int want = can_open() ? 0 : EACCES;
		for (int flags = O_RDONLY; flags <= O_RDWR; flags += O_RDWR) {
			errno = 0;
			int fd = open(path[i], flags | O_CLOEXEC);
			int got = fd < 0 ? errno : 0;
			if (fd >= 0)
				close(fd);
			if (got == want)
				continue;
			fprintf(stderr,
				"FAIL [%s] %s mode %04o as %s (nobody): open "
				"%s %s: got %s, want %s\n",
				B->name, kind_names[C->kind], (unsigned)C->mode,
				class_names[C->cls], path[i],
				flags == O_RDWR ? "O_RDWR" : "O_RDONLY",
				got ? strerror(got) : "success",
				want ? strerror(want) : "success");
			mismatches++;
		}
	}
}

/* ---- setup, as root ------------------------------------------------------ */

/* The object's index for the *_STAT commands. */
static int find_index(int id)
{
	struct msqid_ds mds;
	struct semid_ds sds;
	struct shmid_ds hds;
	union semun arg = {.buf = &sds};
	struct msginfo mi;
	struct seminfo si;
	union semun iarg = {.__buf = &si};
	struct shm_info hi;
	int high = T_OK(C->kind == K_MSG
			    ? B->msgctl(0, MSG_INFO, (struct msqid_ds *)&mi)
			: C->kind == K_SEM
			    ? B->semctl(0, 0, SEM_INFO, iarg)
			    : B->shmctl(0, SHM_INFO, (struct shmid_ds *)&hi));
	for (int i = 0; i <= high; i++) {
		int r = C->kind == K_MSG   ? B->msgctl(i, MSG_STAT_ANY, &mds)
			: C->kind == K_SEM ? B->semctl(i, 0, SEM_STAT_ANY, arg)
					   : B->shmctl(i, SHM_STAT_ANY, &hds);
		if (r == id)
			return i;
	}
	t_fail(__FILE__, __LINE__, "no index for id %d", id);
}

/* Makes the object, gives the class to nobody, notes what the child needs. */
static void setup(void)
{
	struct ipc_perm *perm;
	union semun arg;
	unsigned short vals[2] = {1, 0};
	struct msg m = {1, "first"};
	int flg = IPC_CREAT | IPC_EXCL | (int)C->mode;

	switch (C->kind) {
	case K_MSG:
		C->id = T_OK(B->msgget(C->key, flg));
		T_OK(B->msgsnd(C->id, &m, 5, 0));
		T_OK(B->msgctl(C->id, IPC_STAT, &C->ds.msg));
		perm = &C->ds.msg.msg_perm;
		break;
	case K_SEM:
		C->id = T_OK(B->semget(C->key, 2, flg));
		arg.array = vals;
		T_OK(B->semctl(C->id, 0, SETALL, arg));
		arg.buf = &C->ds.sem;
		T_OK(B->semctl(C->id, 0, IPC_STAT, arg));
		perm = &C->ds.sem.sem_perm;
		break;
	default: {
		C->id = T_OK(B->shmget(C->key, 4096, flg));
		char *p = T_OK(B->shmat(C->id, NULL, 0));
		*p = 'x';
		T_OK(B->shmdt(p));
		T_OK(B->shmctl(C->id, IPC_STAT, &C->ds.shm));
		perm = &C->ds.shm.shm_perm;
		break;
	}
	}
	if (C->cls == C_OWNER)
		perm->uid = T_NOBODY;
	else if (C->cls == C_GROUP)
		perm->gid = T_NOBODY;
	switch (C->kind) {
	case K_MSG:
		T_OK(B->msgctl(C->id, IPC_SET, &C->ds.msg));
		break;
	case K_SEM:
		arg.buf = &C->ds.sem;
		T_OK(B->semctl(C->id, 0, IPC_SET, arg));
		break;
	default:
		T_OK(B->shmctl(C->id, IPC_SET, &C->ds.shm));
		break;
	}
	C->idx = find_index(C->id);
	C->acl = false;
	if (!t_kernel_serves && C->cls != C_OTHER) {
		char path[512];
		snprintf(path, sizeof(path), "%s/%s.%d", t_dir,
			 kind_names[C->kind], C->id % IPCKIT_SLOTS);
		C->acl = getxattr(path, "system.posix_acl_access", NULL, 0) > 0;
	}
}

/* Removes what is left, as root. */
static void teardown(void)
{
	switch (C->kind) {
	case K_MSG:
		B->msgctl(C->id, IPC_RMID, NULL);
		break;
	case K_SEM:
		B->semctl(C->id, 0, IPC_RMID);
		break;
	default:
		B->shmctl(C->id, IPC_RMID, NULL);
		break;
	}
}

/* Runs fn in a child; returns its exit status. */
static int in_child(void (*fn)(void), bool as_nobody)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		if (as_nobody)
			t_become(T_NOBODY, T_NOBODY);
		fn();
		_exit(mismatches ? T_EXIT_FAIL : 0);
	}
	return t_wait_exit(pid);
}

static void hostile(void)
{
	switch (C->kind) {
	case K_MSG:
		msg_ops();
		break;
	case K_SEM:
		sem_ops();
		break;
	default:
		shm_ops();
		break;
	}
	if (!t_kernel_serves)
		file_ops();
}

int main(int argc, char **argv)
{
	static const mode_t modes[] = {0000, 0400, 0200, 0600, 0040, 0020,
				       0060, 0004, 0002, 0006, 0640, 0604,
				       0066, 0440, 0222, 0777};
	t_init(argc, argv, T_BOTH);
	if (geteuid() != 0)
		t_skip("needs root to become nobody");
	T_OK(chmod(t_dir, 01777));
	C = t_shared_alloc(sizeof(*C));
	int n = 0, acl_missing = 0, failed = 0;
	for (int kind = 0; kind < NKINDS; kind++) {
		for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
			for (int cls = 0; cls < NCLASSES; cls++) {
				memset(C, 0, sizeof(*C));
				C->kind = kind;
				C->cls = cls;
				C->mode = modes[m];
				C->key = t_key(n++);
				T_EQ(in_child(setup, false), 0);
				acl_missing += !t_kernel_serves &&
					       cls != C_OTHER && !C->acl;
				/* Every cell runs; the failures are listed. */
				failed += in_child(hostile, true) != 0;
				T_EQ(in_child(teardown, false), 0);
			}
		}
	}
	if (acl_missing)
		printf("%d objects had no ACL (file system without them): "
		       "their owner and group classes were checked against "
		       "the plain file mode\n",
		       acl_missing);
	T_EQ(failed, 0);
	return T_EXIT_PASS;
}
