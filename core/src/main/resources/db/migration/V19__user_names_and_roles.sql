-- Airflow's user fields the REST API and `gust users create --firstname --lastname` carry, and
-- the custom roles its /roles endpoints manage (the four built-in roles stay in code).
ALTER TABLE app_user
    ADD COLUMN first_name         text        NOT NULL DEFAULT '',
    ADD COLUMN last_name          text        NOT NULL DEFAULT '',
    ADD COLUMN changed_on         timestamptz,
    ADD COLUMN login_count        integer     NOT NULL DEFAULT 0,
    ADD COLUMN failed_login_count integer     NOT NULL DEFAULT 0;

UPDATE app_user SET changed_on = created_at;
ALTER TABLE app_user ALTER COLUMN changed_on SET DEFAULT now();

-- A role made through the API: a name and the action/resource pairs it lists.
CREATE TABLE custom_role (
    name        text PRIMARY KEY,
    permissions jsonb NOT NULL DEFAULT '[]'
);

-- The custom roles a user holds besides the built-in role in app_user.role, which decides access.
CREATE TABLE app_user_custom_role (
    user_id   bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    role_name text   NOT NULL REFERENCES custom_role (name) ON DELETE CASCADE ON UPDATE CASCADE,
    PRIMARY KEY (user_id, role_name)
);

-- Airflow's Pool.include_deferred, accepted and kept (Gust has no deferred tasks, so it changes no count).
ALTER TABLE slot_pool ADD COLUMN include_deferred boolean NOT NULL DEFAULT false;
