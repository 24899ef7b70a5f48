# preload-perl.pl - drives Perl's core IPC::Msg, IPC::Semaphore and
# IPC::SharedMem (and the builtins under them) with assertions. Run by
# preload-perl.sh under the preload library: every object must appear in
# IPCKIT_DIR and in none of the kernel's tables (what ipcs reads).
#
# usage: perl preload-perl.pl KEY   (KEY, KEY+1, KEY+2 are used)
use strict;
use warnings;
use Errno qw(EAGAIN ENOENT EIDRM EINVAL);
use IPC::SysV qw(IPC_PRIVATE IPC_CREAT IPC_EXCL IPC_NOWAIT IPC_RMID
		 GETVAL SETVAL S_IRUSR S_IWUSR);
use POSIX ();
use IPC::Msg;
use IPC::Semaphore;
use IPC::SharedMem;

my $key = $ARGV[0] or die "usage: $0 KEY\n";
my $dir = $ENV{IPCKIT_DIR} or die "IPCKIT_DIR is not set\n";
my $checks = 0;

sub ok {
	my ($cond, $what) = @_;
	$checks++;
	return if $cond;
	my (undef, $file, $line) = caller;
	print STDERR "FAIL $file:$line: $what", ($! ? " (errno: $!)" : ""),
	    "\n";
	exit 1;
}

# In the namespace directory, and not in the kernel's table nor in ipcs.
sub placed {
	my ($kind, $k) = @_;
	my $name = sprintf("%s/%s.key.%08x", $dir, $kind, $k);
	ok(-e $name, "$kind object with key $k in IPCKIT_DIR ($name)");
	open(my $fh, '<', "/proc/sysvipc/$kind") or die "/proc/sysvipc: $!";
	my @keys = map { (split ' ')[0] } <$fh>;
	close $fh;
	ok(!grep({ $_ eq $k } @keys), "$kind key $k not in the kernel");
	my %opt = (msg => '-q', sem => '-s', shm => '-m');
	my $ipcs = `env -u LD_PRELOAD ipcs $opt{$kind}`;
	ok($? == 0, "ipcs ran");
	my $hex = sprintf("0x%08x", $k);
	ok($ipcs !~ /\Q$hex\E/i, "$kind key $hex not in ipcs");
}

my $rw = S_IRUSR | S_IWUSR;

# ---- IPC::Msg -------------------------------------------------------------
{
	my $k = $key;
	my $q = IPC::Msg->new($k, $rw | IPC_CREAT | IPC_EXCL);
	ok($q, "IPC::Msg->new");
	placed('msg', $k);
	ok(!defined IPC::Msg->new($k, $rw | IPC_CREAT | IPC_EXCL) &&
	   $!{EEXIST}, "a second exclusive create fails with EEXIST");
	ok(msgget($k, 0) == $q->id, "msgget by key finds the queue");

	ok($q->snd(1, "first"), "snd type 1");
	ok($q->snd(2, "second"), "snd type 2");
	ok($q->snd(1, "third"), "snd type 1 again");
	my $st = $q->stat;
	ok($st && $st->qnum == 3, "stat: 3 messages");
	ok($st->uid == $> && $st->cuid == $>, "stat: owner is us");
	ok(($st->mode & 0777) == 0600, "stat: mode 0600");
	ok($st->lspid == $$, "stat: lspid");

	my $buf;
	ok($q->rcv($buf, 64, 2) && $buf eq "second", "rcv type 2 first");
	ok($q->rcv($buf, 64, -1) && $buf eq "first", "rcv type <= 1");
	ok(!defined $q->rcv($buf, 2, 0, IPC_NOWAIT) && $!{E2BIG},
	   "rcv into a short buffer: E2BIG");
	ok($q->rcv($buf, 64) && $buf eq "third", "rcv any");
	ok(!defined $q->rcv($buf, 64, 0, IPC_NOWAIT) && $!{ENOMSG},
	   "rcv on an empty queue with IPC_NOWAIT: ENOMSG");

	ok($q->set(qbytes => 64, mode => 0640), "set qbytes and mode");
	$st = $q->stat;
	ok($st->qbytes == 64 && ($st->mode & 0777) == 0640, "set took");
	ok($q->snd(1, "x" x 64, IPC_NOWAIT), "snd 64 bytes");
	ok(!$q->snd(1, "y", IPC_NOWAIT) && $!{EAGAIN}, "full queue: EAGAIN");

	# A forked child finds it by key; the parent receives.
	$q->rcv($buf, 64);
	my $pid = fork() // die "fork: $!";
	if ($pid == 0) {
		my $c = IPC::Msg->new($k, 0) or POSIX::_exit(2);
		POSIX::_exit($c->snd(7, "from child $$") ? 0 : 3);
	}
	waitpid($pid, 0);
	ok($? == 0, "child sent");
	ok($q->rcv($buf, 64, 7) && $buf eq "from child $pid", "got it");

	ok($q->remove, "remove");
	ok(!-e sprintf("%s/msg.key.%08x", $dir, $k), "key gone from dir");
	ok(!defined msgget($k, 0) && $!{ENOENT}, "msgget after remove: ENOENT");
	ok(!$q->snd(1, "late", IPC_NOWAIT) && ($!{EINVAL} || $!{EIDRM}),
	   "snd after remove fails");
}

