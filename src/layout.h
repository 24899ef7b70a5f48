/*
 * layout.h - every structure that lives in a namespace file, byte by byte.
 *
 * Files never leave the machine, so native byte order (x86-64/aarch64
 * little-endian) and native alignment are used and stated here. Only
 * fixed-width types: no pointers, long, size_t or time_t; links between
 * records are indices or offsets, each checked against its bound by the
 * code that follows it. Every byte is input: another process may have
 * written anything.
 */
#ifndef IPCKIT_LAYOUT_H
#define IPCKIT_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#define IPCKIT_MAGIC 0x4b435049u	/* "IPCK" read as little-endian */
#define IPCKIT_LAYOUT_VERSION 2u

/* Object kinds; also the index of their id space. */
#define IPCKIT_KIND_MSG 1u
#define IPCKIT_KIND_SEM 2u
#define IPCKIT_KIND_SHM 3u
#define IPCKIT_NKINDS 4

/* h_state, a futex word: */
#define IPCKIT_STATE_INIT 0u	/* being built; only the creator touches it */
#define IPCKIT_STATE_READY 1u	/* published: id and key are final */

/* Ids: seq * IPCKIT_SLOTS + slot, as the kernel's ipc ids. */
#define IPCKIT_SLOTS 32768
#define IPCKIT_SEQ_MAX 65535

/* Where the kind-specific body begins in every object file. */
#define IPCKIT_BODY_OFFSET 256u

/*
 * The common header: the first 256 bytes of every object file, the "base
 * class" of all kinds, modelled on struct kern_ipc_perm.
 *
 * <magic> <version> <kind> <state> <size> <removed> <key> <id> <seq>
 * <uid> <gid> <cuid> <cgid> <mode> <cpid> <cstart> <ctime> <body>
 * <ctl_size> <pad>
 * <lock> <pad>
 *
 *   0  u32  h_magic    IPCKIT_MAGIC
 *   4  u32  h_version  IPCKIT_LAYOUT_VERSION
 *   8  u32  h_kind     IPCKIT_KIND_*
 *  12  u32  h_state    futex word, IPCKIT_STATE_*; the creator stores READY
 *                      last, with release order (pairs with HDR_BARRIER_1)
 *  16  u64  h_size     the file's size in bytes, fixed at creation
 *  24  u32  h_removed  0 live, 1 removed (IPC_RMID or declared
 *                      lost); set once, under h_lock, never cleared
 *  28  i32  h_key      the key, or IPC_PRIVATE (0)
 *  32  i32  h_id       the id; fixed before READY
 *  36  u32  h_seq      the id's sequence number
 *  40  u32  h_uid      owner (IPC_SET may change it)
 *  44  u32  h_gid      owner's group
 *  48  u32  h_cuid     creator
 *  52  u32  h_cgid     creator's group
 *  56  u32  h_mode     low 9 bits: permissions; shm adds SHM_DEST and
 *                      SHM_LOCKED as the kernel keeps them there
 *  60  i32  h_cpid     creator's pid
 *  64  u64  h_cstart   creator's start time (clock ticks after boot), so a
 *                      reused pid is not mistaken for the creator
 *  72  i64  h_ctime    last change (creation, IPC_SET), seconds since 1970
 *  80  u64  h_body     IPCKIT_BODY_OFFSET
 *  88  u64  h_ctl_size bytes at the start of the file that a handle maps:
 *                      h_size for msg and sem; for shm, everything before
 *                      the data pages (which only shmat maps)
 *  96  u8   pad[32]
 * 128  u8   h_lock[64] a glibc pthread_mutex_t (40 bytes), process-shared
 *                      and robust, on its own cache line
 * 192  u8   pad[64]
 * 256       the kind's body
 *
 * Locking: h_lock guards h_uid, h_gid, h_mode, h_ctime, h_removed and the
 * whole body (each kind may add finer rules). h_magic through h_size, h_key,
 * h_id, h_seq, h_cuid, h_cgid, h_cpid, h_cstart, h_body and h_ctl_size are
 * written only
 * before READY and are read-only after.
 */
