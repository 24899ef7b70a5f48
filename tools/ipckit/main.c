/*
 * main.c - the ipckit command: global options, dispatch to the
 * subcommands (one file each), and the help text of every subcommand
 * (`ipckit --help`, `ipckit help SUB`, `ipckit SUB --help`).
 */
#include "cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VERSION "0.1.0"

struct subcmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
	const char *help;
};

static const struct subcmd subcmds[] = {
    {"ls", cmd_ls, "list IPC objects: ipckit's, the kernel's, POSIX",
     "Usage: ipckit ls [options]\n"
     "\n"
     "Lists every IPC object on the machine in one table: ipckit's own\n"
     "(in the namespace directory), the kernel's System V objects (from\n"
     "/proc/sysvipc) and POSIX message queues, named semaphores and\n"
     "shared memory (/dev/mqueue, /dev/shm). Reads only: nothing is\n"
     "reaped or changed. Counts of waiters and attachments leave out\n"
     "processes that have died (`ipckit stat` lists them).\n"
     "\n"
     "Options:\n"
     "  -q, --queues        message queues only (as ipcs)\n"
     "  -s, --semaphores    semaphore sets only\n"
     "  -m, --shmems        shared memory only\n"
     "  -a, --all           all kinds (default)\n"
     "  -c, --creator       ipcs's creator/owner table, per kind\n"
     "  -p, --pid           ipcs's creator and last-operation pids\n"
     "  -t, --time          ipcs's times table\n"
     "  -l, --limits        the limits, of the kernel and of ipckit\n"
     "  -u, --summary       ipcs's status summary, per source\n"
     "  -i, --id ID         everything about one object (with -q, -s or\n"
     "                      -m), as `ipckit stat`\n"
     "      --kind KIND     msg, sem or shm (a comma list)\n"
     "      --source SRC    ipckit, kernel or posix (a comma list)\n"
     "      --owner USER    objects owned by USER (a name or uid)\n"
     "      --dir DIR       the ipckit namespace (default $IPCKIT_DIR,\n"
     "                      else /dev/shm/ipckit)\n"
     "      --json          the same as a JSON array\n"
     "\n"
     "Columns: SOURCE, KIND, KEY (or a POSIX name), ID, OWNER, PERMS,\n"
     "BYTES (queued bytes, segment size), MSGS, NATTCH, NSEMS, STATUS\n"
     "(dest, locked; for ipckit files also damaged, unknown version, no\n"
     "access, creating, stillborn, removed).\n"},
    {"stat", cmd_stat, "everything known about one object",
     "Usage: ipckit stat [-q|-s|-m] [--kernel] [--json] ID|KEY|PATH:PROJ\n"
     "       ipckit stat --posix [--json] /NAME\n"
     "\n"
     "Shows one object: its header, and for a queue its messages per\n"
     "type and the processes blocked sending and receiving; for a\n"
     "semaphore set each value, ncnt, zcnt and pid and the pending undo\n"
     "adjustments per process; for a segment the attached processes.\n"
     "Processes that have died but still hold something are marked\n"
     "(dead): `ipckit gc` gives back what they hold. Without -q, -s or -m\n"
     "the id is looked up in every kind and must be unambiguous.\n"
     "\n"
     "Options:\n"
     "  -q, -s, -m          the kind: queue, semaphore set, segment\n"
     "      --kernel        a kernel System V object\n"
     "      --posix         a POSIX object, by name\n"
     "      --dir DIR       the ipckit namespace\n"
     "      --json          as JSON\n"},
    {"rm", cmd_rm, "remove objects (ipcrm's options)",
     "Usage: ipckit rm [options]\n"
     "       ipckit rm msg|sem|shm ID...\n"
     "\n"
     "Removes ipckit objects (with --kernel, the kernel's), as ipcrm.\n"
     "A segment still attached is removed after its last detach.\n"
     "\n"
     "Options:\n"
     "  -q, --queue-id ID          remove the message queue ID\n"
     "  -Q, --queue-key KEY        remove the message queue with KEY\n"
     "  -s, --semaphore-id ID      remove the semaphore set ID\n"
     "  -S, --semaphore-key KEY    remove the semaphore set with KEY\n"
     "  -m, --shmem-id ID          remove the segment ID\n"
     "  -M, --shmem-key KEY        remove the segment with KEY\n"
     "  -a, --all[=msg|sem|shm]    remove all (of one kind); asks first\n"
     "                             on a terminal\n"
     "      --damaged              unlink the files ls lists as damaged\n"
     "                             (no call can remove them); asks first\n"
     "                             on a terminal\n"
     "  -y, --yes                  do not ask\n"
     "      --kernel               act on the kernel's objects\n"
     "  -v, --verbose              say what is removed\n"
     "      --dir DIR              the ipckit namespace\n"
     "\n"
     "KEY is a number (0x... hex, 0... octal, decimal) or PATH:PROJ.\n"},
    {"mk", cmd_mk, "create objects (ipcmk's options), print their ids",
     "Usage: ipckit mk [options]\n"
     "\n"
     "Creates objects and prints each id on its own line (shared memory,\n"
     "then queue, then semaphores, as ipcmk orders them).\n"
     "\n"
     "Options:\n"
     "  -M, --shmem SIZE       a segment of SIZE bytes (K, KiB, KB, M...)\n"
     "  -Q, --queue            a message queue\n"
     "  -S, --semaphore N      a set of N semaphores\n"
     "  -p, --mode MODE        permissions, octal (default 0644)\n"
     "  -k, --key KEY          the key (a number or PATH:PROJ); fails if\n"
     "                         it exists. Default: IPC_PRIVATE (ipcmk\n"
     "                         picks a random key instead)\n"
     "      --kernel           create kernel objects\n"
     "      --dir DIR          the ipckit namespace\n"},
    {"send", cmd_send, "send messages to a queue",
     "Usage: ipckit send [options] QUEUE [DATA...]\n"
     "\n"
     "Sends each DATA argument as one message; without DATA, reads\n"
     "standard input: one message per line (the newline removed), or the\n"
     "whole input as one message with --whole (bytes as they are,\n"
     "binary included). QUEUE is an id, a key (0x...) or PATH:PROJ.\n"
     "\n"
     "Options:\n"
     "  -t, --type N        the message type (default 1)\n"
     "  -w, --whole, --raw  standard input as one message\n"
     "  -n, --nowait        fail instead of waiting while the queue is full\n"
     "      --timeout T     wait at most T seconds per message\n"
     "      --kernel        a kernel queue\n"
     "      --dir DIR       the ipckit namespace\n"},
    {"recv", cmd_recv, "receive messages from a queue",
     "Usage: ipckit recv [options] QUEUE\n"
     "\n"
     "Receives messages and writes them to standard output, each followed\n"
     "by a newline, or as raw bytes with --raw. Waits for a message\n"
     "unless --nowait or --timeout.\n"
     "\n"
     "Options:\n"
     "  -t, --type N        only messages of type N\n"
     "  -e, --except N      any message not of type N (MSG_EXCEPT)\n"
     "  -x, --max N         the lowest type <= N first (msgtyp -N)\n"
     "  -c, --count N       receive N messages (default 1); 0: every one\n"
     "                      there is (with --nowait) or until the timeout\n"
     "  -n, --nowait        fail at once when no message is there\n"
     "      --timeout T     wait at most T seconds per message\n"
     "  -r, --raw           write the bytes only, no newline\n"
     "  -T, --show-type     write \"TYPE<tab>\" before each message\n"
     "      --noerror       truncate long messages (MSG_NOERROR)\n"
     "      --kernel        a kernel queue\n"
     "      --dir DIR       the ipckit namespace\n"
     "\n"
     "Exit status: 0 when the messages asked for came, 1 otherwise.\n"},
    {"sem", cmd_sem, "operate on a semaphore set",
     "Usage: ipckit sem [options] SET get [NUM]\n"
     "       ipckit sem [options] SET set NUM=VALUE...\n"
     "       ipckit sem [options] SET set VALUE...  (every semaphore)\n"
     "       ipckit sem [options] SET op NUM:DELTA[:FLAGS]... [-- COMMAND]\n"
     "\n"
     "get prints the values (all, or semaphore NUM); set changes them\n"
     "(SETVAL, or SETALL with one value per semaphore); op performs the\n"
     "operations in one semop: DELTA +N adds, -N waits to take N, 0 waits\n"
     "for zero; FLAGS n (IPC_NOWAIT), u (SEM_UNDO). With -- COMMAND, op\n"
     "then runs COMMAND and exits with its status; SEM_UNDO adjustments\n"
     "are given back when it ends, so `op 0:-1:u -- COMMAND` runs COMMAND\n"
     "as a critical section (as flock(1) does). SET is an id, a key\n"
     "(0x...) or PATH:PROJ.\n"
     "\n"
     "Options:\n"
     "  -n, --nowait        IPC_NOWAIT on every operation\n"
     "      --timeout T     give up after T seconds (semtimedop)\n"
     "      --kernel        a kernel set\n"
     "      --dir DIR       the ipckit namespace\n"},
    {"shm", cmd_shm, "read or write a shared memory segment",
     "Usage: ipckit shm [options] cat SEGMENT\n"
     "       ipckit shm [options] write SEGMENT < DATA\n"
     "\n"
     "cat writes the segment's bytes to standard output; write copies\n"
     "standard input into it (the rest is left as it was). Both attach\n"
     "the segment for the copy, as any reader or writer would.\n"
     "\n"
     "Options:\n"
     "  -o, --offset N      start at byte N\n"
     "  -l, --length N      at most N bytes (cat)\n"
     "      --kernel        a kernel segment\n"
     "      --dir DIR       the ipckit namespace\n"},
    {"gc", cmd_gc, "give back what dead processes left",
     "Usage: ipckit gc [--dry-run] [--dir DIR]\n"
     "\n"
     "Reaps the namespace: semaphore undo and attachments of dead\n"
     "processes, messages handed to dead receivers, removed segments with\n"
     "no attachment left, half-made objects of killed creators. Prints\n"
     "one line per action. --dry-run prints what would be done.\n"},
    {"top", cmd_top, "a live view of the objects",
     "Usage: ipckit top [options]\n"
     "\n"
     "Shows the objects and refreshes: queue depth, bytes, and the send\n"
     "and receive rates seen between samples (IN/s, OUT/s: the queue's\n"
     "growth and shrinkage, so traffic that comes and goes between two\n"
     "samples is not seen), blocked senders and receivers, attachments.\n"
     "Keys: q quits, space refreshes now.\n"
     "\n"
     "Options:\n"
     "  -d, --interval T    seconds between refreshes (default 1)\n"
     "  -n, --iterations N  stop after N refreshes\n"
     "      --kind KIND     msg, sem, shm\n"
     "      --source SRC    ipckit, kernel (default both)\n"
     "      --dir DIR       the ipckit namespace\n"},
    {"preload", cmd_preload, "tell whether a process has the preload",
     "Usage: ipckit preload [-q] PID...\n"
     "\n"
     "Tells whether each process has libipckit-preload.so loaded (its\n"
     "System V calls go to ipckit), from /proc/PID/maps. Exit status 0\n"
     "when every one has it, 1 when one has not or cannot be read.\n"
     "\n"
     "Options:\n"
     "  -q, --quiet         print nothing; the exit status tells\n"},
    {"bench", cmd_bench, "the benchmark (see `ipckit bench --help`)",
     "Usage: ipckit bench [options]\n"
     "\n"
     "Runs the benchmark; `ipckit bench --help` lists its options.\n"},
};

