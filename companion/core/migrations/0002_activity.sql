-- Activity: one row per state change (intervals, not samples), and one row per break.
-- Times are UTC epoch seconds; utc_offset_minutes is the local offset at the start, so a day is assigned as the
-- rep lived it even across DST changes and travel.
CREATE TABLE activity_intervals (
    id                 INTEGER PRIMARY KEY,
    state              TEXT NOT NULL CHECK (state IN ('active', 'on_call', 'idle', 'away', 'locked', 'suspended', 'paused')),
    start_utc          REAL NOT NULL,
    end_utc            REAL NOT NULL,
    utc_offset_minutes INTEGER NOT NULL,
    CHECK (end_utc >= start_utc)
) STRICT;
CREATE INDEX activity_intervals_start ON activity_intervals(start_utc);

CREATE TABLE breaks (
    id                 INTEGER PRIMARY KEY,
    kind               TEXT NOT NULL CHECK (kind IN ('prompted', 'manual', 'natural')),
    due_utc            REAL,
    response           TEXT CHECK (response IN ('started', 'postponed', 'skipped')),
    response_utc       REAL,
    started_utc        REAL,
    ended_utc          REAL,
    completed          INTEGER CHECK (completed IN (0, 1)),
    utc_offset_minutes INTEGER NOT NULL
) STRICT;
CREATE INDEX breaks_due ON breaks(coalesce(started_utc, response_utc, due_utc));