struct ipckit_hdr {
	uint32_t h_magic;
	uint32_t h_version;
	uint32_t h_kind;
	_Atomic uint32_t h_state;
	uint64_t h_size;
	_Atomic uint32_t h_removed;
	int32_t h_key;
	int32_t h_id;
	uint32_t h_seq;
	uint32_t h_uid;
	uint32_t h_gid;
	uint32_t h_cuid;
	uint32_t h_cgid;
	uint32_t h_mode;
	int32_t h_cpid;
	uint64_t h_cstart;
	int64_t h_ctime;
	uint64_t h_body;
	uint64_t h_ctl_size;
	uint8_t h_pad0[32];
	_Alignas(64) uint8_t h_lock[64];
	uint8_t h_pad1[64];
};

_Static_assert(offsetof(struct ipckit_hdr, h_state) == 12, "hdr layout");
_Static_assert(offsetof(struct ipckit_hdr, h_size) == 16, "hdr layout");
_Static_assert(offsetof(struct ipckit_hdr, h_removed) == 24, "hdr layout");
_Static_assert(offsetof(struct ipckit_hdr, h_id) == 32, "hdr layout");
_Static_assert(offsetof(struct ipckit_hdr, h_mode) == 56, "hdr layout");
_Static_assert(offsetof(struct ipckit_hdr, h_cstart) == 64, "hdr layout");
_Static_assert(offsetof(struct ipckit_hdr, h_body) == 80, "hdr layout");
_Static_assert(offsetof(struct ipckit_hdr, h_ctl_size) == 88, "hdr layout");
_Static_assert(offsetof(struct ipckit_hdr, h_lock) == 128, "hdr layout");
_Static_assert(sizeof(struct ipckit_hdr) == IPCKIT_BODY_OFFSET, "hdr size");

/*
 * The id file, one per kind ("<kind>.ids"): sequence numbers of the slots.
 * Zero-filled is a valid state, so it needs no initialization and no lock:
 * every field is only ever changed by one atomic add.
 *
 *      0  u32  i_next      next slot to try (cyclic allocation hint)
 *      4  u8   pad[60]
 *     64  u32  i_seq[32768] sequence number last used in each slot
 * 131136       end
 */
struct ipckit_ids {
	_Atomic uint32_t i_next;
	uint8_t i_pad[60];
	_Atomic uint32_t i_seq[IPCKIT_SLOTS];
};

_Static_assert(offsetof(struct ipckit_ids, i_seq) == 64, "ids layout");
_Static_assert(sizeof(struct ipckit_ids) == 64 + 4 * IPCKIT_SLOTS,
	       "ids size");

/*
 * A process as recorded in shared memory: pid plus start time proves death
 * even when the pid is reused.
 *
 *   0  i32  p_pid
 *   4  u32  pad
 *   8  u64  p_start   clock ticks after boot (/proc/PID/stat field 22)
 *  16
 */
struct ipckit_proc_rec {
	int32_t p_pid;
	uint32_t p_pad;
	uint64_t p_start;
};

_Static_assert(sizeof(struct ipckit_proc_rec) == 16, "proc rec layout");

/* ------------------------------------------------------------------------ */
/*  Message queues (msg.c)                                                  */
/* ------------------------------------------------------------------------ */

#define MSQ_NIL 0xffffffffu	/* end of a list of descriptors or blocks */
#define MSQ_BLOCK 64u		/* bytes of payload per data block */
#define MSQ_INLINE 8u		/* payloads this small live in the descriptor */
#define MSQ_WAITERS 128u	/* waiter records per queue */

/*
 * A message descriptor, 32 bytes. A queued message is a descriptor on the
 * queue list; its payload is inline (size <= MSQ_INLINE) or a chain of
 * blocks through msq's block_next array.
 *
 *   0  u32  d_next    next descriptor in the queue (or free list), MSQ_NIL
 *   4  u32  d_block   first payload block, MSQ_NIL when inline or empty
 *   8  i64  d_mtype   the message type (>= 1)
 *  16  u32  d_size    payload bytes (<= msgmax when sent)
 *  20  u32  d_claim   0, or 1 + index of the receiver it was handed to
 *  24  u8   d_inline[8]
 *  32
 */
struct msq_desc {
	uint32_t d_next;
	uint32_t d_block;
	int64_t d_mtype;
	uint32_t d_size;
	uint32_t d_claim;
	uint8_t d_inline[MSQ_INLINE];
};
_Static_assert(sizeof(struct msq_desc) == 32, "msq_desc layout");

