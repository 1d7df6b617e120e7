"""Airflow's BaseHook, for get_connection."""

import airflow
from airflow.models.connection import Connection


class BaseHook:
    """Gust provides a hook's connection look-up; hooks themselves belong to Airflow's providers."""

    @classmethod
    def get_connection(cls, conn_id):
        return Connection.get(conn_id)


__getattr__ = airflow.missing_names(__name__)
