/*
 * msg-rcv-type-negative: msgtyp < 0 takes a message of the lowest type
 * <= |msgtyp|, the first sent among those of that type; ENOMSG under
 * IPC_NOWAIT when every type is above the bound. LONG_MIN, whose absolute
 * value does not exist, bounds nothing; MSG_EXCEPT means nothing here.
 * Checked against a model on a queue of thousands of mixed types.
 */
#include "msg-model.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	int n = capacity();

	fill(n);
	for (int i = 0; qn; i++) {
		long bound;
		switch (rnd(5)) {
		case 0:
			bound = 1 + rnd(45);
			break;
		case 1:
			bound = 999 + rnd(7);
			break;
		case 2:
			bound = LONG_MAX - rnd(4);
			break;
		default:
			bound = q[rnd((unsigned)qn)].type;
		}
		if (rnd(16) == 0)
			check_rcv(LONG_MIN, 0);
		else
			check_rcv(-bound, rnd(4) ? 0 : MSG_EXCEPT);
		if (i % 512 == 0)
			check_stat();
	}

	/* Above every bound but the top ones. */
	send_one(LONG_MAX);
	send_one(LONG_MAX - 1);
	send_one(LONG_MAX);
	check_rcv(-(LONG_MAX - 2), 0);
	check_rcv(-1, 0);
	check_rcv(LONG_MIN, 0);
	check_rcv(-LONG_MAX, 0);
	check_rcv(LONG_MIN, MSG_EXCEPT);
	check_rcv(LONG_MIN, 0);
	check_stat();
	return T_EXIT_PASS;
}