/* w_state, a futex word of one waiter: */
#define MSQ_W_FREE 0u	  /* slot unused */
#define MSQ_W_WAITING 1u  /* registered, spinning */
#define MSQ_W_SLEEPING 2u /* registered, in futex_wait: wake it */
#define MSQ_W_WOKEN 3u	  /* sender: space was freed, look again */
#define MSQ_W_GOT 4u	  /* receiver: w_msg was handed to it */
#define MSQ_W_FAILED 5u	  /* w_err says why (E2BIG, EIDRM) */
#define MSQ_W_TAKEN 6u	  /* receiver: copied w_msg out and left; the
			     next holder of h_lock frees both */
#define MSQ_ROLE_RECV 1u
#define MSQ_ROLE_SEND 2u

/* w_mode: a receiver's selector (the kernel's SEARCH_*), plus flags. */
#define MSQ_SEARCH_ANY 1u
#define MSQ_SEARCH_EQUAL 2u
#define MSQ_SEARCH_NOTEQUAL 3u
#define MSQ_SEARCH_LESSEQUAL 4u
#define MSQ_SEARCH_NUMBER 5u
#define MSQ_SEARCH_MASK 0xffu
#define MSQ_NOERROR 0x100u

/*
 * A blocked msgsnd or msgrcv, 64 bytes, in arrival (ticket) order.
 *
 *   0  u32  w_state    futex word, MSQ_W_*
 *   4  u32  w_role     MSQ_ROLE_*, 0 when free
 *   8  u64  w_ticket   arrival order: hand-offs go to the lowest ticket
 *  16  i64  w_msgtyp   receiver: the selector's type (made positive)
 *  24  u32  w_mode     receiver: MSQ_SEARCH_* | MSQ_NOERROR
 *  28  u32  w_msgsz    receiver: its buffer (clamped to u32)
 *  32  u32  w_msg      receiver: the descriptor handed to it
 *  36  i32  w_err      negative errno for MSQ_W_FAILED
 *  40  rec  w_proc     who waits (pid, start time)
 *  56  u32  w_need     sender: bytes it wants to queue
 *  60  u32  pad
 *  64
 */
struct msq_waiter {
	_Atomic uint32_t w_state;
	uint32_t w_role;
	uint64_t w_ticket;
	int64_t w_msgtyp;
	uint32_t w_mode;
	uint32_t w_msgsz;
	uint32_t w_msg;
	int32_t w_err;
	struct ipckit_proc_rec w_proc;
	uint32_t w_need;
	uint32_t w_pad;
};
_Static_assert(sizeof(struct msq_waiter) == 64, "msq_waiter layout");

/*
 * The queue body, at IPCKIT_BODY_OFFSET. Followed in the file by the
 * arrays at the offsets below, each derived from q_cap, q_ndesc, q_nblocks
 * and q_nwaiters and checked against that derivation on open.
 *
 *   0  u32  q_qbytes      msg_qbytes
 *   4  u32  q_qnum        msg_qnum: queued, unclaimed messages
 *   8  u64  q_cbytes      msg_cbytes: their bytes
 *  16  i32  q_lspid       msg_lspid
 *  20  i32  q_lrpid       msg_lrpid
 *  24  i64  q_stime       msg_stime
 *  32  i64  q_rtime       msg_rtime
 *  40  u32  q_cap         capacity in bytes: the largest q_qbytes allowed
 *  44  u32  q_ndesc       descriptors
 *  48  u32  q_nblocks     data blocks
 *  52  u32  q_nwaiters    waiter records (MSQ_WAITERS)
 *  56  u32  q_head        first queued descriptor, MSQ_NIL
 *  60  u32  q_tail        last queued descriptor, MSQ_NIL
 *  64  u32  q_desc_free   free descriptors, linked by d_next
 *  68  u32  q_block_free  free blocks, linked by block_next
 *  72  u32  q_nrecv       waiter records of receivers
 *  76  u32  q_nsend       waiter records of senders
 *  80  u32  q_whigh       1 + highest waiter record in use
 *  84  u32  q_claims      handed-off messages not yet taken
 *  88  u64  q_ticket      next waiter ticket (only grows)
 *  96  u64  q_desc_off    struct msq_desc[q_ndesc]
 * 104  u64  q_next_off    u32 block_next[q_nblocks]
 * 112  u64  q_block_off   u8 blocks[q_nblocks][MSQ_BLOCK]
 * 120  u64  q_waiter_off  struct msq_waiter[q_nwaiters]
 * 128
 *
 * Locking: h_lock guards everything here and in the arrays, except each
 * waiter's w_state, which its owner reads without the lock (the futex).
 */
