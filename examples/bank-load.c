/*
 * bank-load.c - load driver for the message-queue bank: N client processes
 * make random transfers at once, then the driver checks that no money was
 * made or lost.
 *
 * The driver opens ACCOUNTS accounts with known deposits, forks CLIENTS
 * processes that each send TRANSFERS random transfer requests (each on its
 * own pid, as bank-client does), waits for them, then reads every balance
 * back and closes the accounts. A transfer may be refused for want of
 * funds; any other answer is an error. The sum of the balances must equal
 * the sum deposited, and so must the sum paid out on closing: the exit
 * status is 1 if not (or on any error), 0 if the money was conserved.
 *
 * A server must be running on the same KEYPATH (see bank-server.c).
 *
 * usage: bank-load [-k KEYPATH] [-c CLIENTS] [-a ACCOUNTS] [-n TRANSFERS]
 *	(defaults: ".", 4 clients, 16 accounts, 2000 transfers per client)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "bank.h"
#include "common.h"

#define MAX_CLIENTS   64 /* well within the queue's room (bank.h) */
#define START_BALANCE 1000

static int qid;

static int request(int op, int32_t account, int32_t to, int64_t amount,
		   struct bank_reply *rp)
{
	struct bank_request rq;

	memset(&rq, 0, sizeof(rq));
	rq.body.op = op;
	rq.body.account = account;
	rq.body.to = to;
	rq.body.amount = amount;
	if (bank_call(qid, &rq, rp) < 0) {
		perror("bank-load: request");
		return -1;
	}
	return 0;
}

/* xorshift32: a fixed seed per client makes a failing run repeatable. */
static uint32_t next_random(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void client_run(int index, const int32_t *ids, int naccounts,
		       long transfers)
{
	uint32_t seed = 2463534242u + (uint32_t)index * 7919u;
	long done = 0, refused = 0;
	struct bank_reply rp;

	for (long i = 0; i < transfers; i++) {
		int from = (int)(next_random(&seed) % (uint32_t)naccounts);
		int to = (int)(next_random(&seed) % (uint32_t)naccounts);
		int64_t amount = 1 + next_random(&seed) % START_BALANCE;

		if (request(BANK_TRANSFER, ids[from], ids[to], amount, &rp) < 0)
			_exit(1);
		if (rp.body.status == BANK_OK) {
			done++;
		} else if (rp.body.status == BANK_NO_FUNDS) {
			refused++;
		} else {
			fprintf(stderr,
				"bank-load: client %d: transfer %d -> "
				"%d: %s\n",
				index, ids[from], ids[to],
				bank_strstatus(rp.body.status));
			_exit(1);
		}
	}
	printf("bank-load: client %d: %ld transfers done, %ld refused "
	       "for want of funds\n",
	       index, done, refused);
	/* _exit does not flush stdio: do it here. */
	if (fflush(stdout) != 0)
		_exit(1);
	_exit(0);
}

int main(int argc, char **argv)
{
	const char *keypath = ".";
	long clients = 4, naccounts = 16, transfers = 2000;
	int32_t ids[BANK_MAX_ACCOUNTS];
	pid_t pids[MAX_CLIENTS];
	struct bank_reply rp;
	int64_t deposited = 0, held = 0, paid = 0;
	int opened = 0, started = 0, rc = 0, c;

	while ((c = getopt(argc, argv, "k:c:a:n:")) != -1) {
		switch (c) {
		case 'k':
			keypath = optarg;
			break;
		case 'c':
			clients =
			    option_number("bank-load", optarg, 1, MAX_CLIENTS);
			break;
		case 'a':
			naccounts = option_number("bank-load", optarg, 1,
						  BANK_MAX_ACCOUNTS);
			break;
		case 'n':
			transfers =
			    option_number("bank-load", optarg, 0, 100000000);
			break;
		default:
			fprintf(stderr, "usage: bank-load [-k KEYPATH] "
					"[-c CLIENTS] [-a ACCOUNTS] "
					"[-n TRANSFERS]\n");
			return 1;
		}
	}
	if (optind != argc || getpid() == 1) {
		fprintf(stderr, "bank-load: bad arguments (or pid 1)\n");
		return 1;
	}
	key_t key = ftok(keypath, BANK_PROJ);
	if (key == -1) {
		perror("ftok");
		return 1;
	}
	qid = msgget(key, 0);
	if (qid < 0) {
		perror("msgget");
		return 1;
	}

	for (opened = 0; opened < naccounts; opened++) {
		int64_t amount = START_BALANCE + opened;
		if (request(BANK_OPEN, 0, 0, amount, &rp) < 0)
			goto out_close;
		if (rp.body.status != BANK_OK) {
			fprintf(stderr, "bank-load: open: %s\n",
				bank_strstatus(rp.body.status));
			goto out_close;
		}
		ids[opened] = rp.body.account;
		deposited += amount;
	}

	fflush(stdout);
	for (started = 0; started < clients; started++) {
		pids[started] = fork();
		if (pids[started] < 0) {
			perror("fork");
			rc = 1;
			break;
		}
		if (pids[started] == 0)
			client_run(started, ids, opened, transfers);
	}
	for (int i = 0; i < started; i++) {
		int status;
		if (waitpid(pids[i], &status, 0) < 0) {
			perror("waitpid");
			rc = 1;
		} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr,
				"bank-load: client %d failed "
				"(status 0x%x)\n",
				i, status);
			rc = 1;
		}
	}

	for (int i = 0; i < opened; i++) {
		if (request(BANK_BALANCE, ids[i], 0, 0, &rp) < 0 ||
		    rp.body.status != BANK_OK) {
			fprintf(stderr, "bank-load: balance of %d failed\n",
				ids[i]);
			goto out_close;
		}
		held += rp.body.balance;
	}

out_close:
	/* The accounts are the server's; give them back on every path. */
	for (int i = 0; i < opened; i++) {
		if (request(BANK_CLOSE, ids[i], 0, 0, &rp) < 0 ||
		    rp.body.status != BANK_OK) {
			fprintf(stderr, "bank-load: close of %d failed\n",
				ids[i]);
			return 1;
		}
		paid += rp.body.balance;
	}
	if (opened < naccounts || started < clients)
		return 1;
	printf("bank-load: %ld clients x %ld transfers over %ld accounts: "
	       "deposited %lld, held %lld, paid out %lld\n",
	       clients, transfers, naccounts, (long long)deposited,
	       (long long)held, (long long)paid);
	if (held != deposited || paid != deposited) {
		fprintf(stderr, "bank-load: money was not conserved\n");
		return 1;
	}
	printf("bank-load: money conserved\n");
	return rc;
}
