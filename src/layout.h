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

#endif /* IPCKIT_LAYOUT_H */
