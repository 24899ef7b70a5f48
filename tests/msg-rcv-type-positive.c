/*
 * msg-rcv-type-positive: msgtyp > 0 takes the first message of exactly
 * that type, leaving the others in their order; ENOMSG under IPC_NOWAIT
 * when there is none. Checked against a model on a queue of thousands of
 * messages of mixed types, asking for present and absent types.
 */
#include "msg-model.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	int n = capacity();

	fill(n);
	for (int i = 0; qn; i++) {
		long t;
		switch (rnd(4)) {
		case 0:
			t = rnd_type();
			/* Mostly absent; the top types wrap below LONG_MAX. */
			t = t > LONG_MAX - 100 ? t - 100 : t + 100;
			break;
		case 1:
			t = q[qn - 1].type; /* the last of its type */
			break;
		default:
			t = q[rnd((unsigned)qn)].type;
		}
		check_rcv(t, 0);
		if (i % 512 == 0)
			check_stat();
	}
	check_rcv(1, 0);
	check_rcv(LONG_MAX, 0);
	check_stat();
	return T_EXIT_PASS;
}
