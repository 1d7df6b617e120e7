"""Callables of the example_python DAG: plain functions, as an Airflow team already has them.

Gust puts the DAG folder on the interpreter's sys.path, so this module is
`callables.example_tasks`; the Airflow imports below are served by Gust's small compatibility
package (Variable, get_current_context, the exceptions), never by the database directly.
"""

from airflow.exceptions import AirflowSkipException
from airflow.models import Variable
from airflow.operators.python import get_current_context


def extract(source, ds=None, ti=None):
    """Pretends to read the day's orders; the list returned becomes XCom return_value."""
    print(f"extracting {source} for {ds} (try {ti.try_number})")
    return [{"region": "eu", "amount": 120}, {"region": "us", "amount": 80}, {"region": "eu", "amount": 5}]


def transform(multiplier=1, **context):
    """Pulls extract's rows from XCom and totals them per region."""
    rows = context["ti"].xcom_pull(task_ids="extract")
    totals = {}
    for row in rows:
        totals[row["region"]] = totals.get(row["region"], 0) + row["amount"] * int(multiplier)
    return totals


def load():
    """Reads a Variable (with a default, so the example runs without one) and the context."""
    context = get_current_context()
    target = Variable.get("example_python_target", default_var="warehouse.daily_totals")
    totals = context["ti"].xcom_pull(task_ids="transform")
    if not totals:
        raise AirflowSkipException("nothing to load")
    print(f"loading {len(totals)} regions into {target} for {context['ds']}")
    return {"target": target, "regions": sorted(totals)}
