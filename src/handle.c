/*
 * handle.c - the per-process table from ids to mappings.
 *
 * One table per kind, indexed by slot, each entry a counted reference to
 * the mapping of the object last seen in that slot. Lookups compare the
 * full id, so a stale id never reaches the newer object in its slot.
 *
 * Locking: one pthread mutex per kind guards its table; a lookup holds it
 * for a compare and an increment. fork() is made safe by taking every
 * table lock in the prepare handler; the child inherits the mappings and
 * so the table, as the kernel's fork inherits attachments.
 */
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>

struct table {
	pthread_mutex_t lock;
	struct ipckit_obj **slots; /* IPCKIT_SLOTS entries, made on first use */
};

static struct table tables[IPCKIT_NKINDS] = {
	{PTHREAD_MUTEX_INITIALIZER, NULL},
	{PTHREAD_MUTEX_INITIALIZER, NULL},
	{PTHREAD_MUTEX_INITIALIZER, NULL},
	{PTHREAD_MUTEX_INITIALIZER, NULL},
};

static pthread_once_t fork_once = PTHREAD_ONCE_INIT;

static void tables_lock_all(void)
{
	for (int k = 0; k < IPCKIT_NKINDS; k++)
		pthread_mutex_lock(&tables[k].lock);
}

static void tables_unlock_all(void)
{
	for (int k = IPCKIT_NKINDS - 1; k >= 0; k--)
		pthread_mutex_unlock(&tables[k].lock);
}

static void fork_init(void)
{
	pthread_atfork(tables_lock_all, tables_unlock_all, tables_unlock_all);
}

static struct table *table_of(unsigned kind)
{
	pthread_once(&fork_once, fork_init);
	return kind < IPCKIT_NKINDS ? &tables[kind] : NULL;
}

struct ipckit_obj *ipckit__handle_find(unsigned kind, int id)
{
	struct table *t = table_of(kind);
	struct ipckit_obj *o = NULL;
	if (!t || id < 0)
		return NULL;
	pthread_mutex_lock(&t->lock);
	if (t->slots) {
		o = t->slots[id % IPCKIT_SLOTS];
		if (o && o->id == id)
			atomic_fetch_add(&o->refs, 1);
		else
			o = NULL;
	}
	pthread_mutex_unlock(&t->lock);
	return o;
}

void ipckit__handle_insert(struct ipckit_obj *o)
{
	struct table *t = table_of(o->kind);
	struct ipckit_obj *old = NULL;
	if (!t || o->slot < 0)
		return;
	pthread_mutex_lock(&t->lock);
	if (!t->slots)
		t->slots = calloc(IPCKIT_SLOTS, sizeof(*t->slots));
	if (t->slots && t->slots[o->slot] != o) {
		old = t->slots[o->slot];
		atomic_fetch_add(&o->refs, 1);
		t->slots[o->slot] = o;
	}
	pthread_mutex_unlock(&t->lock);
	if (old)
		ipckit__obj_put(old);
}

void ipckit__handle_forget(struct ipckit_obj *o)
{
	struct table *t = table_of(o->kind);
	bool dropped = false;
	if (!t || o->slot < 0)
		return;
	pthread_mutex_lock(&t->lock);
	if (t->slots && t->slots[o->slot] == o) {
		t->slots[o->slot] = NULL;
		dropped = true;
	}
	pthread_mutex_unlock(&t->lock);
	if (dropped)
		ipckit__obj_put(o);
}