struct msq_body {
	uint32_t q_qbytes;
	uint32_t q_qnum;
	uint64_t q_cbytes;
	int32_t q_lspid;
	int32_t q_lrpid;
	int64_t q_stime;
	int64_t q_rtime;
	uint32_t q_cap;
	uint32_t q_ndesc;
	uint32_t q_nblocks;
	uint32_t q_nwaiters;
	uint32_t q_head;
	uint32_t q_tail;
	uint32_t q_desc_free;
	uint32_t q_block_free;
	uint32_t q_nrecv;
	uint32_t q_nsend;
	uint32_t q_whigh;
	uint32_t q_claims;
	uint64_t q_ticket;
	uint64_t q_desc_off;
	uint64_t q_next_off;
	uint64_t q_block_off;
	uint64_t q_waiter_off;
};
_Static_assert(offsetof(struct msq_body, q_cap) == 40, "msq_body layout");
_Static_assert(offsetof(struct msq_body, q_ticket) == 88, "msq_body layout");
_Static_assert(sizeof(struct msq_body) == 128, "msq_body size");

/*
 * The stream lane (msg.c, "the lane"; docs/DESIGN.md section 5): a ring
 * of small messages from one process to another that both sides use
 * without h_lock. It follows the waiter records, 64-aligned: struct
 * msq_lane, then MSQ_LANE_SLOTS slots. Each of the first three lines has
 * one writer: line 0 the holder of h_lock, line 1 the producer, line 2
 * the consumer. While l_state is MSQ_LANE_OFF the lane is empty and
 * nobody but the holder of h_lock touches it.
 *
 *   0  u32  l_state     MSQ_LANE_OFF or MSQ_LANE_ON (h_lock)
 *   4  u32  l_streak    locked sends in a row by l_streak_pid
 *   8  i32  l_streak_pid
 *  12  u32  l_mig_first switching off: first descriptor of the chain that
 *                       takes the lane's messages, MSQ_NIL otherwise
 *  16  rec  l_prod      the producer
 *  32  rec  l_cons      the consumer (p_pid 0: none yet)
 *  48  u32  l_tail0     l_tail when switched on
 *  52  u32  l_head0     l_head when switched on
 *  56  u64  pad
 *  64  u32  l_tail      slots published (only grows, wraps)
 *  68  u32  l_pbusy     tid of the thread inside a producer operation
 *  72  i32  l_lspid     msg_lspid of the lane's last send
 *  76  u32  pad
 *  80  i64  l_stime     msg_stime of the lane's last send
 *  88  u64  l_pbytes    payload bytes published since switched on
 *  96  u32  l_head_seen the producer's last read of l_head
 * 100  u32  pad
 * 104  u64  l_cbytes_seen  and of l_cbytes
 * 112  u64  l_prod_thread  which thread of l_prod owns the role (an
 *                       address in it; written under h_lock while off)
 * 120  pad to 128
 * 128  u32  l_head      slots taken (only grows, wraps)
 * 132  u32  l_cbusy     tid of the thread inside a consumer operation
 * 136  i32  l_lrpid     msg_lrpid of the lane's last receive
 * 140  u32  pad
 * 144  i64  l_rtime     msg_rtime of the lane's last receive
 * 152  u64  l_cbytes    payload bytes taken since switched on
 * 160  u32  l_tail_seen the consumer's last read of l_tail
 * 164  u32  pad
 * 168  u64  l_cons_thread  which thread of l_cons owns the role (written
 *                       under h_lock when it claims it)
 * 176  pad to 192
 * 192  struct msq_lane_slot[MSQ_LANE_SLOTS]
 */
#define MSQ_LANE_SLOTS 256u /* a power of two */
#define MSQ_LANE_TEXT 112u  /* payload bytes a slot holds */
#define MSQ_LANE_OFF 0u
#define MSQ_LANE_ON 1u

/* One message in the lane, 128 bytes: s_mtype, s_size, s_text[s_size]. */
struct msq_lane_slot {
	int64_t s_mtype;
	uint32_t s_size;
	uint32_t s_pad;
	uint8_t s_text[MSQ_LANE_TEXT];
};
_Static_assert(sizeof(struct msq_lane_slot) == 128, "msq_lane_slot layout");

