"""Airflow 2.10's Dataset and DatasetAlias, as far as a Gust task's callable uses them.

A task whose outlets name a DatasetAlias adds events for the datasets it produces through the
context's outlet_events: outlet_events[DatasetAlias("name")].add(Dataset("s3://..."), extra={...}).
Gust records each such event when the task succeeds, like the events of its fixed outlets.
"""

import airflow


class Dataset:
    """A dataset, by its URI."""

    def __init__(self, uri, extra=None):
        if not isinstance(uri, str) or not uri.strip():
            raise ValueError("a Dataset needs a URI, e.g. Dataset('s3://bucket/key')")
        self.uri = uri.strip()
        self.extra = dict(extra or {})

    def __eq__(self, other):
        return isinstance(other, Dataset) and other.uri == self.uri

    def __hash__(self):
        return hash(self.uri)

    def __repr__(self):
        return "Dataset(uri=" + repr(self.uri) + ")"


class DatasetAlias:
    """A name a task's outlets give to datasets it only knows when it runs."""

    def __init__(self, name):
        if not isinstance(name, str) or not name.strip():
            raise ValueError("a DatasetAlias needs a name, e.g. DatasetAlias('daily-files')")
        self.name = name.strip()

    def __eq__(self, other):
        return isinstance(other, DatasetAlias) and other.name == self.name

    def __hash__(self):
        return hash(("alias", self.name))

    def __repr__(self):
        return "DatasetAlias(name=" + repr(self.name) + ")"


__all__ = ["Dataset", "DatasetAlias"]

__getattr__ = airflow.missing_names(__name__)
