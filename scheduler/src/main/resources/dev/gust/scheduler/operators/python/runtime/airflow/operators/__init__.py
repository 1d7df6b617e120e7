"""Airflow's operators: Gust provides airflow.operators.python.get_current_context only."""

import airflow

__getattr__ = airflow.missing_names(__name__)
