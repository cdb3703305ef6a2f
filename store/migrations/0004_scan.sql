-- What pstab scan found in an app's manifest, kept with the draft so that check can compare
-- the answers with the manifest until the next scan. Times are Unix nanoseconds (UTC).

-- The latest scan of a draft's app: one row per draft, replaced by every scan. facts is the
-- scan's record as JSON; source names the files read, for messages.
CREATE TABLE scans (
    draft_id   INTEGER PRIMARY KEY REFERENCES drafts (id) ON DELETE CASCADE,
    scanned_at INTEGER NOT NULL,
    source     TEXT NOT NULL,
    facts      TEXT NOT NULL
);

-- Where an answer came from when a scan gave it. value is the answer as the scan wrote it
-- (JSON, as in answers.value): the answer is shown as the scan's only while it still holds
-- that value, so an edit by the partner ends it without anything else having to know.
CREATE TABLE answer_sources (
    draft_id INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    value    TEXT NOT NULL,
    source   TEXT NOT NULL,
    at       INTEGER NOT NULL,
    PRIMARY KEY (draft_id, question)
) WITHOUT ROWID;
