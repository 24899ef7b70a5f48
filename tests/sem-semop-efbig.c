/*
 * sem-semop-efbig.c - a sem_num at or past nsems is EFBIG, whatever its
 * place in the array, before any operation is judged: nothing applied, no
 * blocking, no EAGAIN.
 */
#include "helpers.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	int id = T_OK(B->semget(IPC_PRIVATE, 3, 0600));

	struct sembuf one = {3, 1, 0};
	T_FAIL_ERRNO(B->semop(id, &one, 1), EFBIG);
	one.sem_num = 65535;
	T_FAIL_ERRNO(B->semop(id, &one, 1), EFBIG);
	one.sem_op = 0;
	T_FAIL_ERRNO(B->semop(id, &one, 1), EFBIG);

	struct sembuf last[] = {{0, 1, 0}, {1, 1, 0}, {3, 1, 0}};
	T_FAIL_ERRNO(B->semop(id, last, 3), EFBIG);
	T_EQ(B->semctl(id, 0, GETVAL), 0);
	T_EQ(B->semctl(id, 1, GETVAL), 0);

	/* The first operation would block: EFBIG still wins. */
	struct sembuf block[] = {{0, -1, 0}, {4, 1, 0}};
	T_FAIL_ERRNO(B->semop(id, block, 2), EFBIG);
	struct sembuf nowait[] = {{0, -1, IPC_NOWAIT}, {4, 1, 0}};
	T_FAIL_ERRNO(B->semop(id, nowait, 2), EFBIG);
	T_EQ(B->semctl(id, 0, GETNCNT), 0);
	return 0;
}
