/*
 * msg-rcv-type-mixed: sends and every kind of selection interleaved at
 * random on a queue holding thousands of messages of mixed types: each
 * receive takes the message a model of the queue says, and msg_qnum and
 * msg_cbytes follow it.
 */
#include "msg-model.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	int n = capacity();

	fill(n / 2);
	for (int i = 0; i < 30000; i++) {
		long t = qn && rnd(2) ? q[rnd((unsigned)qn)].type : rnd_type();
		switch (rnd(9)) {
		case 0:
		case 1:
		case 2:
		case 3:
			if (qn < n)
				send_one(t);
			break;
		case 4:
			check_rcv(0, 0);
			break;
		case 5:
			check_rcv(t, 0);
			break;
		case 6:
			check_rcv(t, MSG_EXCEPT);
			break;
		case 7:
			check_rcv(-t, 0);
			break;
		default:
			check_rcv(rnd(2) ? LONG_MIN : -(long)(1 + rnd(45)), 0);
		}
		if (i % 1000 == 0)
			check_stat();
	}
	check_stat();
	while (qn)
		check_rcv(0, 0);
	check_stat();
	return T_EXIT_PASS;
}
