"""Gust's stand-in for the few parts of Airflow that a task's callable may import.

Gust runs Python callables outside Airflow; this package gives them Variable, BaseHook's
connections, get_current_context and Airflow's exceptions, served by the Gust runner. Importing
any other Airflow module fails with an ImportError that names it and lists what is supported.
"""

import sys

__version__ = "2.10.0+gust"

SUPPORTED_MODULES = (
    "airflow.exceptions",
    "airflow.datasets",
    "airflow.models",
    "airflow.models.variable",
    "airflow.models.connection",
    "airflow.hooks",
    "airflow.hooks.base",
    "airflow.operators",
    "airflow.operators.python",
    "airflow.sdk",
    "airflow.sensors",
    "airflow.sensors.base",
)

SUPPORTED_NAMES = (
    "airflow.models.Variable (get, set), airflow.hooks.base.BaseHook.get_connection,"
    " airflow.operators.python.get_current_context, airflow.sdk (Variable, Connection,"
    " get_current_context), airflow.datasets (Dataset, DatasetAlias), airflow.sensors.base.PokeReturnValue and"
    " airflow.exceptions (AirflowException, AirflowSkipException,"
    " AirflowFailException)"
)


def unsupported(what):
    return ImportError(
        "Gust does not provide " + what + ": a Python task run by Gust may import only "
        + SUPPORTED_NAMES + " of Airflow; do the rest in the callable or in another operator"
    )


class _UnsupportedAirflowModules:
    """Refuses, by name, every airflow.* module this package does not provide."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname.startswith("airflow.") and fullname not in SUPPORTED_MODULES:
            raise unsupported("the Airflow module '" + fullname + "'")
        return None

    def invalidate_caches(self):
        pass


def missing_names(module):
    """A module __getattr__: 'from airflow.x import Y' of a name Gust lacks says so in Gust's words."""

    def __getattr__(name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise unsupported("'" + name + "' of the Airflow module '" + module + "'")

    return __getattr__


if not any(isinstance(f, _UnsupportedAirflowModules) for f in sys.meta_path):
    sys.meta_path.insert(0, _UnsupportedAirflowModules())
