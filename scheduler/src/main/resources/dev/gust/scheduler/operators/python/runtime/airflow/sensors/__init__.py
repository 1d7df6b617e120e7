"""Airflow's sensors: Gust provides airflow.sensors.base.PokeReturnValue only."""

import airflow

__getattr__ = airflow.missing_names(__name__)
