/*
 * sem-semctl-setval-erange.c - SETVAL outside [0, 32767] is ERANGE and
 * changes nothing. The kernel checks the value before anything else, so
 * ERANGE wins over a bad id and a semnum out of range.
 */
#include "helpers.h"

#include <limits.h>

static int setval(int id, int num, int v)
{
	union semun arg = {.val = v};
	return B->semctl(id, num, SETVAL, arg);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 2, 0600));
	int gone = T_OK(B->semget(IPC_PRIVATE, 2, 0600));
	T_OK(B->semctl(gone, 0, IPC_RMID));
	T_OK(setval(id, 0, 4));

	int bad[] = {32768, -1, 65535, 65536, INT_MAX, INT_MIN};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		T_FAIL_ERRNO(setval(id, 0, bad[i]), ERANGE);
		T_FAIL_ERRNO(setval(id, 2, bad[i]), ERANGE);
		T_FAIL_ERRNO(setval(gone, 0, bad[i]), ERANGE);
	}
	T_EQ(B->semctl(id, 0, GETVAL), 4);

	T_FAIL_ERRNO(setval(gone, 0, 1), EINVAL);
	T_FAIL_ERRNO(setval(id, 2, 1), EINVAL);
	T_FAIL_ERRNO(setval(id, -1, 1), EINVAL);
	return 0;
}
