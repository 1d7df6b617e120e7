-- Web sessions and failed logins live in the database, not in a webserver's memory: the ALB
-- spreads one browser's requests over several webservers without stickiness, and any of them
-- may be replaced at any time.

-- The session id itself is only in the browser's cookie; a leaked copy of this table cannot be
-- replayed. expires_at is the absolute end; idle expiry is checked against last_seen_at.
CREATE TABLE web_session (
    id_hash       text        PRIMARY KEY,
    user_id       bigint      NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    csrf_token    text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL
);

CREATE INDEX web_session_user_idx ON web_session (user_id);
CREATE INDEX web_session_expires_idx ON web_session (expires_at);

-- One row per failed login (form or HTTP basic), counted per username and per client address
-- within a window, so that the limit holds across every webserver.
CREATE TABLE login_failure (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      text        NOT NULL,
    client_ip     text        NOT NULL,
    failed_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX login_failure_username_idx ON login_failure (username, failed_at);
CREATE INDEX login_failure_client_ip_idx ON login_failure (client_ip, failed_at);

-- V1 left the role free text; only Airflow's four roles mean anything.
ALTER TABLE app_user ADD CONSTRAINT app_user_role_check CHECK (role IN ('admin', 'op', 'user', 'viewer'));

CREATE INDEX api_token_user_idx ON api_token (user_id);