struct msq_lane {
	_Atomic uint32_t l_state;
	uint32_t l_streak;
	int32_t l_streak_pid;
	uint32_t l_mig_first;
	struct ipckit_proc_rec l_prod;
	struct ipckit_proc_rec l_cons;
	uint32_t l_tail0;
	uint32_t l_head0;
	uint64_t l_pad0;
	_Atomic uint32_t l_tail;
	_Atomic uint32_t l_pbusy;
	int32_t l_lspid;
	uint32_t l_pad1;
	int64_t l_stime;
	uint64_t l_pbytes;
	uint32_t l_head_seen;
	uint32_t l_pad2;
	uint64_t l_cbytes_seen;
	_Atomic uint64_t l_prod_thread;
	uint8_t l_pad3[8];
	_Atomic uint32_t l_head;
	_Atomic uint32_t l_cbusy;
	int32_t l_lrpid;
	uint32_t l_pad4;
	int64_t l_rtime;
	uint64_t l_cbytes;
	uint32_t l_tail_seen;
	uint32_t l_pad5;
	_Atomic uint64_t l_cons_thread;
	uint8_t l_pad6[16];
};
_Static_assert(offsetof(struct msq_lane, l_tail) == 64, "msq_lane layout");
_Static_assert(offsetof(struct msq_lane, l_head) == 128, "msq_lane layout");
_Static_assert(sizeof(struct msq_lane) == 192, "msq_lane size");

/* ------------------------------------------------------------------------ */
/*  Shared memory segments (shm.c)                                          */
/* ------------------------------------------------------------------------ */

/*
 * A segment's file: the control part (header, struct shm_seg, the table of
 * attached processes, zeros up to SHM_SEG_CTL_SIZE), then the data pages.
 * h_ctl_size is the offset of the data, a multiple of the page size;
 * h_size - h_ctl_size is s_segsz rounded up to whole pages.
 *
 *   0                 struct ipckit_hdr
 * 256                 struct shm_seg
 * 320                 struct shm_att[SHM_SEG_ATTS]
 * 65536 (h_ctl_size)  the data, s_data bytes, mapped only by shmat
 */
#define SHM_SEG_CTL_SIZE 65536u	/* a multiple of every page size in use */
#define SHM_SEG_ATT_OFFSET 320u
#define SHM_SEG_ATTS 2038u	/* (65536 - 320) / 32: processes attached */

/* a_flags: */
#define SHM_ATT_PENDING 1u	/* made by a forking parent for its child */

/*
 * One attached process, 32 bytes. Free when a_proc.p_pid == 0; a record
 * is filled in with p_pid stored last, so a half-written one reads as free.
 *
 *   0  rec  a_proc    the process (pid, start time); for a PENDING record
 *                     the parent that is forking
 *  16  u32  a_count   attaches it holds: its part of shm_nattch
 *  20  u32  a_busy    shmat calls of it counted in a_count whose mmap may
 *                     not have happened yet: reap leaves a live process's
 *                     record alone while this is nonzero
 *  24  u32  a_flags   SHM_ATT_*
 *  28  u32  pad
 *  32
 */
struct shm_att {
	struct ipckit_proc_rec a_proc;
	uint32_t a_count;
	uint32_t a_busy;
	uint32_t a_flags;
	uint32_t a_pad;
};
_Static_assert(sizeof(struct shm_att) == 32, "shm_att layout");

/*
 * The segment body, at IPCKIT_BODY_OFFSET.
 *
 * <segsz> <data> <atime> <dtime> <lpid> <cap> <high> <pad> <att_off> <pad>
 *
 *   0  u64  s_segsz   shm_segsz: the size asked for (>= 1)
 *   8  u64  s_data    data bytes: s_segsz rounded up to pages, and
 *                     h_size - h_ctl_size
 *  16  i64  s_atime   shm_atime, seconds since 1970 (0: never)
 *  24  i64  s_dtime   shm_dtime
 *  32  i32  s_lpid    shm_lpid (0: never attached)
 *  36  u32  s_cap     SHM_SEG_ATTS
 *  40  u32  s_high    1 + the highest record that may be in use: every
 *                     record at or above it is free (<= s_cap)
 *  44  u32  pad
 *  48  u64  s_att_off SHM_SEG_ATT_OFFSET
 *  56  u8   pad[8]
 *  64
 *
 * shm_nattch is the sum of a_count over the records, computed when needed
 * rather than stored, so no crash can leave a total that disagrees with
 * its parts. SHM_DEST and SHM_LOCKED live in h_mode, as the kernel keeps
 * them in shm_perm.mode.
 *
 * Locking: h_lock guards the body, the records and h_mode's SHM_ bits.
 * Fields fixed at creation: s_segsz, s_data, s_cap, s_att_off.
 */
