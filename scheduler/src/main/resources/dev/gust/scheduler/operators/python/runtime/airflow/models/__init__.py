"""Airflow's Variable and Connection, backed by the Gust runner."""

import airflow
from airflow.models.connection import Connection
from airflow.models.variable import Variable

__all__ = ["Connection", "Variable"]

__getattr__ = airflow.missing_names(__name__)
