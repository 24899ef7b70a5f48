/*
 * preload-objects: under the preload library the System V calls of an
 * unmodified program make ipckit objects: each kind appears in the
 * namespace directory (IPCKIT_DIR) and not in the kernel's tables, which
 * ipcs reads. Without the preload, the kernel has them and the directory
 * does not. Either way a call that succeeds leaves errno as it was, even
 * one that made its object after finding no file for the key.
 */
#include "preload-common.h"

union semun_ {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

int main(int argc, char **argv)
{
	t_init(argc, argv, T_KERNEL);

	key_t mkey = pl_key(PL_MSG, 1);
	errno = 4242;
	int mid = B->msgget(mkey, IPC_CREAT | 0600);
	T_ASSERT(mid >= 0);
	T_EQ(errno, 4242);
	PL_ASSERT_PLACED(PL_MSG, mkey);
	struct {
		long mtype;
		char mtext[8];
	} m = {7, "preload"}, r;
	T_OK(B->msgsnd(mid, &m, 7, 0));
	T_EQ(T_OK(B->msgrcv(mid, &r, sizeof(r.mtext), 0, IPC_NOWAIT)), 7);
	T_EQ(r.mtype, 7);

	key_t skey = pl_key(PL_SEM, 2);
	errno = 4242;
	int sid = B->semget(skey, 2, IPC_CREAT | 0600);
	T_ASSERT(sid >= 0);
	T_EQ(errno, 4242);
	PL_ASSERT_PLACED(PL_SEM, skey);
	union semun_ arg = {.val = 3};
	T_OK(B->semctl(sid, 1, SETVAL, arg));
	struct sembuf op = {1, -2, IPC_NOWAIT};
	T_OK(B->semop(sid, &op, 1));
	T_EQ(T_OK(B->semctl(sid, 1, GETVAL)), 1);

	key_t hkey = pl_key(PL_SHM, 3);
	errno = 4242;
	int hid = B->shmget(hkey, 8192, IPC_CREAT | 0600);
	T_ASSERT(hid >= 0);
	T_EQ(errno, 4242);
	PL_ASSERT_PLACED(PL_SHM, hkey);
	errno = 4242;
	char *p = B->shmat(hid, NULL, 0);
	T_ASSERT(p != (void *)-1);
	T_EQ(errno, 4242);
	strcpy(p, "preload");
	struct shmid_ds ds;
	T_OK(B->shmctl(hid, IPC_STAT, &ds));
	T_EQ(ds.shm_nattch, 1);
	T_EQ(ds.shm_segsz, 8192);
	T_OK(B->shmdt(p));

	T_OK(B->msgctl(mid, IPC_RMID, NULL));
	T_OK(B->semctl(sid, 0, IPC_RMID));
	T_OK(B->shmctl(hid, IPC_RMID, NULL));
	T_ASSERT(!pl_dir_has(PL_MSG, mkey) && !pl_kernel_has(PL_MSG, mkey));
	T_ASSERT(!pl_dir_has(PL_SEM, skey) && !pl_kernel_has(PL_SEM, skey));
	T_ASSERT(!pl_dir_has(PL_SHM, hkey) && !pl_kernel_has(PL_SHM, hkey));
	return 0;
}
