"""Airflow's hooks: Gust provides BaseHook.get_connection only (airflow.hooks.base)."""

import airflow

__getattr__ = airflow.missing_names(__name__)