# ---- IPC::Semaphore -------------------------------------------------------
{
	my $k = $key + 1;
	my $s = IPC::Semaphore->new($k, 3, $rw | IPC_CREAT | IPC_EXCL);
	ok($s, "IPC::Semaphore->new");
	placed('sem', $k);
	my @v = $s->getall;
	ok("@v" eq "0 0 0", "new set is zeroed: @v");
	ok($s->setall(1, 2, 3), "setall");
	@v = $s->getall;
	ok("@v" eq "1 2 3", "getall after setall: @v");
	ok($s->setval(0, 5), "setval");
	ok($s->getval(0) == 5, "getval");

	ok($s->op(0, -2, 0, 1, -2, 0), "op: two decrements at once");
	@v = $s->getall;
	ok("@v" eq "3 0 3", "after op: @v");
	ok(!$s->op(1, -1, IPC_NOWAIT) && $!{EAGAIN}, "would block: EAGAIN");
	ok(!$s->op(0, -1, 0, 1, -1, IPC_NOWAIT) && $!{EAGAIN},
	   "all or nothing: EAGAIN");
	ok($s->getval(0) == 3, "nothing applied");
	ok($s->getpid(0) == $$, "getpid: the last op was ours");

	my $st = $s->stat;
	ok($st && $st->nsems == 3, "stat: nsems");
	ok($st->uid == $> && ($st->mode & 0777) == 0600, "stat: owner, mode");
	ok(defined $s->set(mode => 0660), "set mode");
	ok(($s->stat->mode & 0777) == 0660, "mode changed");

	# A child blocks on semaphore 1; the parent releases it.
	my $pid = fork() // die "fork: $!";
	if ($pid == 0) {
		my $c = IPC::Semaphore->new($k, 0, 0) or POSIX::_exit(2);
		POSIX::_exit($c->op(1, -1, 0) ? 0 : 3);
	}
	my $waited = 0;
	while ($s->getncnt(1) != 1) {
		select(undef, undef, undef, 0.001);
		die "FAIL: the child never blocked\n" if ++$waited > 10000;
	}
	ok($s->op(1, 1, 0), "release");
	waitpid($pid, 0);
	ok($? == 0, "the child got the semaphore");
	ok($s->getval(1) == 0 && $s->getncnt(1) == 0, "taken, no waiter");

	ok($s->remove, "remove");
	ok(!defined semget($k, 0, 0) && $!{ENOENT}, "semget after remove");
}

# ---- IPC::SharedMem and shmread/shmwrite ---------------------------------
{
	my $k = $key + 2;
	my $m = IPC::SharedMem->new($k, 8192, $rw | IPC_CREAT | IPC_EXCL);
	ok($m, "IPC::SharedMem->new");
	placed('shm', $k);
	ok($m->write("hello, ipckit", 100, 13), "write");
	ok($m->read(100, 13) eq "hello, ipckit", "read");
	my $st = $m->stat;
	ok($st && $st->segsz == 8192, "stat: segsz");
	ok($st->nattch == 0, "stat: not attached");
	ok($st->cpid == $$, "stat: cpid");

	ok($m->attach, "attach");
	ok($m->stat->nattch == 1, "attached once");
	ok($m->read(100, 5) eq "hello", "read while attached");

	my $pid = fork() // die "fork: $!";
	if ($pid == 0) {
		my $id = shmget($k, 0, 0) // POSIX::_exit(2);
		POSIX::_exit(shmwrite($id, "child", 200, 5) ? 0 : 3);
	}
	waitpid($pid, 0);
	ok($? == 0, "child wrote");
	ok($m->read(200, 5) eq "child", "the parent sees it");

	ok($m->detach, "detach");
	ok($m->stat->nattch == 0, "detached");
	ok($m->remove, "remove");
	ok(!defined shmget($k, 0, 0) && $!{ENOENT}, "shmget after remove");
}

print "ok: $checks checks\n";
