/*
 * Many processes racing to create one key end with exactly one object:
 * every msgget(key, IPC_CREAT) returns the same id, and on ipckit the
 * namespace holds one queue file.
 */
#include "helpers.h"

#include <dirent.h>

#define RACERS 12

static int count_queue_files(void)
{
	DIR *d = opendir(t_dir);
	int n = 0;
	struct dirent *e;
	T_ASSERT(d);
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "msg.", 4) && e->d_name[4] >= '0' &&
		    e->d_name[4] <= '9')
			n++;
	closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	for (int round = 0; round < 20; round++) {
		key_t key = t_key(round);
		int *ids = t_shared_alloc(sizeof(int) * RACERS);
		struct t_barrier *start = t_barrier_create(RACERS);
		pid_t pids[RACERS];
		for (int i = 0; i < RACERS; i++) {
			pids[i] = t_fork();
			if (pids[i] == 0) {
				t_barrier_wait(start);
				ids[i] = B->msgget(key, IPC_CREAT | 0600);
				_exit(ids[i] < 0 ? 1 : 0);
			}
		}
		for (int i = 0; i < RACERS; i++)
			t_wait_ok(pids[i]);
		for (int i = 1; i < RACERS; i++)
			T_EQ(ids[i], ids[0]);
		T_EQ(B->msgget(key, 0), ids[0]);
		if (!B->is_kernel)
			T_EQ(count_queue_files(), 1);
		T_OK(B->msgctl(ids[0], IPC_RMID, NULL));
		if (!B->is_kernel)
			T_EQ(count_queue_files(), 0);
	}
	return 0;
}
