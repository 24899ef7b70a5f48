# preload-python.py - drives Python's sysv_ipc module (Debian's
# python3-sysv-ipc, for /usr/bin/python3) with assertions. Run by
# preload-python.sh under the preload library: every object must appear in
# IPCKIT_DIR and in none of the kernel's tables (what ipcs reads).
#
# usage: /usr/bin/python3 preload-python.py KEY   (KEY..KEY+2 are used)
import os
import subprocess
import sys
import time

import sysv_ipc

key = int(sys.argv[1])
ipc_dir = os.environ["IPCKIT_DIR"]
checks = 0


def ok(cond, what):
    global checks
    checks += 1
    if not cond:
        line = sys._getframe(1).f_lineno
        sys.stderr.write("FAIL preload-python.py:%d: %s\n" % (line, what))
        sys.exit(1)


def raises(exc, fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except exc:
        return True
    return False


def placed(kind, k):
    """In the namespace directory; not in the kernel's table nor ipcs."""
    name = "%s/%s.key.%08x" % (ipc_dir, kind, k)
    ok(os.path.exists(name), "%s key %d in IPCKIT_DIR (%s)" % (kind, k, name))
    with open("/proc/sysvipc/" + kind) as f:
        keys = [line.split()[0] for line in f.readlines()[1:]]
    ok(str(k) not in keys, "%s key %d not in the kernel" % (kind, k))
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)
    opt = {"msg": "-q", "sem": "-s", "shm": "-m"}[kind]
    out = subprocess.run(["ipcs", opt], env=env, check=True,
                         capture_output=True, text=True).stdout
    ok(("0x%08x" % k) not in out.lower(), "%s key %d not in ipcs" % (kind, k))


def wait_for(cond, what):
    for _ in range(10000):
        if cond():
            return
        time.sleep(0.001)
    ok(False, what)


# ---- message queues ---------------------------------------------------------
k = key
q = sysv_ipc.MessageQueue(k, sysv_ipc.IPC_CREX, mode=0o600)
placed("msg", k)
ok(raises(sysv_ipc.ExistentialError, sysv_ipc.MessageQueue, k,
          sysv_ipc.IPC_CREX), "a second exclusive create: EEXIST")
ok(sysv_ipc.MessageQueue(k).id == q.id, "opened by key: same id")
q.send(b"first", type=1)
q.send(b"second", type=2)
q.send("third", type=1)
ok(q.current_messages == 3, "3 messages queued")
ok(q.last_send_pid == os.getpid(), "lspid is us")
ok(q.uid == os.geteuid() and q.cuid == os.geteuid(), "owner is us")
ok(q.mode & 0o777 == 0o600, "mode 0600")
ok(q.receive(type=2) == (b"second", 2), "receive type 2")
ok(q.receive(type=-1) == (b"first", 1), "receive type <= 1")
ok(q.receive() == (b"third", 1), "receive any")
ok(raises(sysv_ipc.BusyError, q.receive, block=False),
   "empty queue, no wait: ENOMSG as BusyError")
q.max_size = 16
ok(q.max_size == 16, "msg_qbytes set")
q.send(b"x" * 16, block=False)
ok(raises(sysv_ipc.BusyError, q.send, b"y", block=False),
   "full queue: EAGAIN as BusyError")
ok(q.receive() == (b"x" * 16, 1), "drained")

pid = os.fork()
if pid == 0:
    try:
        sysv_ipc.MessageQueue(k).send(b"from child %d" % os.getpid(), type=7)
        os._exit(0)
    except BaseException:
        os._exit(3)
ok(os.waitpid(pid, 0)[1] == 0, "child sent")
ok(q.receive(type=7) == (b"from child %d" % pid, 7), "got the child's")

q.remove()
ok(not os.path.exists("%s/msg.key.%08x" % (ipc_dir, k)), "key file gone")
ok(raises(sysv_ipc.ExistentialError, sysv_ipc.MessageQueue, k),
   "open after remove: ENOENT")

# ---- semaphores (semop, semtimedop, semctl) -------------------------------
k = key + 1
s = sysv_ipc.Semaphore(k, sysv_ipc.IPC_CREX, mode=0o600, initial_value=2)
placed("sem", k)
ok(s.value == 2, "initial value")
s.acquire()
s.acquire()
ok(s.value == 0, "acquired twice")
s.block = False
ok(raises(sysv_ipc.BusyError, s.acquire), "no wait: EAGAIN as BusyError")
s.block = True
t0 = time.monotonic()
ok(raises(sysv_ipc.BusyError, s.acquire, timeout=0.2),
   "semtimedop times out")
ok(time.monotonic() - t0 >= 0.19, "after the timeout")
s.release(3)
ok(s.value == 3, "released 3")
s.value = 0
ok(s.value == 0 and s.last_pid == os.getpid(), "SETVAL, GETVAL, GETPID")

pid = os.fork()
if pid == 0:
    try:
        sysv_ipc.Semaphore(k).acquire(timeout=60)
        os._exit(0)
    except BaseException:
        os._exit(3)
wait_for(lambda: s.waiting_for_nonzero == 1, "the child never blocked")
s.release()
ok(os.waitpid(pid, 0)[1] == 0, "the child got the semaphore")
ok(s.value == 0 and s.waiting_for_nonzero == 0, "taken, no waiter")

# SEM_UNDO: a child's adjustment is given back when it exits.
s.value = 1
pid = os.fork()
if pid == 0:
    c = sysv_ipc.Semaphore(k)
    c.undo = True
    c.acquire()
    os._exit(0 if c.value == 0 else 3)
ok(os.waitpid(pid, 0)[1] == 0, "child acquired with SEM_UNDO")
ok(s.value == 1, "undone at the child's exit")

s.remove()
ok(raises(sysv_ipc.ExistentialError, sysv_ipc.Semaphore, k),
   "open after remove: ENOENT")

# ---- shared memory ---------------------------------------------------------
k = key + 2
m = sysv_ipc.SharedMemory(k, sysv_ipc.IPC_CREX, mode=0o600, size=8192)
placed("shm", k)
ok(m.size == 8192, "segsz")
ok(m.number_attached == 1, "attached by the constructor")
ok(m.creator_pid == os.getpid(), "cpid")
m.write(b"hello, ipckit", offset=100)
ok(m.read(13, offset=100) == b"hello, ipckit", "read back")

pid = os.fork()
if pid == 0:
    try:
        c = sysv_ipc.SharedMemory(k)
        ok_ = c.read(5, offset=100) == b"hello"
        c.write(b"child", offset=200)
        c.detach()
        os._exit(0 if ok_ else 4)
    except BaseException:
        os._exit(3)
ok(os.waitpid(pid, 0)[1] == 0, "child read and wrote")
ok(m.read(5, offset=200) == b"child", "the parent sees it")
ok(m.number_attached == 1, "the child's attachments are gone")

m.detach()
ok(m.number_attached == 0, "detached")
ok(raises(sysv_ipc.NotAttachedError, m.read, 1), "read after detach")
m.remove()
ok(raises(sysv_ipc.ExistentialError, sysv_ipc.SharedMemory, k),
   "open after remove: ENOENT")

print("ok: %d checks" % checks)
