-- Foundation: a key-value table for facts about this database (created_at, device choices, key wrapping).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
