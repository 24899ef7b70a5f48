/*
 * bank.h - the protocol of the message-queue bank: bank-server.c keeps the
 * accounts, bank-client.c and bank-load.c send it requests.
 *
 * One queue, found by ftok(KEYPATH, BANK_PROJ). A request is a message of
 * type BANK_SERVER; the server answers it with a message whose type is the
 * requester's pid, so each process receives only its own replies (msgrcv
 * with msgtyp = getpid()) however many share the queue. A process of pid 1
 * could not tell its replies from requests, so clients refuse to run as
 * pid 1 (the first process of a pid namespace).
 *
 * Each client has at most one request in flight, so the queue never holds
 * more than one request and one reply per client: with the default limit
 * of 16384 bytes a queue (msgmnb) that is room for about 290 clients
 * before the server could block sending a reply.
 *
 * Amounts are whole units in int64_t. One request moves at most
 * BANK_MAX_AMOUNT and no balance exceeds BANK_MAX_BALANCE, so no sum over
 * every account can overflow.
 */
#ifndef EXAMPLES_BANK_H
#define EXAMPLES_BANK_H

#include <stdint.h>
#include <unistd.h>

#include "sysv.h"

#define BANK_PROJ	  'M'
#define BANK_SERVER	  1L
#define BANK_MAX_ACCOUNTS 1024
#define BANK_MAX_AMOUNT	  1000000000000LL    /* 1e12 */
#define BANK_MAX_BALANCE  1000000000000000LL /* 1e15 */

enum bank_op {
	BANK_OPEN = 1, /* amount: first deposit; reply: account */
	BANK_DEPOSIT,  /* account, amount */
	BANK_WITHDRAW, /* account, amount */
	BANK_BALANCE,  /* account */
	BANK_TRANSFER, /* account -> to, amount */
	BANK_CLOSE,    /* account; reply: the balance paid out */
	BANK_SHUTDOWN, /* no reply: the server removes the queue */
};

enum bank_status {
	BANK_OK = 0,
	BANK_NO_ACCOUNT,
	BANK_NO_FUNDS,
	BANK_BAD_AMOUNT,
	BANK_OVER_LIMIT,
	BANK_FULL,
	BANK_BAD_REQUEST,
};

/* mtext is the body: msgsnd and msgrcv get sizeof(body), not the struct. */
struct bank_request {
	long mtype; /* BANK_SERVER */
	struct {
		int32_t op;
		int32_t pid;  /* where the reply goes */
		uint32_t seq; /* echoed in the reply */
		int32_t account;
		int32_t to;
		int32_t pad;
		int64_t amount;
	} body;
};

struct bank_reply {
	long mtype; /* the requester's pid */
	struct {
		uint32_t seq;
		int32_t status; /* enum bank_status */
		int32_t account;
		int32_t pad;
		int64_t balance;
	} body;
};

static inline const char *bank_strstatus(int status)
{
	switch (status) {
	case BANK_OK:
		return "ok";
	case BANK_NO_ACCOUNT:
		return "no such account";
	case BANK_NO_FUNDS:
		return "insufficient funds";
	case BANK_BAD_AMOUNT:
		return "bad amount";
	case BANK_OVER_LIMIT:
		return "balance over the limit";
	case BANK_FULL:
		return "no free account";
	case BANK_BAD_REQUEST:
		return "bad request";
	}
	return "unknown status";
}

/*
 * Sends `rq` and waits for its reply. Returns 0, or -1 with errno from
 * msgsnd or msgrcv (EIDRM once the server has removed the queue). A reply
 * with another sequence number was meant for an earlier process that had
 * our pid and died before reading it: it is dropped (MSG_NOERROR keeps an
 * oversized one from sticking at the head with E2BIG).
 */
static inline int bank_call(int qid, struct bank_request *rq,
			    struct bank_reply *rp)
{
	static uint32_t seq;

	rq->mtype = BANK_SERVER;
	rq->body.pid = (int32_t)getpid();
	rq->body.seq = ++seq;
	if (msgsnd(qid, rq, sizeof(rq->body), 0) < 0)
		return -1;
	for (;;) {
		ssize_t n = msgrcv(qid, rp, sizeof(rp->body), (long)getpid(),
				   MSG_NOERROR);
		if (n < 0)
			return -1;
		if ((size_t)n == sizeof(rp->body) &&
		    rp->body.seq == rq->body.seq)
			return 0;
	}
}

#endif /* EXAMPLES_BANK_H */
