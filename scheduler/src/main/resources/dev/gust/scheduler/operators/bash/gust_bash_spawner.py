# Gust's bash spawn helper (dev.gust.scheduler.operators.bash.BashSpawner): a long-lived process
# that starts each `bash -c` of a bash task with one posix_spawn (a new session, so that the task
# leads its own process group) instead of the JVM's three execs (jspawnhelper, setsid, bash), and
# relays the children's stdout and stderr to the JVM over its own stdout.
#
# Requests, on stdin, one JSON object a line:
#   {"id": n, "path": "/usr/bin/bash", "argv": ["bash", "-c", "..."], "cwd": "...", "env": {...}}
# Answers, on stdout, one ASCII header line each, in the order things happened to a child:
#   S id pid            started
#   F id message        could not be started (nothing of it ran)
#   D id stream length  followed by length bytes of its stdout (1) or stderr (2)
#   E id stream         that stream reached its end
#   X id code           exited with code (128 + the signal when a signal ended it)
# The helper exits when its stdin closes (the JVM stopped or died); its children live on, as
# children of the JVM would.
import json
import os
import selectors
import signal
import sys

RESET_SIGNALS = tuple(
    s for s in (getattr(signal, n, None) for n in ("SIGPIPE", "SIGXFSZ", "SIGXFZ")) if s is not None
)

out = sys.stdout.buffer
selector = selectors.DefaultSelector()
children = {}
wake_read, wake_write = os.pipe()
os.set_blocking(wake_read, False)
os.set_blocking(wake_write, False)
signal.set_wakeup_fd(wake_write)
signal.signal(signal.SIGCHLD, lambda signum, frame: None)


def start(request):
    tag = request["id"]
    out_read, out_write = os.pipe()
    err_read, err_write = os.pipe()
    home = os.getcwd()
    try:
        os.chdir(request["cwd"])
        pid = os.posix_spawn(
            request["path"],
            request["argv"],
            request["env"],
            file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
                (os.POSIX_SPAWN_DUP2, out_write, 1),
                (os.POSIX_SPAWN_DUP2, err_write, 2),
            ],
            setsid=True,
            setsigmask=(),
            setsigdef=RESET_SIGNALS,
        )
    except Exception as e:
        os.close(out_read)
        os.close(err_read)
        out.write(b"F %d %s\n" % (tag, " ".join(str(e).split()).encode("utf-8", "replace")))
        return
    finally:
        os.chdir(home)
        os.close(out_write)
        os.close(err_write)
    children[pid] = tag
    out.write(b"S %d %d\n" % (tag, pid))
    selector.register(out_read, selectors.EVENT_READ, (tag, 1))
    selector.register(err_read, selectors.EVENT_READ, (tag, 2))


def reap():
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        tag = children.pop(pid, None)
        if tag is None:
            continue
        code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)
        out.write(b"X %d %d\n" % (tag, code))


def main():
    requests = sys.stdin.buffer.raw
    os.set_blocking(requests.fileno(), True)
    pending = b""
    selector.register(requests.fileno(), selectors.EVENT_READ, "requests")
    selector.register(wake_read, selectors.EVENT_READ, "children")
    out.write(b"READY\n")
    out.flush()
    while True:
        for key, _ in selector.select():
            if key.data == "requests":
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    return
                pending += chunk
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    start(json.loads(line))
            elif key.data == "children":
                try:
                    while os.read(wake_read, 4096):
                        pass
                except BlockingIOError:
                    pass
            else:
                tag, stream = key.data
                data = os.read(key.fd, 65536)
                if data:
                    out.write(b"D %d %d %d\n" % (tag, stream, len(data)))
                    out.write(data)
                else:
                    selector.unregister(key.fd)
                    os.close(key.fd)
                    out.write(b"E %d %d\n" % (tag, stream))
        # a SIGCHLD can arrive while the selector is not waiting: look for exited children every time
        reap()
        out.flush()


try:
    main()
except (BrokenPipeError, KeyboardInterrupt):
    pass
