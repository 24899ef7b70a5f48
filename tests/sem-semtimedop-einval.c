/*
 * sem-semtimedop-einval.c - a malformed timeout (negative, or tv_nsec
 * outside [0, 1e9)) is EINVAL, even for a call that would not block. The
 * kernel checks it after nsops and the sops copy, before the id and
 * sem_num.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 1, 0600));
	struct sembuf up = {0, 1, 0};
	struct timespec bad[] = {
	    {0, 1000000000}, {0, -1}, {-1, 0}, {1, 2000000000}};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		T_FAIL_ERRNO(B->semtimedop(id, &up, 1, &bad[i]), EINVAL);
		T_EQ(B->semctl(id, 0, GETVAL), 0);
	}

	struct timespec nsec = {0, 1000000000};
	struct sembuf far = {7, 1, 0};
	T_FAIL_ERRNO(B->semtimedop(id, &far, 1, &nsec), EINVAL);
	T_FAIL_ERRNO(B->semtimedop(id, NULL, 1, &nsec), EFAULT);
	T_FAIL_ERRNO(B->semtimedop(id, &up, 0, &nsec), EINVAL);

	struct timespec ok = {0, 999999999};
	T_OK(B->semtimedop(id, &up, 1, &ok));
	T_EQ(B->semctl(id, 0, GETVAL), 1);
	return 0;
}
