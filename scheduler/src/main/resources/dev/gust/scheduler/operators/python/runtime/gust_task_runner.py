"""Runs one try of a Gust Python task: the interpreter's entry point, started by the Gust runner.

The runner writes the task (which callable, its arguments, the context) as the first JSON line
on stdin and keeps both pipes as the task's channel (see _gust_channel; a child of
gust_fork_server starts at serve, with a socket instead); whatever the callable prints, on
stdout or stderr, goes to stderr, which the runner streams into the task log. The last message
is the result: success with the return value, skipped, or failed (the traceback is printed first).
"""

import datetime as _dt
import importlib
import importlib.util
import inspect
import json
import os
import random
import sys
import time
import traceback
import types
import uuid

_UTC = _dt.timezone.utc
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_UTC)
_NOT_SET = object()


# The context's own names: whatever else is in it at the end, the callable added.
_BUILT_IN_NAMES = set()


def main():
    reader = os.fdopen(os.dup(0), "rb")
    writer = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    serve(reader, writer)


def serve(reader, writer):
    """Runs the task the runner sends first on the channel and reports its result (the fork server's children start here)."""
    import _gust_channel

    _gust_channel.connect(reader, writer)
    first = reader.readline()
    if not first:
        return  # the runner gave this try up before it started
    start = json.loads(first)
    sys.path[1:1] = [p for p in start.get("sys_path", []) if p not in sys.path]
    outcome = run(start)
    added = added_context()
    if added:
        outcome["template_context"] = added
    _gust_channel.send("result", **outcome)
    writer.close()


# The key of templates_dict under which the scheduler's callback runner passes a callback's own context.
CALLBACK_CONTEXT = "__gust_callback_context__"


def run(start):
    import _gust_channel
    from airflow.exceptions import AirflowFailException, AirflowSkipException

    try:
        function = load_callable(start["callable"])
        context = build_context(start)
        _BUILT_IN_NAMES.update(context)
        _gust_channel.set_context(context)
        os.environ.update(airflow_context_variables(start["context"]))
        args = list(start.get("op_args") or [])
        callback = (start.get("templates_dict") or {}).get(CALLBACK_CONTEXT)
        kwargs = None
        if callback is not None:
            # a callback (on_failure_callback ...): called with the context, as Airflow calls callbacks,
            # plus what the event adds (exception as text, reason for a DAG's callbacks)
            context["templates_dict"] = None
            context.update(callback)
            args = [context]
            if callback.get("event") == "sla_miss_callback":
                # Airflow 2 calls it as callback(dag, task_list, blocking_task_list, slas, blocking_tis)
                args = [
                    context["dag"],
                    callback.get("task_list", ""),
                    callback.get("blocking_task_list", ""),
                    [types.SimpleNamespace(**sla) for sla in callback.get("slas") or []],
                    [types.SimpleNamespace(**ti) for ti in callback.get("blocking_tis") or []],
                ]
                kwargs = dict(start.get("op_kwargs") or {})
            elif callback.get("event") == "deadline":
                # Airflow 3 calls a deadline's callback with its kwargs and context=
                args = []
                kwargs = keyword_arguments(function, [], dict(start.get("op_kwargs") or {}, context=context), {})
        if kwargs is None:
            kwargs = keyword_arguments(function, args, start.get("op_kwargs") or {}, context)
        result = function(*args, **kwargs)
        if inspect.iscoroutine(result):
            # Airflow 3's deadline callbacks are async functions
            import asyncio

            result = asyncio.run(result)
    except AirflowSkipException as e:
        return {"status": "skipped", "message": str(e)}
    except AirflowFailException as e:
        traceback.print_exc()
        return {"status": "failed_no_retry", "message": describe(e)}
    except BaseException as e:  # SystemExit and KeyboardInterrupt end the try as failures too
        traceback.print_exc()
        return {"status": "failed", "message": describe(e)}
    if start.get("multiple_outputs") and result is not None and not isinstance(result, dict):
        # Airflow's check (and words) for a TaskFlow task with multiple_outputs; a failure that may be retried
        return {
            "status": "failed",
            "message": "Returned output was type " + str(type(result)) + " expected dictionary for multiple_outputs",
        }
    truthy = bool(result)
    poke = type(result).__name__ == "PokeReturnValue" and hasattr(result, "is_done")
    if poke:
        truthy = bool(result.is_done)
        result = result.xcom_value
    try:
        json.dumps(result, allow_nan=False)
    except (TypeError, ValueError) as e:
        message = (
            "the callable returned a value of type " + type(result).__module__ + "." + type(result).__qualname__
            + ", which cannot be stored as XCom (JSON): " + str(e)
            + "; return JSON-able values (dict, list, str, int, float, bool, None) or set do_xcom_push: false"
        )
        if start.get("do_xcom_push", True):
            return {"status": "failed", "message": message}
        result = None
    return {"status": "success", "value": result, "truthy": truthy, "poke_return_value": poke}


