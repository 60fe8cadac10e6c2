-- Accounts: users with roles and scopes, their sessions, per-user API tokens and the
-- audit log of what they did.

CREATE TABLE users (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username       text NOT NULL UNIQUE,
    display_name   text NOT NULL DEFAULT '',
    role           text NOT NULL CHECK (role IN ('admin', 'official', 'volunteer')),
    area_id        bigint REFERENCES areas (id),
    password_hash  text NOT NULL,
    disabled_at    timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (role <> 'official' OR area_id IS NOT NULL)
);
COMMENT ON COLUMN users.role IS 'admin: everything; official: the subtree of area_id; volunteer: assigned areas only.';
COMMENT ON COLUMN users.area_id IS 'The root of an official''s jurisdiction; NULL for admins and volunteers.';
COMMENT ON COLUMN users.password_hash IS 'bcrypt hash; the password itself is never stored.';
COMMENT ON COLUMN users.disabled_at IS 'Set when the account is disabled: it can no longer sign in, and its sessions and tokens stop working.';

CREATE TABLE sessions (
    hash          text PRIMARY KEY,
    user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf          text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    ip            text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
COMMENT ON TABLE sessions IS 'Signed-in browsers. Ends at expires_at (absolute), or after the idle limit since last_seen_at, or at logout.';
COMMENT ON COLUMN sessions.hash IS 'SHA-256 of the session cookie; the cookie itself is never stored.';
COMMENT ON COLUMN sessions.csrf IS 'Token every state-changing request of this session must carry.';

ALTER TABLE api_tokens ADD COLUMN user_id bigint REFERENCES users (id);
COMMENT ON COLUMN api_tokens.user_id IS 'The user whose role and scope the token carries.';
-- Tokens made before accounts existed carried no scope; they stop working and must
-- be made again for a user (minyi token create --user U --name N).
UPDATE api_tokens SET revoked_at = now() WHERE revoked_at IS NULL;

CREATE TABLE audit_events (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    user_id   bigint REFERENCES users (id),
    username  text NOT NULL,
    action    text NOT NULL,
    scope     text NOT NULL DEFAULT '',
    target    text NOT NULL DEFAULT '',
    detail    jsonb NOT NULL DEFAULT '{}',
    ip        text NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_at_idx ON audit_events (at DESC, id DESC);
CREATE INDEX audit_events_action_idx ON audit_events (action, at DESC);
COMMENT ON TABLE audit_events IS 'Who did what, when, in which scope and from where: sign-ins, account, area, round and survey changes, and every export. Append-only.';
COMMENT ON COLUMN audit_events.username IS 'Who acted, as named then; "cli" for the command line, the attempted name for failed sign-ins.';
COMMENT ON COLUMN audit_events.scope IS 'Code of the area the action covered; empty for the whole city.';
