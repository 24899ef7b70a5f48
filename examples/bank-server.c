/*
 * bank-server.c - the message-queue bank: keeps accounts and answers the
 * requests of bank-client and bank-load (protocol in bank.h).
 *
 * The server makes the queue with IPC_CREAT | IPC_EXCL, so two servers can
 * never share one, takes requests in arrival order with msgrcv(msgtyp =
 * BANK_SERVER), and answers each on the requester's pid. Every request is
 * handled whole before the next is read, so a transfer can never be seen
 * half done: that, not any lock, is what keeps the money conserved.
 *
 * It stops on a BANK_SHUTDOWN request, and removes the queue then. A
 * shutdown gets no reply: removing the queue is the answer, since a reply
 * would go with the queue before its reader could be sure to have it.
 * Clients still waiting get EIDRM, or EINVAL if they call after the
 * removal.
 *
 * SIGINT and SIGTERM stop it too. They are blocked in every thread and
 * taken by one thread waiting in sigwait(), which notes the signal and
 * removes the queue: the main loop's msgrcv (or msgsnd) then fails with
 * EIDRM or EINVAL and the server exits 1. A handler could not do this:
 * it could only set a flag, and a flag set just before the loop blocks in
 * msgrcv would never be seen; msgctl itself may not be called from one
 * (ipckit's takes locks). The thread is struct stop_thread in common.h,
 * which shm-server shares.
 *
 * usage: bank-server [KEYPATH]	(default ".", the file ftok names)
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank.h"
#include "common.h"

struct account {
	bool open;
	int64_t balance;
};

static struct account accounts[BANK_MAX_ACCOUNTS];
static int qid;
static struct stop_thread stop;

/* Removes the queue unless the signal thread has. Returns 0 or -1. */
static int queue_remove(void)
{
	if (msgctl(qid, IPC_RMID, NULL) == 0)
		return 0;
	if ((errno == EINVAL || errno == EIDRM) && atomic_load(&stop.signal))
		return 0;
	perror("msgctl IPC_RMID");
	return -1;
}

static struct account *account_find(int32_t id)
{
	if (id < 0 || id >= BANK_MAX_ACCOUNTS || !accounts[id].open)
		return NULL;
	return &accounts[id];
}

static bool amount_is_valid(int64_t amount)
{
	return amount > 0 && amount <= BANK_MAX_AMOUNT;
}

/* Carries out one request; fills the reply's status, account, balance. */
static void bank_handle(const struct bank_request *rq, struct bank_reply *rp)
{
	struct account *a = account_find(rq->body.account), *to;
	int64_t amount = rq->body.amount;

	rp->body.status = BANK_OK;
	rp->body.account = rq->body.account;
	rp->body.balance = 0;

	switch (rq->body.op) {
	case BANK_OPEN:
		if (amount < 0 || amount > BANK_MAX_AMOUNT) {
			rp->body.status = BANK_BAD_AMOUNT;
			return;
		}
		for (int32_t id = 0; id < BANK_MAX_ACCOUNTS; id++) {
			if (!accounts[id].open) {
				accounts[id].open = true;
				accounts[id].balance = amount;
				rp->body.account = id;
				rp->body.balance = amount;
				return;
			}
		}
		rp->body.status = BANK_FULL;
		return;
	case BANK_DEPOSIT:
	case BANK_WITHDRAW:
	case BANK_BALANCE:
	case BANK_TRANSFER:
	case BANK_CLOSE:
		break;
	default:
		rp->body.status = BANK_BAD_REQUEST;
		return;
	}

	if (!a) {
		rp->body.status = BANK_NO_ACCOUNT;
		return;
	}
	switch (rq->body.op) {
	case BANK_DEPOSIT:
		if (!amount_is_valid(amount))
			rp->body.status = BANK_BAD_AMOUNT;
		else if (a->balance > BANK_MAX_BALANCE - amount)
			rp->body.status = BANK_OVER_LIMIT;
		else
			a->balance += amount;
		break;
	case BANK_WITHDRAW:
		if (!amount_is_valid(amount))
			rp->body.status = BANK_BAD_AMOUNT;
		else if (a->balance < amount)
			rp->body.status = BANK_NO_FUNDS;
		else
			a->balance -= amount;
		break;
	case BANK_TRANSFER:
		to = account_find(rq->body.to);
		if (!to)
			rp->body.status = BANK_NO_ACCOUNT;
		else if (!amount_is_valid(amount))
			rp->body.status = BANK_BAD_AMOUNT;
		else if (a->balance < amount)
			rp->body.status = BANK_NO_FUNDS;
		else if (to != a && to->balance > BANK_MAX_BALANCE - amount)
			rp->body.status = BANK_OVER_LIMIT;
		else {
			a->balance -= amount;
			to->balance += amount;
		}
		break;
	case BANK_CLOSE:
		a->open = false;
		rp->body.balance = a->balance; /* paid out */
		a->balance = 0;
		return;
	}
	rp->body.balance = a->balance;
}

