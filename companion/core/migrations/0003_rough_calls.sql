-- Rough interactions and the cooldowns they earn. Time and severity stay plain (counts are needed fast and reveal
-- little); categories, the rep's note, tension ratings and reflections are sealed in `content` by the Vault,
-- bound to (kind, uid).
CREATE TABLE rough_calls (
    id                 INTEGER PRIMARY KEY,
    uid                TEXT NOT NULL UNIQUE,
    at_utc             REAL NOT NULL,
    utc_offset_minutes INTEGER NOT NULL,
    severity           INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 5),
    content            BLOB
) STRICT;
CREATE INDEX rough_calls_at ON rough_calls(at_utc);

CREATE TABLE cooldowns (
    id                 INTEGER PRIMARY KEY,
    uid                TEXT NOT NULL UNIQUE,
    rough_call_id      INTEGER REFERENCES rough_calls(id) ON DELETE SET NULL,
    offered_utc        REAL NOT NULL,
    utc_offset_minutes INTEGER NOT NULL,
    response           TEXT NOT NULL CHECK (response IN ('offered', 'started', 'deferred', 'declined')),
    started_utc        REAL,
    ended_utc          REAL,
    outcome            TEXT CHECK (outcome IN ('completed', 'cut_short', 'abandoned')),
    pattern            TEXT,
    preset             TEXT,
    content            BLOB
) STRICT;
CREATE INDEX cooldowns_offered ON cooldowns(offered_utc);
