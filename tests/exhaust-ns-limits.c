/*
 * exhaust-ns-limits.c - ipckit only: the namespace's limits reached.
 *
 * ipckit.conf in the namespace sets small limits (msgmni, semmni, semmsl,
 * semmns, shmmni, shmall); IPC_INFO reports them. Past each, creating
 * fails with the kernel's errno (ENOSPC; EINVAL for nsems above semmsl),
 * leaves nothing behind (a key that failed is still free), and the
 * objects that exist keep working; removing one makes room for one.
 * Processes racing for the last slots: exactly as many win as there are
 * slots. A creator killed after taking its slot but before publishing
 * does not keep the slot: the kernel's msgget either happened or not.
 */
#include "helpers.h"

#include <signal.h>

#define MSGMNI 3
#define SEMMNI 3
#define SEMMSL 4
#define SEMMNS 10
#define SHMMNI 3
#define SHMALL 40 /* pages */
#define RACERS 8

struct msg {
	long mtype;
	char mtext[16];
};

static long page;

static void write_conf(void)
{
	char path[400];
	snprintf(path, sizeof(path), "%s/ipckit.conf", t_dir);
	FILE *f = fopen(path, "w");
	T_ASSERT(f);
	fprintf(f,
		"# small limits for exhaust-ns-limits\n"
		"msgmni = %d\nsemmni = %d\nsemmsl = %d\nsemmns = %d\n"
		"shmmni = %d\nshmall = %d\n",
		MSGMNI, SEMMNI, SEMMSL, SEMMNS, SHMMNI, SHMALL);
	T_OK(fclose(f));
}

static void check_info(void)
{
	struct msginfo mi;
	struct seminfo si;
	struct shminfo hi;
	union semun arg = {.__buf = &si};
	T_OK(ipckit_msgctl(0, IPC_INFO, (struct msqid_ds *)&mi));
	T_EQ(mi.msgmni, MSGMNI);
	T_OK(ipckit_semctl(0, 0, IPC_INFO, arg));
	T_EQ(si.semmni, SEMMNI);
	T_EQ(si.semmsl, SEMMSL);
	T_EQ(si.semmns, SEMMNS);
	T_OK(ipckit_shmctl(0, IPC_INFO, (struct shmid_ds *)&hi));
	T_EQ(hi.shmmni, SHMMNI);
	T_EQ(hi.shmall, SHMALL);
}

static void queue_works(int id)
{
	struct msg m = {7, "still here"}, got;
	T_OK(ipckit_msgsnd(id, &m, sizeof(m.mtext), IPC_NOWAIT));
	T_EQ(ipckit_msgrcv(id, &got, sizeof(got.mtext), 7, IPC_NOWAIT),
	     sizeof(m.mtext));
	T_ASSERT(!strcmp(got.mtext, "still here"));
}

static void set_works(int id, int nsems)
{
	for (int i = 0; i < nsems; i++) {
		struct sembuf up = {(unsigned short)i, 2, 0};
		struct sembuf down = {(unsigned short)i, -2, IPC_NOWAIT};
		T_OK(ipckit_semop(id, &up, 1));
		T_EQ(ipckit_semctl(id, i, GETVAL), 2);
		T_OK(ipckit_semop(id, &down, 1));
	}
}

static void segment_works(int id, size_t size)
{
	unsigned char *p = T_OK(ipckit_shmat(id, NULL, 0));
	memset(p, 0xa5, size);
	T_EQ(p[size - 1], 0xa5);
	T_OK(ipckit_shmdt(p));
}

static void msgmni(void)
{
	int q[MSGMNI];
	for (int i = 0; i < MSGMNI; i++)
		q[i] = T_OK(ipckit_msgget(i ? t_key(10 + i) : IPC_PRIVATE,
					  IPC_CREAT | 0600));
	T_FAIL_ERRNO(ipckit_msgget(IPC_PRIVATE, 0600), ENOSPC);
	T_FAIL_ERRNO(ipckit_msgget(t_key(19), IPC_CREAT | 0600), ENOSPC);
	T_FAIL_ERRNO(ipckit_msgget(t_key(19), 0), ENOENT);
	/* An existing key is found at the limit, as on the kernel. */
	T_EQ(ipckit_msgget(t_key(11), IPC_CREAT | 0600), q[1]);
	for (int i = 0; i < MSGMNI; i++)
		queue_works(q[i]);
	T_OK(ipckit_msgctl(q[0], IPC_RMID, NULL));
	q[0] = T_OK(ipckit_msgget(t_key(19), IPC_CREAT | 0600));
	T_FAIL_ERRNO(ipckit_msgget(IPC_PRIVATE, 0600), ENOSPC);
	for (int i = 0; i < MSGMNI; i++) {
		queue_works(q[i]);
		T_OK(ipckit_msgctl(q[i], IPC_RMID, NULL));
	}
}