struct shm_seg {
	uint64_t s_segsz;
	uint64_t s_data;
	int64_t s_atime;
	int64_t s_dtime;
	int32_t s_lpid;
	uint32_t s_cap;
	uint32_t s_high;
	uint32_t s_pad0;
	uint64_t s_att_off;
	uint8_t s_pad1[8];
};
_Static_assert(offsetof(struct shm_seg, s_lpid) == 32, "shm_seg layout");
_Static_assert(offsetof(struct shm_seg, s_att_off) == 48, "shm_seg layout");
_Static_assert(sizeof(struct shm_seg) == 64, "shm_seg size");
_Static_assert(IPCKIT_BODY_OFFSET + sizeof(struct shm_seg) ==
		       SHM_SEG_ATT_OFFSET,
	       "shm table offset");
_Static_assert(SHM_SEG_ATT_OFFSET + SHM_SEG_ATTS * sizeof(struct shm_att) <=
		       SHM_SEG_CTL_SIZE,
	       "shm control part");

/* ------------------------------------------------------------------------ */
/*  Semaphore sets (sem.c)                                                  */
/* ------------------------------------------------------------------------ */

/*
 * A set's file, every part at an offset derived from s_nsems alone (and
 * checked against that derivation on open, then kept per process in
 * o->geom):
 *
 *   0                 struct ipckit_hdr
 * 256                 struct sma_body: sizes, otime, derived counts, journal
 * 512                 struct sma_sem[nsems]: value and sempid
 *                     struct sma_scratch[nsems]: the journal's new values
 *   (64-aligned)      struct sma_waiter[SMA_WAITERS]: blocked semops
 *                     struct sma_op[SMA_POOL]: their operations
 *   (64-aligned)      struct sma_undo[sma_nundo(nsems)]: SEM_UNDO records,
 *                     each u_size bytes (64-aligned)
 *
 * About 22 KiB for one semaphore (the tables dominate), 2.5 MiB for
 * 32000 (the undo records: SMA_UNDO_BUDGET of adjustments, at least
 * SMA_UNDO_MIN records).
 */
#define SMA_NSEMS_MAX 65535u	/* sem_num is an unsigned short */
#define SMA_VMX 32767		/* SEMVMX: the largest value */
#define SMA_AEM 32767		/* SEMAEM: the largest adjustment */
#define SMA_WAITERS 128u	/* recorded waiters per set */
#define SMA_POOL 1024u		/* operations of recorded waiters, in all */
#define SMA_UNDO_MAX 128u	/* undo records, for small sets */
#define SMA_UNDO_MIN 32u	/* undo records, at least */
#define SMA_UNDO_BUDGET (1u << 20) /* bytes of adjustments, beyond the min */
#define SMA_NONE 0xffffffffu	/* no record, no entry */

/*
 * One semaphore, 8 bytes.
 *
 *   0  i32  s_val     semval, 0..SMA_VMX
 *   4  i32  s_pid     sempid: the last process to operate on it
 *   8
 */
struct sma_sem {
	int32_t s_val;
	int32_t s_pid;
};
_Static_assert(sizeof(struct sma_sem) == 8, "sma_sem layout");

/* c_flags */
#define SMA_C_ADJ 1u	/* c_adj is the new adjustment of j_undo's record */

/*
 * One line of the journal's scratch area, 8 bytes: the value a semaphore
 * will have when the journalled change is applied.
 *
 *   0  u16  c_num     semaphore index (< nsems)
 *   2  u16  c_val     its new value
 *   4  i16  c_adj     its new adjustment in record j_undo (SMA_C_ADJ)
 *   6  u16  c_flags   SMA_C_*
 *   8
 */
