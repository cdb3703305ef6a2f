-- The first schema of a pstab drafts file. Times are Unix nanoseconds (UTC).

-- The Marketplace apps the partner keeps drafts for.
CREATE TABLE apps (
    key        TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    hosting    TEXT NOT NULL DEFAULT 'cloud',
    product_id TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- One working draft per subject (an app key, or '@partner') per questionnaire. version is
-- bumped by every change to the answers, so a writer can tell that someone else changed
-- the draft since it read it. answered and total are the draft's progress, recomputed in
-- the transaction of every save so that the app list is one query.
CREATE TABLE drafts (
    id              INTEGER PRIMARY KEY,
    subject         TEXT NOT NULL,
    questionnaire   TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 0,
    extra           TEXT,               -- JSON object: payload fields no question takes
    envelope        TEXT,               -- JSON object: keys beside a wrapped payload
    status          TEXT NOT NULL DEFAULT 'draft',
    form_status     TEXT NOT NULL DEFAULT '',
    resume_section  TEXT NOT NULL DEFAULT '',
    resume_question TEXT NOT NULL DEFAULT '',
    answered        INTEGER NOT NULL DEFAULT 0,
    total           INTEGER NOT NULL DEFAULT 0,
    revision        INTEGER NOT NULL DEFAULT 0,  -- number of the latest save point
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (subject, questionnaire)
);

-- The working answers: one row per answered question, the value as JSON in the form
-- questionnaire.MarshalValue writes.
CREATE TABLE answers (
    draft_id INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    value    TEXT NOT NULL,
    saved_at INTEGER NOT NULL,
    PRIMARY KEY (draft_id, question)
) WITHOUT ROWID;

-- Save points, numbered 1, 2, 3... per draft. snapshot is a full copy of the answers as
-- JSON: {"answers": {question: value}, "extra": {...}, "envelope": {...}}.
CREATE TABLE revisions (
    draft_id INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    number   INTEGER NOT NULL,
    at       INTEGER NOT NULL,
    kind     TEXT NOT NULL,
    message  TEXT NOT NULL DEFAULT '',
    snapshot TEXT NOT NULL,
    PRIMARY KEY (draft_id, number)
);

-- What happened to a draft, oldest first.
CREATE TABLE events (
    id       INTEGER PRIMARY KEY,
    draft_id INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    at       INTEGER NOT NULL,
    kind     TEXT NOT NULL,
    detail   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_by_draft ON events (draft_id, id);
