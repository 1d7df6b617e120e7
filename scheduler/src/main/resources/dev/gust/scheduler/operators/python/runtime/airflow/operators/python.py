"""get_current_context, for callables that read the context without declaring it."""

import _gust_channel
import airflow


def get_current_context():
    return _gust_channel.current_context()


__getattr__ = airflow.missing_names(__name__)