struct sma_scratch {
	uint16_t c_num;
	uint16_t c_val;
	int16_t c_adj;
	uint16_t c_flags;
};
_Static_assert(sizeof(struct sma_scratch) == 8, "sma_scratch layout");

/*
 * One operation of a recorded waiter, 6 bytes: struct sembuf's fields.
 *
 *   0  u16  o_num     sem_num
 *   2  i16  o_op      sem_op
 *   4  i16  o_flg     sem_flg (IPC_NOWAIT, SEM_UNDO)
 *   6
 */
struct sma_op {
	uint16_t o_num;
	int16_t o_op;
	int16_t o_flg;
};
_Static_assert(sizeof(struct sma_op) == 6, "sma_op layout");

/* w_state, a futex word of one waiter (its owner reads it unlocked): */
#define SMA_W_FREE 0u	/* slot unused */
#define SMA_W_SPIN 1u	/* waiting, spinning: no wake needed */
#define SMA_W_SLEEP 2u	/* waiting, in futex_wait (or about to): wake it */
#define SMA_W_DONE 3u	/* finished by another process: w_result says how */
/* w_flags */
#define SMA_WF_ALTER 1u	/* some operation has sem_op != 0 */

/*
 * A blocked semop, 64 bytes (its own cache line: the futex word of a
 * waiter is written by one peer and spun on by another). Its operations
 * are w_nsops entries of the pool from w_ops.
 *
 *   0  u32  w_state   futex word, SMA_W_*
 *   4  i32  w_result  0 or a negative errno, valid once SMA_W_DONE
 *   8  rec  w_proc    who waits (pid, start time)
 *  24  u32  w_seq     arrival order (wraps; compared as a difference)
 *  28  u32  w_gen     changes each time the slot is taken
 *  32  u16  w_ops     first operation in the pool
 *  34  u16  w_nsops   number of operations (>= 1)
 *  36  u32  w_undo    the process's undo record, or SMA_NONE
 *  40  u16  w_block   index of the operation that blocks it (GETNCNT,
 *                     GETZCNT count it on that one, as the kernel does)
 *  42  u16  w_flags   SMA_WF_*
 *  44  i32  w_waker   pid of the process that finished it
 *  48  u8   pad[16]
 *  64
 */
struct sma_waiter {
	_Atomic uint32_t w_state;
	int32_t w_result;
	struct ipckit_proc_rec w_proc;
	uint32_t w_seq;
	uint32_t w_gen;
	uint16_t w_ops;
	uint16_t w_nsops;
	uint32_t w_undo;
	uint16_t w_block;
	uint16_t w_flags;
	int32_t w_waker;
	uint8_t w_pad[16];
};
_Static_assert(offsetof(struct sma_waiter, w_proc) == 8, "sma_waiter layout");
_Static_assert(offsetof(struct sma_waiter, w_ops) == 32, "sma_waiter layout");
_Static_assert(offsetof(struct sma_waiter, w_waker) == 44, "sma_waiter layout");
_Static_assert(sizeof(struct sma_waiter) == 64, "sma_waiter size");

/* u_state */
#define SMA_U_FREE 0u
#define SMA_U_USED 1u

/*
 * A process's SEM_UNDO record for this set, u_size bytes: a 32-byte head
 * and one adjustment per semaphore. The record belongs to the process
 * (pid and start time), so its threads share it, a forked child (another
 * pid) does not see it, and exec (same pid and start time) keeps it.
 *
 *   0  u32  u_state   SMA_U_*; USED is stored last when a record is taken
 *   4  u32  pad
 *   8  rec  u_proc    the owner
 *  24  u64  pad
 *  32  i16  u_adj[nsems]  semadj, -SMA_AEM-1..SMA_AEM
 */
struct sma_undo {
	_Atomic uint32_t u_state;
	uint32_t u_pad0;
	struct ipckit_proc_rec u_proc;
	uint64_t u_pad1;
	int16_t u_adj[];
};
_Static_assert(offsetof(struct sma_undo, u_adj) == 32, "sma_undo layout");

