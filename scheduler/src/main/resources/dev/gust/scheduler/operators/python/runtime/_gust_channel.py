"""The task process's end of its channel to the Gust runner that started it.

Requests and replies are JSON, one per line: the runner reads this process's original stdout
and answers on its original stdin (both moved to private descriptors by gust_task_runner, so
that what the callable prints goes to the task log instead). Variables, Connections and XComs
come this way; the process never sees Gust's database or keys.
"""

import json
import threading

_lock = threading.Lock()
_reader = None
_writer = None
_context = None


def connect(reader, writer):
    global _reader, _writer
    _reader = reader
    _writer = writer


def send(op, **fields):
    """Sends a message that has no reply (the task's result)."""
    with _lock:
        _write(op, fields)


def call(op, **fields):
    """Sends a request and returns the runner's answer (None when it found nothing)."""
    if _writer is None:
        raise RuntimeError("not running as a Gust task: there is no Gust runner to ask for " + op)
    with _lock:
        _write(op, fields)
        line = _reader.readline()
    if not line:
        raise RuntimeError("the Gust runner closed the task channel")
    reply = json.loads(line)
    if reply.get("error") is not None:
        raise RuntimeError(reply["error"])
    return reply.get("value")


def _write(op, fields):
    message = dict(fields)
    message["op"] = op
    _writer.write((json.dumps(message) + "\n").encode("utf-8"))
    _writer.flush()


def set_context(context):
    global _context
    _context = context


def current_context():
    if _context is None:
        from airflow.exceptions import AirflowException

        raise AirflowException("get_current_context() works only while a Gust task's callable runs")
    return _context
