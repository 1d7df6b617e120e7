"""PokeReturnValue, what a PythonSensor's callable may return instead of a bool."""

import airflow


class PokeReturnValue:
    """is_done says whether the condition holds; xcom_value becomes the sensor's XCom return_value."""

    def __init__(self, is_done, xcom_value=None):
        self.is_done = is_done
        self.xcom_value = xcom_value

    def __bool__(self):
        return bool(self.is_done)


__getattr__ = airflow.missing_names(__name__)
