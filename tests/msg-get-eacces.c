/*
 * msg-get-eacces: msgget on an existing queue checks the low 9 bits of
 * msgflg against the queue's mode, as ipcperms() does: the requested bits
 * of all three classes are folded together, then compared with the one
 * class of the caller (owner if it is the owner or the creator, else group
 * if it is in the owner's or creator's group, else other). Bits 0 request
 * nothing, so they always open. CAP_IPC_OWNER passes every check.
 *
 * Runs as root and checks the other users from children that drop to
 * them; needs root for that.
 */
#include "helpers.h"

#include <linux/capability.h>
#include <sys/stat.h>

#define OTHER 65533

static key_t key;
static int id;

static void set_owner(uid_t uid, gid_t gid, mode_t mode)
{
	struct msqid_ds ds;
	T_OK(B->msgctl(id, IPC_STAT, &ds));
	ds.msg_perm.uid = uid;
	ds.msg_perm.gid = gid;
	ds.msg_perm.mode = mode;
	T_OK(B->msgctl(id, IPC_SET, &ds));
}

/*
 * Other class: mode 0600 grants it nothing. differs from kernel
 * (docs/DESIGN.md, "Differences"): the kernel lets a msgget that asks for
 * no permission open a queue the caller cannot use; an ipckit queue's file
 * mode backs its permissions, so such a caller cannot open it at all.
 */
static void other_none(void)
{
	if (t_kernel_serves) {
		T_EQ(T_OK(B->msgget(key, 0)), id);
		T_EQ(T_OK(B->msgget(key, IPC_CREAT)), id);
	} else {
		T_FAIL_ERRNO(B->msgget(key, 0), EACCES);
		T_FAIL_ERRNO(B->msgget(key, IPC_CREAT), EACCES);
	}
	T_FAIL_ERRNO(B->msgget(key, 0400), EACCES);
	T_FAIL_ERRNO(B->msgget(key, 0040), EACCES);
	T_FAIL_ERRNO(B->msgget(key, 0004), EACCES);
	T_FAIL_ERRNO(B->msgget(key, 0200), EACCES);
	T_FAIL_ERRNO(B->msgget(key, 0002), EACCES);
	T_FAIL_ERRNO(B->msgget(key, IPC_CREAT | 0600), EACCES);
}

/* Other class with mode 0604: read in any class's bits is granted. */
static void other_read(void)
{
	T_EQ(T_OK(B->msgget(key, 0004)), id);
	T_EQ(T_OK(B->msgget(key, 0040)), id);
	T_EQ(T_OK(B->msgget(key, 0400)), id);
	T_EQ(T_OK(B->msgget(key, 0444)), id);
	T_EQ(T_OK(B->msgget(key, IPC_CREAT | 0444)), id);
	T_FAIL_ERRNO(B->msgget(key, 0002), EACCES);
	T_FAIL_ERRNO(B->msgget(key, 0006), EACCES);
	T_FAIL_ERRNO(B->msgget(key, 0200), EACCES);
	T_FAIL_ERRNO(B->msgget(key, 0001), EACCES);
}

/* Group class with mode 0406: the other and owner bits do not apply. */
static void group_none(void)
{
	/* differs from kernel: as in other_none. */
	if (t_kernel_serves)
		T_EQ(T_OK(B->msgget(key, 0)), id);
	else
		T_FAIL_ERRNO(B->msgget(key, 0), EACCES);
	T_FAIL_ERRNO(B->msgget(key, 0004), EACCES);
	T_FAIL_ERRNO(B->msgget(key, 0400), EACCES);
	T_FAIL_ERRNO(B->msgget(key, 0002), EACCES);
}

/* Group class with mode 0060. */
static void group_rw(void)
{
	T_EQ(T_OK(B->msgget(key, 0060)), id);
	T_EQ(T_OK(B->msgget(key, 0666)), id);
	T_EQ(T_OK(B->msgget(key, 0002)), id);
	T_FAIL_ERRNO(B->msgget(key, 0001), EACCES);
	T_FAIL_ERRNO(B->msgget(key, 0100), EACCES);
}

/* Owner class with mode 0246: only the owner's bits count. */
static void owner_write(void)
{
	T_EQ(T_OK(B->msgget(key, 0200)), id);
	T_EQ(T_OK(B->msgget(key, 0002)), id);
	T_FAIL_ERRNO(B->msgget(key, 0400), EACCES);
	T_FAIL_ERRNO(B->msgget(key, 0004), EACCES);
	T_FAIL_ERRNO(B->msgget(key, 0040), EACCES);
}

static void create_as_nobody(void)
{
	id = T_OK(B->msgget(key, IPC_CREAT | IPC_EXCL | 0600));
}

/* The creator is in the owner class even when the owner is another. */
static void creator_rw(void)
{
	T_EQ(T_OK(B->msgget(key, 0600)), id);
	T_EQ(T_OK(B->msgget(key, 0006)), id);
}

/* In the creator's group, the group class applies. */
static void creator_group(void)
{
	T_EQ(T_OK(B->msgget(key, 0040)), id);
	T_FAIL_ERRNO(B->msgget(key, 0020), EACCES);
}

int main(int argc, char **argv)
{
	t_init(argc, argv, T_BOTH);
	if (geteuid() != 0)
		t_skip("needs root to check other users");
	/* The dropped children must be able to use the namespace. */
	T_OK(chmod(t_dir, 01777));

	key = t_key(1);
	id = T_OK(B->msgget(key, IPC_CREAT | 0600));
	t_run_as(T_NOBODY, T_NOBODY, other_none);
	set_owner(0, 0, 0604);
	t_run_as(T_NOBODY, T_NOBODY, other_read);
	set_owner(0, T_NOBODY, 0406);
	t_run_as(T_NOBODY, T_NOBODY, group_none);
	set_owner(0, T_NOBODY, 0060);
	t_run_as(T_NOBODY, T_NOBODY, group_rw);
	set_owner(T_NOBODY, T_NOBODY, 0246);
	t_run_as(T_NOBODY, T_NOBODY, owner_write);

	/* Privilege is never refused, whatever the mode. */
	set_owner(T_NOBODY, T_NOBODY, 0000);
	if (t_has_cap(CAP_IPC_OWNER)) {
		T_EQ(T_OK(B->msgget(key, 0666)), id);
		T_EQ(T_OK(B->msgget(key, IPC_CREAT | 0777)), id);
	} else {
		T_FAIL_ERRNO(B->msgget(key, 0666), EACCES);
	}
	T_EQ(T_OK(B->msgget(key, 0)), id);
	if (!t_has_cap(CAP_SYS_ADMIN))
		return T_EXIT_PASS; /* cannot IPC_SET nobody's queue */

	/*
	 * A queue made by nobody whose owner root then changes: nobody
	 * stays in the owner class as its creator; a third user in the
	 * creator's group is in the group class.
	 */
	key = t_key(2);
	t_run_as(T_NOBODY, T_NOBODY, create_as_nobody);
	id = T_OK(B->msgget(key, 0));
	set_owner(0, 0, 0640);
	t_run_as(T_NOBODY, T_NOBODY, creator_rw);
	t_run_as(OTHER, T_NOBODY, creator_group);
	return T_EXIT_PASS;
}