def added_context():
    """What the callable put in its context (get_current_context()[name] = value), for its map_index_template."""
    import _gust_channel

    context = _gust_channel._context
    added = {}
    for name, value in (context or {}).items():
        if name in _BUILT_IN_NAMES:
            continue
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError):
            value = str(value)
        added[name] = value
    return added


def describe(error):
    text = str(error)
    return type(error).__name__ + (": " + text if text else "")


def load_callable(spec):
    name = spec["name"]
    if "file" in spec:
        path = spec["file"]
        if not os.path.isfile(path):
            raise FileNotFoundError("python_callable_file " + path + " does not exist")
        folder = os.path.dirname(os.path.abspath(path))
        if folder not in sys.path:
            sys.path.insert(1, folder)
        module_name = os.path.splitext(os.path.basename(path))[0]
        module_spec = importlib.util.spec_from_file_location(module_name, path)
        module = importlib.util.module_from_spec(module_spec)
        sys.modules[module_name] = module
        module_spec.loader.exec_module(module)
        where = path
    else:
        module = importlib.import_module(spec["module"])
        where = "module " + spec["module"]
    function = getattr(module, name, None)
    if function is None:
        raise AttributeError(where + " has no function '" + name + "'")
    if not callable(function):
        raise TypeError(name + " in " + where + " is not callable")
    return function


