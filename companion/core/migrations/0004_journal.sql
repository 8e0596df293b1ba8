-- The reflection log and the wrapped data key. Entry text, moods, intentions and tags are sealed in `content`;
-- only the kind and the times stay plain, so the week view can count without unlocking.
CREATE TABLE journal_entries (
    id                 INTEGER PRIMARY KEY,
    uid                TEXT NOT NULL UNIQUE,
    kind               TEXT NOT NULL CHECK (kind IN ('checkin', 'closing', 'win', 'gratitude', 'reflection', 'note')),
    created_utc        REAL NOT NULL,
    updated_utc        REAL NOT NULL,
    utc_offset_minutes INTEGER NOT NULL,
    rough_call_id      INTEGER REFERENCES rough_calls(id) ON DELETE SET NULL,
    cooldown_id        INTEGER REFERENCES cooldowns(id) ON DELETE SET NULL,
    content            BLOB NOT NULL
) STRICT;
CREATE INDEX journal_entries_created ON journal_entries(created_utc);

-- The data key, wrapped once per way of opening it: by a key in the OS keyring, by the rep's passphrase
-- (scrypt parameters in params), and by the recovery code.
CREATE TABLE key_wraps (
    method      TEXT PRIMARY KEY CHECK (method IN ('keyring', 'passphrase', 'recovery')),
    wrapped     BLOB NOT NULL,
    params      TEXT NOT NULL DEFAULT '{}',
    created_utc REAL NOT NULL
) STRICT;