/* j_state */
#define SMA_J_IDLE 0u
#define SMA_J_COMMITTED 1u	/* the scratch area is complete: redo it */
/* j_kind: what applying the journal does besides writing the values */
#define SMA_J_SEMOP 1u		/* otime; finishes waiter j_entry if any */
#define SMA_J_SETVAL 2u		/* ctime; clears its semaphore's adjustments */
#define SMA_J_SETALL 3u		/* ctime; clears every adjustment */
#define SMA_J_UNDO 4u		/* otime; frees undo record j_undo */
#define SMA_J_ROLLBACK 5u	/* frees waiter j_entry (its owner died) */

/*
 * The set's body, 256 bytes at IPCKIT_BODY_OFFSET.
 *
 *   0  u32  s_nsems     semaphores, 1..SMA_NSEMS_MAX
 *   4  u32  s_nwait     SMA_WAITERS
 *   8  u32  s_npool     SMA_POOL
 *  12  u32  s_nundo     undo records (sma_nundo(nsems))
 *  16  u32  s_usize     bytes per undo record
 *  20  u32  pad
 *  24  u64  s_sem_off   struct sma_sem[nsems]
 *  32  u64  s_scr_off   struct sma_scratch[nsems]
 *  40  u64  s_wait_off  struct sma_waiter[s_nwait]
 *  48  u64  s_pool_off  struct sma_op[s_npool]
 *  56  u64  s_undo_off  undo records
 *  64  i64  s_otime     sem_otime
 *  72  u32  s_wcount    waiters in SPIN or SLEEP (derived)
 *  76  u32  s_ucount    undo records in use (derived)
 *  80  u32  s_unrec     unrecorded waiters (the table was full)
 *  84  u32  s_seq       next arrival number
 *  88  u32  s_gen       next waiter generation
 *  92  u32  s_whigh     waiter slots from here on are free (derived; an
 *                       upper bound, raised before a slot is taken)
 *  96  u32  s_uhigh     undo records from here on are free (the same)
 * 100  u8   pad[28]
 * 128  u32  s_event     futex word of unrecorded waiters: bumped by every
 *                       change while s_unrec > 0
 * 132  u8   pad[60]
 * 192  u32  j_state     SMA_J_*: the journal (sem.c, "Crash safety")
 * 196  u32  j_kind      SMA_J_SEMOP...
 * 200  u32  j_count     lines of the scratch area in use
 * 204  i32  j_pid       the sempid the change writes
 * 208  u32  j_undo      undo record it changes, or SMA_NONE
 * 212  u32  j_entry     waiter it finishes, or SMA_NONE
 * 216  i64  j_time      the otime or ctime it writes
 * 224  u8   pad[32]
 * 256
 *
 * Locking: h_lock guards all of the file past the header, except that a
 * waiter's owner reads its w_state and w_result without it and stores
 * SMA_W_DONE -> SMA_W_FREE (the acknowledgement) and SMA_W_SPIN ->
 * SMA_W_SLEEP without it; and that s_event is a futex word.
 */
struct sma_body {
	uint32_t s_nsems;
	uint32_t s_nwait;
	uint32_t s_npool;
	uint32_t s_nundo;
	uint32_t s_usize;
	uint32_t s_pad0;
	uint64_t s_sem_off;
	uint64_t s_scr_off;
	uint64_t s_wait_off;
	uint64_t s_pool_off;
	uint64_t s_undo_off;
	int64_t s_otime;
	uint32_t s_wcount;
	uint32_t s_ucount;
	uint32_t s_unrec;
	uint32_t s_seq;
	uint32_t s_gen;
	uint32_t s_whigh;
	uint32_t s_uhigh;
	uint8_t s_pad1[28];
	_Atomic uint32_t s_event;
	uint8_t s_pad2[60];
	_Atomic uint32_t j_state;
	uint32_t j_kind;
	uint32_t j_count;
	int32_t j_pid;
	uint32_t j_undo;
	uint32_t j_entry;
	int64_t j_time;
	uint8_t j_pad[32];
};
_Static_assert(offsetof(struct sma_body, s_sem_off) == 24, "sma_body layout");
_Static_assert(offsetof(struct sma_body, s_otime) == 64, "sma_body layout");
_Static_assert(offsetof(struct sma_body, s_event) == 128, "sma_body layout");
_Static_assert(offsetof(struct sma_body, j_state) == 192, "sma_body layout");
_Static_assert(offsetof(struct sma_body, j_time) == 216, "sma_body layout");
_Static_assert(sizeof(struct sma_body) == 256, "sma_body size");

#endif /* IPCKIT_LAYOUT_H */
