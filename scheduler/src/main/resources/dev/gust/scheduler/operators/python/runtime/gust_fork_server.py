"""Gust's fork server: a warm interpreter that forks one child per Python task try.

Started by the Gust runner with the tasks' clean environment (never Gust's secrets) and the path of
a Unix socket the runner listens on. It imports the task runner and Gust's Airflow compatibility
package once, never any user code, then reads fork requests (one JSON object a line) on stdin:
for each it forks a child and answers {"token", "pid"} on stdout; when a child ends it reports
{"exited", "code"}. It exits when stdin closes (the runner is gone); the children live on.

A child starts its own session (so the runner can signal its process group), moves to the try's
working directory, connects to the socket twice (its stdout and stderr, then its task channel;
each connection's first line names the try's token) and runs the task as gust_task_runner does.
Nothing a child imports reaches the server, so every try starts from the same clean state.
"""

import gc
import importlib
import json
import os
import select
import signal
import socket
import sys
import traceback


def main():
    socket_path = sys.argv[1]
    control_in = os.dup(0)
    control_out = os.dup(1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)  # anything printed here goes to the runner's log, never into the control stream

    import airflow
    import gust_task_runner  # noqa: F401 (imported here so that every child has it already)

    for name in airflow.SUPPORTED_MODULES:
        importlib.import_module(name)
    gc.collect()
    if hasattr(gc, "freeze"):  # Python 3.7+
        gc.freeze()  # the children share these pages; a collection in a child would copy them

    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    _send(control_out, {"ready": os.getpid()})

    pending = b""
    while True:
        readable, _, _ = select.select([control_in, wake_read], [], [])
        if wake_read in readable:
            os.read(wake_read, 4096)
            _reap(control_out)
        if control_in in readable:
            chunk = os.read(control_in, 65536)
            if not chunk:
                return None
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                if not line.strip():
                    continue
                request = json.loads(line)
                try:
                    pid = os.fork()
                except OSError as e:  # out of processes or memory: this try runs elsewhere, the server stays
                    _send(control_out, {"token": request["token"], "error": "fork failed: " + str(e)})
                    continue
                if pid == 0:
                    signal.set_wakeup_fd(-1)
                    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                    for fd in (control_in, control_out, wake_read, wake_write):
                        os.close(fd)
                    return request
                _send(control_out, {"token": request["token"], "pid": pid})
        _reap(control_out)


def _reap(control_out):
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        if os.WIFSIGNALED(status):
            code = 128 + os.WTERMSIG(status)  # as the JVM reports a process killed by a signal
        else:
            code = os.WEXITSTATUS(status)
        _send(control_out, {"exited": pid, "code": code})


def _send(fd, message):
    data = (json.dumps(message) + "\n").encode("utf-8")
    while data:
        data = data[os.write(fd, data):]


def _connect(socket_path, hello):
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.connect(socket_path)
    connection.sendall(hello.encode("utf-8"))
    return connection


def run_child(request, socket_path):
    try:
        os.setsid()
        os.chdir(request["cwd"])
        token = request["token"]
        output = _connect(socket_path, token + " output\n")
        os.dup2(output.fileno(), 1)
        os.dup2(output.fileno(), 2)
        output.close()
        channel = _connect(socket_path, token + " channel " + str(os.getpid()) + "\n")
        importlib.invalidate_caches()  # the DAG folder may have changed since the server started
    except BaseException:
        traceback.print_exc()
        os._exit(70)
    import gust_task_runner

    sys.argv = [gust_task_runner.__file__]  # as in a fresh interpreter running the runner

    gust_task_runner.serve(channel.makefile("rb"), channel.makefile("wb"))
    _exit_like_an_interpreter(0)


def _exit_like_an_interpreter(code):
    """What the interpreter does at exit that a task may rely on, without tearing down every module.

    Waits for non-daemon threads, runs atexit callbacks (logging's flush among them) and flushes
    stdout and stderr, then leaves with os._exit: a full finalization of a forked interpreter costs
    tens of milliseconds and would mostly free pages it shares with the server.
    """
    threading = sys.modules.get("threading")
    if threading is not None and hasattr(threading, "_shutdown"):
        try:
            threading._shutdown()
        except BaseException:
            traceback.print_exc()
    try:
        import atexit

        atexit._run_exitfuncs()
    except BaseException:
        traceback.print_exc()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass
    os._exit(code)


if __name__ == "__main__":
    forked = main()
    if forked is not None:
        run_child(forked, sys.argv[1])