static void semmni_semmsl_semmns(void)
{
	int s[SEMMNI];
	T_FAIL_ERRNO(ipckit_semget(IPC_PRIVATE, SEMMSL + 1, 0600), EINVAL);
	for (int i = 0; i < SEMMNI; i++)
		s[i] = T_OK(ipckit_semget(IPC_PRIVATE, 1, 0600));
	T_FAIL_ERRNO(ipckit_semget(IPC_PRIVATE, 1, 0600), ENOSPC);
	T_FAIL_ERRNO(ipckit_semget(t_key(20), 1, IPC_CREAT | 0600), ENOSPC);
	T_FAIL_ERRNO(ipckit_semget(t_key(20), 0, 0), ENOENT);
	for (int i = 0; i < SEMMNI; i++) {
		set_works(s[i], 1);
		T_OK(ipckit_semctl(s[i], 0, IPC_RMID));
	}

	/* semmns: 4 + 4 semaphores, then 4 more is 12 > 10; 2 fit. */
	s[0] = T_OK(ipckit_semget(IPC_PRIVATE, SEMMSL, 0600));
	s[1] = T_OK(ipckit_semget(t_key(21), SEMMSL, IPC_CREAT | 0600));
	T_FAIL_ERRNO(ipckit_semget(IPC_PRIVATE, SEMMSL, 0600), ENOSPC);
	T_FAIL_ERRNO(ipckit_semget(t_key(22), 3, IPC_CREAT | 0600), ENOSPC);
	s[2] = T_OK(ipckit_semget(t_key(22), 2, IPC_CREAT | 0600));
	set_works(s[0], SEMMSL);
	set_works(s[1], SEMMSL);
	set_works(s[2], 2);
	for (int i = 0; i < SEMMNI; i++)
		T_OK(ipckit_semctl(s[i], 0, IPC_RMID));
}

static void shmmni_shmall(void)
{
	int m[SHMMNI];
	for (int i = 0; i < SHMMNI; i++)
		m[i] = T_OK(ipckit_shmget(IPC_PRIVATE, 1, 0600));
	T_FAIL_ERRNO(ipckit_shmget(IPC_PRIVATE, 1, 0600), ENOSPC);
	T_FAIL_ERRNO(ipckit_shmget(t_key(30), 1, IPC_CREAT | 0600), ENOSPC);
	for (int i = 0; i < SHMMNI; i++) {
		segment_works(m[i], 1);
		T_OK(ipckit_shmctl(m[i], IPC_RMID, NULL));
	}

	/* shmall: 32 pages, then 16 more is 48 > 40; 8 fit. */
	m[0] = T_OK(ipckit_shmget(IPC_PRIVATE, 32 * page, 0600));
	T_FAIL_ERRNO(ipckit_shmget(IPC_PRIVATE, 16 * page, 0600), ENOSPC);
	T_FAIL_ERRNO(ipckit_shmget(t_key(31), 9 * page, IPC_CREAT | 0600),
		     ENOSPC);
	m[1] = T_OK(ipckit_shmget(t_key(31), 8 * page, IPC_CREAT | 0600));
	segment_works(m[0], 32 * page);
	segment_works(m[1], 8 * page);
	T_OK(ipckit_shmctl(m[0], IPC_RMID, NULL));
	T_OK(ipckit_shmctl(m[1], IPC_RMID, NULL));
}

/* RACERS processes want the MSGMNI - 1 free slots at once. */
static void race_for_slots(void)
{
	int keep = T_OK(ipckit_msgget(IPC_PRIVATE, 0600));
	int *won = t_shared_alloc(sizeof(int) * RACERS);
	struct t_barrier *go = t_barrier_create(RACERS);
	pid_t pid[RACERS];
	for (int i = 0; i < RACERS; i++) {
		pid[i] = t_fork();
		if (pid[i] == 0) {
			t_barrier_wait(go);
			errno = 0;
			won[i] = ipckit_msgget(IPC_PRIVATE, 0600);
			_exit(won[i] >= 0 || errno == ENOSPC ? 0 : 1);
		}
	}
	for (int i = 0; i < RACERS; i++)
		t_wait_ok(pid[i]);
	int wins = 0;
	for (int i = 0; i < RACERS; i++) {
		if (won[i] >= 0) {
			wins++;
			queue_works(won[i]);
			T_OK(ipckit_msgctl(won[i], IPC_RMID, NULL));
		}
	}
	T_EQ(wins, MSGMNI - 1);
	T_OK(ipckit_msgctl(keep, IPC_RMID, NULL));
}

/* Creators killed at each step of creation take no slot with them. */
static void killed_creators(void)
{
	static const char *const points[] = {"create-built", "create-keyed",
					     "create-slotted"};
	int q[MSGMNI - 1];
	for (int i = 0; i < MSGMNI - 1; i++)
		q[i] = T_OK(ipckit_msgget(IPC_PRIVATE, 0600));
	for (int i = 0; i < 3; i++) {
		for (int keyed = 0; keyed < 2; keyed++) {
			pid_t pid = t_fork();
			if (pid == 0) {
				setenv("IPCKIT_FAULT", points[i], 1);
				ipckit_msgget(keyed ? t_key(40 + i)
						    : IPC_PRIVATE,
					      IPC_CREAT | 0600);
				_exit(0);
			}
			T_EQ(t_wait_signal(pid), SIGKILL);
			int id = T_OK(ipckit_msgget(IPC_PRIVATE, 0600));
			queue_works(id);
			T_OK(ipckit_msgctl(id, IPC_RMID, NULL));
		}
	}
	for (int i = 0; i < MSGMNI - 1; i++)
		T_OK(ipckit_msgctl(q[i], IPC_RMID, NULL));
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_IPCKIT);
	page = sysconf(_SC_PAGESIZE);
	/* Read once, when this process first uses ipckit: write it first. */
	write_conf();
	check_info();
	msgmni();
	semmni_semmsl_semmns();
	shmmni_shmall();
	race_for_slots();
	killed_creators();
	return T_EXIT_PASS;
}
