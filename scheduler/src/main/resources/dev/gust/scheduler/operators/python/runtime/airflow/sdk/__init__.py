"""Airflow 3's task SDK names that Gust provides."""

import airflow
from airflow.hooks.base import BaseHook
from airflow.models.connection import Connection
from airflow.models.variable import Variable
from airflow.operators.python import get_current_context

__all__ = ["BaseHook", "Connection", "Variable", "get_current_context"]

__getattr__ = airflow.missing_names(__name__)