/* What the bank holds when it closes. */
static void report(void)
{
	int nopen = 0;
	int64_t total = 0;

	for (int32_t id = 0; id < BANK_MAX_ACCOUNTS; id++) {
		if (accounts[id].open) {
			nopen++;
			total += accounts[id].balance;
		}
	}
	printf("bank-server: shutting down with %d accounts holding %lld\n",
	       nopen, (long long)total);
}

int main(int argc, char **argv)
{
	const char *keypath = argc > 1 ? argv[1] : ".";
	unsigned long served = 0, malformed = 0;
	struct bank_request rq;
	struct bank_reply rp;
	int rc = 1;

	if (argc > 2) {
		fprintf(stderr, "usage: bank-server [KEYPATH]\n");
		return 1;
	}
	/* Blocked before the queue exists, so no signal can skip removal. */
	if (stop_signals_block(&stop) < 0)
		return 1;

	key_t key = ftok(keypath, BANK_PROJ);
	if (key == -1) {
		perror("ftok");
		return 1;
	}
	qid = msgget(key, IPC_CREAT | IPC_EXCL | 0600);
	if (qid < 0) {
		perror("msgget");
		return 1;
	}
	if (stop_thread_start(&stop, queue_remove) < 0)
		goto out_remove;
	printf("bank-server: queue %d (key 0x%08x) open on %s\n", qid,
	       (unsigned)key, SYSV_BACKEND);
	fflush(stdout);

	for (;;) {
		ssize_t n =
		    msgrcv(qid, &rq, sizeof(rq.body), BANK_SERVER, MSG_NOERROR);
		if (n < 0) {
			if (!atomic_load(&stop.signal))
				perror("msgrcv");
			goto out_remove;
		}
		if ((size_t)n != sizeof(rq.body) || rq.body.pid <= 1) {
			malformed++; /* nobody to answer */
			continue;
		}
		served++;
		if (rq.body.op == BANK_SHUTDOWN) {
			report();
			rc = 0;
			break;
		}
		bank_handle(&rq, &rp);
		rp.mtype = rq.body.pid;
		rp.body.seq = rq.body.seq;
		rp.body.pad = 0;
		if (msgsnd(qid, &rp, sizeof(rp.body), 0) < 0) {
			if (!atomic_load(&stop.signal))
				perror("msgsnd");
			goto out_remove;
		}
	}

out_remove:
	stop_thread_end(&stop);
	if (queue_remove() < 0)
		rc = 1;
	if (atomic_load(&stop.signal)) {
		printf("bank-server: stopped by signal %d\n",
		       atomic_load(&stop.signal));
		rc = 1;
	}
	printf("bank-server: %lu requests served, %lu malformed\n", served,
	       malformed);
	return rc;
}