#define NSUBCMDS (sizeof(subcmds) / sizeof(subcmds[0]))

static const struct subcmd *find(const char *name)
{
	static const struct {
		const char *alias, *name;
	} aliases[] = {{"list", "ls"},
		       {"remove", "rm"},
		       {"make", "mk"},
		       {"receive", "recv"},
		       {"show", "stat"}};
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcmp(name, aliases[i].alias))
			name = aliases[i].name;
	for (size_t i = 0; i < NSUBCMDS; i++)
		if (!strcmp(name, subcmds[i].name))
			return &subcmds[i];
	return NULL;
}

bool help_print(const char *sub, FILE *out)
{
	if (sub) {
		const struct subcmd *c = find(sub);
		if (!c)
			return false;
		fputs(c->help, out);
		return true;
	}
	fprintf(out,
		"Usage: ipckit [--dir DIR] SUBCOMMAND [options] [args]\n"
		"\n"
		"System V IPC in user space: one view of every IPC object on "
		"the machine.\n"
		"\n"
		"Subcommands:\n");
	for (size_t i = 0; i < NSUBCMDS; i++)
		fprintf(out, "  %-9s %s\n", subcmds[i].name,
			subcmds[i].summary);
	fprintf(out,
		"  %-9s %s\n"
		"\n"
		"Global options:\n"
		"  --dir DIR      the ipckit namespace (default $IPCKIT_DIR, "
		"else\n"
		"                 /dev/shm/ipckit)\n"
		"  -h, --help     this help; `ipckit help SUBCOMMAND` for one\n"
		"  -V, --version  the version\n"
		"\n"
		"Errors print one line and exit 1; usage errors exit 2. See "
		"ipckit(1).\n",
		"help", "help on a subcommand");
	return true;
}

