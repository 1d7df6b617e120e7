"""Airflow's exceptions that decide how a Gust task ends."""

import airflow


class AirflowException(Exception):
    """A task failure; retried if the task has tries left."""


class AirflowSkipException(AirflowException):
    """Raised by a callable: the task is marked skipped."""


class AirflowFailException(AirflowException):
    """Raised by a callable: the task fails at once, without using its retries."""


class AirflowNotFoundException(AirflowException):
    """A Connection or Variable that does not exist."""


class AirflowSensorTimeout(AirflowException):
    """A sensor waited longer than its timeout."""


class AirflowTaskTimeout(AirflowException):
    """A task ran longer than its execution_timeout."""


__getattr__ = airflow.missing_names(__name__)
