/*
 * sem-semctl-info.c - IPC_INFO and SEM_INFO fill a struct seminfo with the
 * limits in /proc/sys/kernel/sem (semmsl, semmns, semopm, semmni) and the
 * kernel's fixed ones; SEM_INFO reports in semusz the number of sets and
 * in semaem the number of semaphores in use. Both return the highest index
 * in use (see sem-semctl-sem-stat) and need no permission; a NULL buffer
 * is EFAULT.
 */
#include "helpers.h"

/* include/uapi/linux/sem.h: fixed values the kernel reports. */
#define K_SEMVMX 32767
#define K_SEMAEM 32767
#define K_SEMUME 500
#define K_SEMUSZ 20
#define K_SEMMAP 1024000000
#define K_SEMMNU 1024000000

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int l[4];
	FILE *f = fopen("/proc/sys/kernel/sem", "r");
	T_ASSERT(f);
	T_EQ(fscanf(f, "%d %d %d %d", &l[0], &l[1], &l[2], &l[3]), 4);
	fclose(f);

	T_OK(B->semget(IPC_PRIVATE, 2, 0600));
	T_OK(B->semget(t_key(1), 3, IPC_CREAT | 0600));

	struct seminfo si;
	memset(&si, 0xa5, sizeof(si));
	union semun arg = {.__buf = &si};
	T_ASSERT(T_OK(B->semctl(0, 0, IPC_INFO, arg)) >= 0);
	T_EQ(si.semmsl, l[0]);
	T_EQ(si.semmns, l[1]);
	T_EQ(si.semopm, l[2]);
	T_EQ(si.semmni, l[3]);
	T_EQ(si.semvmx, K_SEMVMX);
	T_EQ(si.semaem, K_SEMAEM);
	T_EQ(si.semume, K_SEMUME);
	T_EQ(si.semusz, K_SEMUSZ);
	T_EQ(si.semmap, K_SEMMAP);
	T_EQ(si.semmnu, K_SEMMNU);

	memset(&si, 0xa5, sizeof(si));
	T_ASSERT(T_OK(B->semctl(0, 0, SEM_INFO, arg)) >= 0);
	T_EQ(si.semmsl, l[0]);
	T_EQ(si.semmns, l[1]);
	T_EQ(si.semopm, l[2]);
	T_EQ(si.semmni, l[3]);
	T_EQ(si.semvmx, K_SEMVMX);
	T_EQ(si.semume, K_SEMUME);
	T_EQ(si.semmap, K_SEMMAP);
	T_EQ(si.semmnu, K_SEMMNU);
	/* At least this test's; the kernel's may hold others' too. */
	T_ASSERT(si.semusz >= 2);
	T_ASSERT(si.semaem >= 5);

	/* The id argument plays no part. */
	T_OK(B->semctl(123456, 0, IPC_INFO, arg));
	union semun null = {.__buf = NULL};
	T_FAIL_ERRNO(B->semctl(0, 0, IPC_INFO, null), EFAULT);
	T_FAIL_ERRNO(B->semctl(0, 0, SEM_INFO, null), EFAULT);
	return 0;
}
