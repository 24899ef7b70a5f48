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
#define IPCKIT_LAYOUT_VERSION 1u

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
 *  24  u32  h_removed  futex word: 0 live, 1 removed (IPC_RMID or declared
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
#define MSQ_ROLE_RECV 1u
#define MSQ_ROLE_SEND 2u

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

#endif /* IPCKIT_LAYOUT_H */
