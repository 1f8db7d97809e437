-- Portal sessions that Keycloak ended (its back-channel logout: an admin revoked them, or the user signed out
-- elsewhere). Quarkus remembers a logout only in the memory of the replica Keycloak called, and only until the
-- first request of that session; this table makes every replica refuse every copy of the session's cookie.
CREATE TABLE portal_ended_sessions (
    sid      text        PRIMARY KEY,
    subject  text        NOT NULL,
    ended_at timestamptz NOT NULL
);
