/*
 * msg-rcv-type-except: msgtyp > 0 with MSG_EXCEPT takes the first message
 * of any other type, skipping runs of that type; ENOMSG under IPC_NOWAIT
 * when every message has it. Checked against a model on a queue of
 * thousands of messages of mixed types, in runs.
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
			t = rnd_type(); /* present or not */
			break;
		case 1:
			t = q[rnd((unsigned)qn)].type;
			break;
		default:
			t = q[0].type; /* skip the leading run */
		}
		check_rcv(t, MSG_EXCEPT);
		if (i % 512 == 0)
			check_stat();
	}

	/* A queue of one type: excepting it finds nothing. */
	for (int i = 0; i < 100; i++)
		send_one(7);
	check_rcv(7, MSG_EXCEPT);
	send_one(8);
	check_rcv(7, MSG_EXCEPT);
	check_rcv(7, MSG_EXCEPT);
	check_rcv(8, MSG_EXCEPT);
	check_stat();
	return T_EXIT_PASS;
}
