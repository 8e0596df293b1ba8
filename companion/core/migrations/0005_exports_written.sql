-- Where Companion wrote weekly summaries (the summary window and `companion export`), so that Erase everything
-- can remove them too and Export everything can include them. One row per file path; written again on overwrite.
CREATE TABLE exports_written (
    path        TEXT PRIMARY KEY,
    written_utc REAL NOT NULL
) STRICT;
