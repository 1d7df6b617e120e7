"""Airflow's Variable: read and written through the Gust runner, never the database."""

import json

import _gust_channel
import airflow

_NOT_SET = object()


class Variable:
    """Variables by key, as Airflow's Variable.get / Variable.set."""

    @classmethod
    def get(cls, key, default_var=_NOT_SET, deserialize_json=False, default=_NOT_SET):
        if default_var is _NOT_SET:
            default_var = default  # Airflow 3's airflow.sdk.Variable names it 'default'
        value = _gust_channel.call("variable_get", key=key)
        if value is None:
            if default_var is _NOT_SET:
                raise KeyError("Variable " + key + " does not exist")
            return default_var
        return json.loads(value) if deserialize_json else value

    @classmethod
    def set(cls, key, value, description=None, serialize_json=False):
        text = json.dumps(value, indent=2) if serialize_json else str(value)
        _gust_channel.call("variable_set", key=key, value=text)

    @classmethod
    def setdefault(cls, key, default, description=None, deserialize_json=False):
        value = cls.get(key, default_var=None, deserialize_json=deserialize_json)
        if value is None:
            cls.set(key, default, description=description, serialize_json=deserialize_json)
            return default
        return value


__getattr__ = airflow.missing_names(__name__)
