/*
 * sem-semop-error-order.c - with several faults in one call, semop reports
 * the one the kernel checks first: EINVAL for nsops < 1, then E2BIG for
 * nsops > semopm, then EFAULT for unreadable sops, then EINVAL for a bad
 * id, then EFBIG for a sem_num out of range (EACCES after EFBIG is in
 * sem-semop-eacces).
 */
#include "helpers.h"

static int limit_semopm(void)
{
	int l[4];
	FILE *f = fopen("/proc/sys/kernel/sem", "r");
	T_ASSERT(f);
	T_EQ(fscanf(f, "%d %d %d %d", &l[0], &l[1], &l[2], &l[3]), 4);
	fclose(f);
	return l[2];
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int opm = limit_semopm();
	int id = T_OK(B->semget(IPC_PRIVATE, 2, 0600));
	int gone = T_OK(B->semget(IPC_PRIVATE, 2, 0600));
	T_OK(B->semctl(gone, 0, IPC_RMID));
	struct sembuf far = {2, -1, 0};

	T_FAIL_ERRNO(B->semop(id, &far, 0), EINVAL);
	T_FAIL_ERRNO(B->semop(id, NULL, 0), EINVAL);
	T_FAIL_ERRNO(B->semop(gone, NULL, 0), EINVAL);
	T_FAIL_ERRNO(B->semop(-1, NULL, 0), EINVAL);

	T_FAIL_ERRNO(B->semop(id, NULL, opm + 1), E2BIG);
	T_FAIL_ERRNO(B->semop(gone, NULL, opm + 1), E2BIG);
	T_FAIL_ERRNO(B->semop(-1, NULL, opm + 1), E2BIG);

	T_FAIL_ERRNO(B->semop(gone, NULL, 1), EFAULT);
	T_FAIL_ERRNO(B->semop(-1, NULL, 1), EFAULT);

	T_FAIL_ERRNO(B->semop(gone, &far, 1), EINVAL);
	T_FAIL_ERRNO(B->semop(-1, &far, 1), EINVAL);

	T_FAIL_ERRNO(B->semop(id, &far, 1), EFBIG);

	/* The same order holds for semtimedop. */
	struct timespec ts = t_ms(10);
	T_FAIL_ERRNO(B->semtimedop(gone, NULL, 0, &ts), EINVAL);
	T_FAIL_ERRNO(B->semtimedop(gone, NULL, opm + 1, &ts), E2BIG);
	T_FAIL_ERRNO(B->semtimedop(gone, NULL, 1, &ts), EFAULT);
	T_FAIL_ERRNO(B->semtimedop(gone, &far, 1, &ts), EINVAL);
	T_FAIL_ERRNO(B->semtimedop(id, &far, 1, &ts), EFBIG);
	return 0;
}