def keyword_arguments(function, args, op_kwargs, context):
    """Airflow's rule: the context and op_kwargs, limited to what the callable declares unless it takes **kwargs."""
    merged = dict(context)
    merged.update(op_kwargs)
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return dict(op_kwargs)
    positional = [
        p.name for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ][: len(args)]
    if any(p.kind == p.VAR_KEYWORD for p in parameters):
        return {k: v for k, v in merged.items() if k not in positional}
    named = {p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    return {k: v for k, v in merged.items() if k in named and k not in positional}


def at(micros):
    return None if micros is None else _EPOCH + _dt.timedelta(microseconds=micros)


def build_context(start):
    c = start["context"]
    logical_date = at(c["logical_date_us"])
    interval_start = at(c.get("data_interval_start_us")) or logical_date
    interval_end = at(c.get("data_interval_end_us")) or interval_start
    ts = logical_date.isoformat()
    dag = types.SimpleNamespace(
        dag_id=c["dag_id"], timezone=c.get("timezone", "UTC"), params=c.get("params", {}), owner=c.get("owner")
    )
    task = types.SimpleNamespace(
        task_id=c["task_id"], dag_id=c["dag_id"], owner=c.get("owner"), dag=dag, retries=c.get("retries", 0)
    )
    dag_run = types.SimpleNamespace(
        dag_id=c["dag_id"],
        run_id=c["run_id"],
        conf=c.get("conf", {}),
        logical_date=logical_date,
        execution_date=logical_date,
        data_interval_start=interval_start,
        data_interval_end=interval_end,
    )
    ti = TaskInstance(c, logical_date, task)
    return {
        "dag": dag,
        "task": task,
        "dag_run": dag_run,
        "ti": ti,
        "task_instance": ti,
        "run_id": c["run_id"],
        "ds": logical_date.strftime("%Y-%m-%d"),
        "ds_nodash": logical_date.strftime("%Y%m%d"),
        "ts": ts,
        "ts_nodash": logical_date.strftime("%Y%m%dT%H%M%S"),
        "ts_nodash_with_tz": ts.replace("-", "").replace(":", ""),
        "logical_date": logical_date,
        "execution_date": logical_date,
        "data_interval_start": interval_start,
        "data_interval_end": interval_end,
        "task_instance_key_str": c["dag_id"] + "__" + c["task_id"] + "__" + logical_date.strftime("%Y%m%d"),
        "params": c.get("params", {}),
        "var": types.SimpleNamespace(value=_Variables(False), json=_Variables(True)),
        "conn": _Connections(),
        "macros": _macros(),
        "templates_dict": start.get("templates_dict"),
        "outlet_events": _OutletEvents(),
        "test_mode": False,
    }


def airflow_context_variables(c):
    variables = {
        "AIRFLOW_CTX_DAG_ID": c["dag_id"],
        "AIRFLOW_CTX_TASK_ID": c["task_id"],
        "AIRFLOW_CTX_DAG_RUN_ID": c["run_id"],
        "AIRFLOW_CTX_TRY_NUMBER": str(c["try_number"]),
        "AIRFLOW_CTX_LOGICAL_DATE": at(c["logical_date_us"]).isoformat(),
        "AIRFLOW_CTX_EXECUTION_DATE": at(c["logical_date_us"]).isoformat(),
    }
    if c.get("owner"):
        variables["AIRFLOW_CTX_DAG_OWNER"] = c["owner"]
    return variables


class TaskInstance:
    """The context's ti: who this try is, and XCom through the Gust runner."""

    def __init__(self, c, logical_date, task):
        self.dag_id = c["dag_id"]
        self.task_id = c["task_id"]
        self.run_id = c["run_id"]
        self.try_number = c["try_number"]
        self.map_index = c.get("map_index", -1)
        self.logical_date = logical_date
        self.execution_date = logical_date
        self.task = task

    def xcom_push(self, key, value):
        json.dumps(value, allow_nan=False)  # fail here, naming the caller's line, rather than in the runner
        import _gust_channel

        _gust_channel.call("xcom_push", key=key, value=value)

    def xcom_pull(self, task_ids=None, dag_id=None, key="return_value", include_prior_dates=False,
                  map_indexes=None, default=None):
        import _gust_channel

        ids = self.task_id if task_ids is None else task_ids
        wanted = [ids] if isinstance(ids, str) else list(ids)
        values = []
        for task_id in wanted:
            value = _gust_channel.call("xcom_pull", dag_id=dag_id or self.dag_id, task_id=task_id, key=key)
            values.append(default if value is None else value)
        return values[0] if isinstance(ids, str) else values

    def __repr__(self):
        return "<TaskInstance: " + self.dag_id + "." + self.task_id + " " + self.run_id + ">"


class _Variables:
    """The context's var.value / var.json: attribute or get() access."""

    def __init__(self, deserialize_json):
        self._json = deserialize_json

    def get(self, key, default_var=_NOT_SET):
        from airflow.models.variable import Variable

        if default_var is _NOT_SET:
            return Variable.get(key, deserialize_json=self._json)
        return Variable.get(key, default_var=default_var, deserialize_json=self._json)

    def __getattr__(self, key):
        if key.startswith("__"):
            raise AttributeError(key)
        return self.get(key)


class _Connections:
    """The context's conn: conn.my_db or conn.get('my_db')."""

    def get(self, conn_id, default_conn=None):
        from airflow.exceptions import AirflowNotFoundException
        from airflow.models.connection import Connection

        try:
            return Connection.get(conn_id)
        except AirflowNotFoundException:
            if default_conn is not None:
                return default_conn
            raise

    def __getattr__(self, conn_id):
        if conn_id.startswith("__"):
            raise AttributeError(conn_id)
        return self.get(conn_id)


class _AliasEvents:
    """outlet_events[alias]: add(Dataset(uri), extra=...) records an event of that dataset through the alias."""

    def __init__(self, alias):
        self._alias = alias

    def add(self, dataset, extra=None):
        import _gust_channel

        uri = getattr(dataset, "uri", None)
        if not isinstance(uri, str):
            raise TypeError("outlet_events[...].add takes a Dataset, e.g. Dataset('s3://bucket/key'); got " + repr(dataset))
        _gust_channel.call(
            "outlet_event", alias=self._alias, uri=uri, extra=dict(getattr(dataset, "extra", {}) or {}, **(extra or {}))
        )


class _OutletEvents:
    """The context's outlet_events, by DatasetAlias (or its name)."""

    def __getitem__(self, key):
        name = getattr(key, "name", key)
        if not isinstance(name, str):
            raise KeyError("outlet_events takes a DatasetAlias (or its name), got " + repr(key))
        return _AliasEvents(name)


def _macros():
    def ds_add(ds, days):
        return (_dt.datetime.strptime(ds, "%Y-%m-%d") + _dt.timedelta(days=days)).strftime("%Y-%m-%d")

    def ds_format(ds, input_format, output_format):
        return _dt.datetime.strptime(str(ds), input_format).strftime(output_format)

    return types.SimpleNamespace(
        ds_add=ds_add,
        ds_format=ds_format,
        datetime=_dt.datetime,
        timedelta=_dt.timedelta,
        time=time,
        uuid=uuid,
        random=random,
        json=json,
    )


if __name__ == "__main__":
    main()
