"""Airflow's Connection, as the Gust runner hands it to the task."""

import json
from urllib.parse import quote, urlencode

import _gust_channel
import airflow


class Connection:
    """A connection's fields, with Airflow's extra_dejson and get_uri."""

    def __init__(
        self,
        conn_id=None,
        conn_type=None,
        description=None,
        host=None,
        login=None,
        password=None,
        schema=None,
        port=None,
        extra=None,
    ):
        self.conn_id = conn_id
        self.conn_type = conn_type
        self.description = description
        self.host = host
        self.login = login
        self.password = password
        self.schema = schema
        self.port = port
        self.extra = json.dumps(extra) if isinstance(extra, dict) else extra

    @classmethod
    def get(cls, conn_id):
        """Airflow 3's Connection.get; AirflowNotFoundException when it does not exist."""
        from airflow.exceptions import AirflowNotFoundException

        fields = _gust_channel.call("connection_get", conn_id=conn_id)
        if fields is None:
            raise AirflowNotFoundException("The conn_id `" + conn_id + "` isn't defined")
        return cls(**fields)

    @property
    def extra_dejson(self):
        if not self.extra:
            return {}
        try:
            value = json.loads(self.extra)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def get_password(self):
        return self.password

    def get_extra(self):
        return self.extra

    def get_uri(self):
        scheme = (self.conn_type or "").replace("_", "-")
        uri = scheme + "://"
        if self.login is not None or self.password is not None:
            uri += quote(self.login or "", safe="")
            if self.password is not None:
                uri += ":" + quote(self.password, safe="")
            uri += "@"
        uri += self.host or ""
        if self.port:
            uri += ":" + str(self.port)
        if self.schema:
            uri += "/" + quote(self.schema, safe="")
        if self.extra_dejson:
            uri += "?" + urlencode(
                {k: v if isinstance(v, str) else json.dumps(v) for k, v in self.extra_dejson.items()}
            )
        return uri

    def __repr__(self):
        return "Connection(" + str(self.conn_id) + ", " + str(self.conn_type) + ", " + str(self.host) + ")"


__getattr__ = airflow.missing_names(__name__)
