/*
 * bank-client.c - one request to the message-queue bank (bank-server.c).
 *
 * The client opens the server's queue by its ftok key (flags 0: never
 * create it), sends one typed request and waits for the reply that comes
 * back with its own pid as message type (protocol in bank.h).
 *
 * usage: bank-client [-k KEYPATH] REQUEST
 *	open [AMOUNT]			new account; prints its number
 *	deposit ACCOUNT AMOUNT
 *	withdraw ACCOUNT AMOUNT
 *	balance ACCOUNT
 *	transfer FROM TO AMOUNT
 *	close ACCOUNT			prints the balance paid out
 *	shutdown			stops the server
 * Prints "account N: balance B". Exit status 0 when the bank did it, 2
 * when it refused (the reason on stderr), 1 on a usage or system error.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank.h"

/* clang-format off */
static const struct {
	const char *name;
	int op;
	int nargs; /* arguments after the name */
} requests[] = {
	{ "open", BANK_OPEN, 1 },
	{ "deposit", BANK_DEPOSIT, 2 },
	{ "withdraw", BANK_WITHDRAW, 2 },
	{ "balance", BANK_BALANCE, 1 },
	{ "transfer", BANK_TRANSFER, 3 },
	{ "close", BANK_CLOSE, 1 },
	{ "shutdown", BANK_SHUTDOWN, 0 },
};
/* clang-format on */

static void usage(void)
{
	fprintf(stderr, "usage: bank-client [-k KEYPATH] REQUEST\n"
			"  open [AMOUNT] | deposit ACCOUNT AMOUNT |"
			" withdraw ACCOUNT AMOUNT |\n"
			"  balance ACCOUNT | transfer FROM TO AMOUNT |"
			" close ACCOUNT | shutdown\n");
	exit(1);
}

static int64_t number(const char *s, int64_t max)
{
	char *end;

	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > max) {
		fprintf(stderr, "bank-client: bad number '%s'\n", s);
		exit(1);
	}
	return v;
}

int main(int argc, char **argv)
{
	const char *keypath = ".";
	struct bank_request rq;
	struct bank_reply rp;
	int i = 1;

	if (argc > 2 && strcmp(argv[1], "-k") == 0) {
		keypath = argv[2];
		i = 3;
	}
	if (i >= argc)
		usage();
	size_t r;
	for (r = 0; r < sizeof(requests) / sizeof(*requests); r++)
		if (strcmp(argv[i], requests[r].name) == 0)
			break;
	if (r == sizeof(requests) / sizeof(*requests))
		usage();
	int nargs = argc - i - 1;
	char **args = argv + i + 1;
	bool optional = requests[r].op == BANK_OPEN;
	if (nargs != requests[r].nargs && !(optional && nargs == 0))
		usage();

	memset(&rq, 0, sizeof(rq));
	rq.body.op = requests[r].op;
	switch (rq.body.op) {
	case BANK_OPEN:
		rq.body.amount = nargs ? number(args[0], INT64_MAX) : 0;
		break;
	case BANK_TRANSFER:
		rq.body.account = (int32_t)number(args[0], INT32_MAX);
		rq.body.to = (int32_t)number(args[1], INT32_MAX);
		rq.body.amount = number(args[2], INT64_MAX);
		break;
	case BANK_SHUTDOWN:
		break;
	default:
		rq.body.account = (int32_t)number(args[0], INT32_MAX);
		if (nargs > 1)
			rq.body.amount = number(args[1], INT64_MAX);
	}

	if (getpid() == 1) {
		fprintf(stderr, "bank-client: pid 1 cannot tell replies "
				"from requests\n");
		return 1;
	}
	key_t key = ftok(keypath, BANK_PROJ);
	if (key == -1) {
		perror("ftok");
		return 1;
	}
	int qid = msgget(key, 0);
	if (qid < 0) {
		perror("msgget");
		return 1;
	}

	if (rq.body.op == BANK_SHUTDOWN) {
		/* No reply comes: the queue's removal is the answer. */
		rq.mtype = BANK_SERVER;
		rq.body.pid = (int32_t)getpid();
		if (msgsnd(qid, &rq, sizeof(rq.body), 0) < 0) {
			perror("msgsnd");
			return 1;
		}
		if (msgrcv(qid, &rp, sizeof(rp.body), (long)getpid(),
			   MSG_NOERROR) >= 0 ||
		    (errno != EIDRM && errno != EINVAL)) {
			perror("msgrcv");
			return 1;
		}
		printf("bank-client: the server has shut down\n");
		return 0;
	}

	if (bank_call(qid, &rq, &rp) < 0) {
		perror(errno == EIDRM ? "bank-client: the server went away"
				      : "bank-client");
		return 1;
	}
	if (rp.body.status != BANK_OK) {
		fprintf(stderr, "bank-client: %s: %s\n", requests[r].name,
			bank_strstatus(rp.body.status));
		return 2;
	}
	if (rq.body.op == BANK_CLOSE)
		printf("account %d: closed, paid out %lld\n", rp.body.account,
		       (long long)rp.body.balance);
	else
		printf("account %d: balance %lld\n", rp.body.account,
		       (long long)rp.body.balance);
	return 0;
}
