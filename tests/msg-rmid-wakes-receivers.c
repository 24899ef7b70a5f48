/*
 * msg-rmid-wakes-receivers: IPC_RMID by another process wakes every
 * receiver blocked on the queue, whatever it waits for, with EIDRM; later
 * calls on the removed id fail with EINVAL.
 */
#include "helpers.h"

#include <limits.h>

struct msg {
	long mtype;
	char mtext[16];
};

static const struct {
	long msgtyp;
	int flags;
} waiters[] = {
    {0, 0}, {5, 0}, {1, MSG_EXCEPT}, {-3, 0}, {LONG_MIN, MSG_NOERROR},
};
#define NW (int)(sizeof(waiters) / sizeof(waiters[0]))

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	pid_t pids[NW];
	struct msg m = {1, "late"};

	int id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	for (int i = 0; i < NW; i++) {
		pids[i] = t_fork();
		if (pids[i] == 0) {
			struct msg r;
			T_FAIL_ERRNO(B->msgrcv(id, &r, sizeof(r.mtext),
					       waiters[i].msgtyp,
					       waiters[i].flags),
				     EIDRM);
			_exit(0);
		}
		t_wait_blocked(pids[i]);
	}

	pid_t rm = t_fork();
	if (rm == 0) {
		T_OK(B->msgctl(id, IPC_RMID, NULL));
		_exit(0);
	}
	t_wait_ok(rm);
	for (int i = 0; i < NW; i++)
		t_wait_ok(pids[i]);
	T_FAIL_ERRNO(B->msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT), EINVAL);
	T_FAIL_ERRNO(B->msgsnd(id, &m, 4, IPC_NOWAIT), EINVAL);
	return T_EXIT_PASS;
}