static int cmd_help(int argc, char **argv)
{
	if (argc > 2)
		usage_fail("one subcommand at a time");
	if (!help_print(argc == 2 ? argv[1] : NULL, stdout))
		usage_fail("no subcommand '%s'", argv[1]);
	return 0;
}

/* `SUB --help` or `SUB -h` before any "--": the help, not the command. */
static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return false;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	}
	return false;
}

int main(int argc, char **argv)
{
	int i = 1;
	opterr = 0; /* the subcommands report bad options in one line */
	while (i < argc && argv[i][0] == '-') {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			help_print(NULL, stdout);
			return 0;
		}
		if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			printf("ipckit %s\n", VERSION);
			return 0;
		}
		if (!strcmp(a, "--dir")) {
			if (i + 1 >= argc)
				usage_fail("--dir needs a directory");
			set_dir(argv[i + 1]);
			i += 2;
		} else if (!strncmp(a, "--dir=", 6)) {
			set_dir(a + 6);
			i++;
		} else {
			usage_fail("unknown option '%s'", a);
		}
	}
	if (i >= argc) {
		help_print(NULL, stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[i], "help"))
		return cmd_help(argc - i, argv + i);
	const struct subcmd *c = find(argv[i]);
	if (!c)
		usage_fail("no subcommand '%s'", argv[i]);
	cmd_name = c->name;
	/* The benchmark has its own help. */
	if (c->fn != cmd_bench && wants_help(argc - i, argv + i)) {
		fputs(c->help, stdout);
		return 0;
	}
	return c->fn(argc - i, argv + i);
}
