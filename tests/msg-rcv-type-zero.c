/*
 * msg-rcv-type-zero: msgtyp 0 takes the first message of the queue, in
 * the order sent, whatever its type, on a queue of thousands of messages
 * of mixed types; MSG_EXCEPT means nothing when msgtyp is 0.
 */
#include "msg-model.h"

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	id = T_OK(B->msgget(IPC_PRIVATE, 0600));
	int n = capacity();

	fill(n);
	check_stat();
	for (int i = 0; i < n / 2; i++)
		check_rcv(0, rnd(2) ? MSG_EXCEPT : 0);
	check_stat();
	/* Refill behind what is left: still one order. */
	fill(n);
	while (qn)
		check_rcv(0, 0);
	check_rcv(0, 0);
	check_stat();
	return T_EXIT_PASS;
}
