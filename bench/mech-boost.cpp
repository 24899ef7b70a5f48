/*
 * mech-boost.cpp - Boost.Interprocess message_queue, a peer from outside
 * System V: a queue in POSIX shared memory guarded by a process-shared
 * pthread mutex and condition variables, so a waiting side sleeps in the
 * kernel (futex) like the kernel mechanisms' do. Each message is copied
 * into the queue and out. Queue depth: bench_slots(), as for the
 * shared-memory ring. Built only where the headers exist (the Makefile
 * then sets BENCH_HAVE_BOOST); every exception becomes an errno here,
 * since none may cross into the C driver.
 */
#include "bench.h"

#include <boost/interprocess/ipc/message_queue.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <unistd.h>

namespace bip = boost::interprocess;

namespace {

struct boost_chan {
	bip::message_queue *q[2]; /* direction d: side d sends */
};

int boost_errno(const bip::interprocess_exception &e)
{
	int err = e.get_native_error();

	return err > 0 ? -err : -EIO;
}

/* The name is removed at once: the mapping lives on in every process. */
int boost_make(size_t size, int n, bip::message_queue **q)
{
	char name[64];

	snprintf(name, sizeof(name), "ipckit-bench.%d.%d", (int)getpid(), n);
	try {
		*q = new bip::message_queue(bip::create_only, name,
					    bench_slots(size), size);
	} catch (const bip::interprocess_exception &e) {
		return boost_errno(e);
	} catch (const std::bad_alloc &) {
		return -ENOMEM;
	}
	bip::message_queue::remove(name);
	return 0;
}

int boost_setup(struct bench_chan *c)
{
	boost_chan *b = new (std::nothrow) boost_chan();
	int err;

	if (!b)
		return -ENOMEM;
	err = boost_make(c->size, 0, &b->q[0]);
	if (err)
		goto out_free;
	err = boost_make(c->size, 1, &b->q[1]);
	if (err)
		goto out_close;
	c->priv = b;
	return 0;

out_close:
	delete b->q[0];
out_free:
	delete b;
	return err;
}

int boost_send(struct bench_chan *c, void *msg)
{
	boost_chan *b = static_cast<boost_chan *>(c->priv);

	try {
		b->q[c->side]->send(msg, c->size, 0);
	} catch (const bip::interprocess_exception &e) {
		return boost_errno(e);
	}
	return 0;
}

int boost_recv(struct bench_chan *c, void *buf, const void **msg)
{
	boost_chan *b = static_cast<boost_chan *>(c->priv);
	bip::message_queue::size_type got = 0;
	unsigned prio;

	*msg = buf;
	try {
		b->q[!c->side]->receive(buf, c->size, got, prio);
	} catch (const bip::interprocess_exception &e) {
		return boost_errno(e);
	}
	return got == c->size ? 0 : -EMSGSIZE;
}

void boost_teardown(struct bench_chan *c)
{
	boost_chan *b = static_cast<boost_chan *>(c->priv);

	delete b->q[0];
	delete b->q[1];
	delete b;
	c->priv = nullptr;
}

} /* namespace */

extern "C" const struct bench_mech bench_boost_mq = {
	.name = "boost-mq",
	.what = "Boost.Interprocess message_queue, one per direction",
	.ref = "sysv-msg",
	.kind = BENCH_CHANNEL,
	.wait = BENCH_SLEEP,
	.modes = BENCH_RTT | BENCH_STREAM,
	.op_bytes = 0,
	.arg = nullptr,
	.opt = 0,
	.fits = nullptr,
	.setup = boost_setup,
	.attach = nullptr,
	.send = boost_send,
	.recv = boost_recv,
	.release = nullptr,
	.op = nullptr,
	.teardown = boost_teardown,
};
