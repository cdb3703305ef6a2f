-- Save points keep what changed, and every answer knows when it last changed.
--
-- Schemas 1 to 4 kept a full JSON copy of every answer in every save point: a partner
-- with many apps and a long history had a file mostly made of identical copies. From here
-- a save point keeps only the answers that differ from the save point before it; every
-- so often one is kept whole (its base is itself), so that reading any save point replays
-- a short chain. The Go step of this migration (migrateSavePoints) moves the full copies
-- over and drops the old table.

ALTER TABLE revisions RENAME TO revisions_v1;

-- Save points, numbered 1, 2, 3... per draft. Save point N is read by replaying the rows
-- of revision_answers numbered base to N, in order. damaged holds, as it was found, a
-- full copy that could not be read when the file was upgraded: that save point stays
-- listed, unreadable, and the next one is kept whole.
CREATE TABLE revisions (
    draft_id INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    number   INTEGER NOT NULL,
    at       INTEGER NOT NULL,
    kind     TEXT NOT NULL,
    message  TEXT NOT NULL DEFAULT '',
    base     INTEGER NOT NULL,
    damaged  TEXT,
    PRIMARY KEY (draft_id, number)
) WITHOUT ROWID;

-- The answers a save point set (value: JSON as questionnaire.MarshalValue writes it) or
-- removed (value NULL) relative to the save point before it. The question is a question
-- ID, or @extra and @envelope for the payload fields no question takes (question IDs
-- never start with @).
CREATE TABLE revision_answers (
    draft_id INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    number   INTEGER NOT NULL,
    question TEXT NOT NULL,
    value    TEXT,
    PRIMARY KEY (draft_id, number, question)
) WITHOUT ROWID;

-- changed is the draft version that last changed the answer, so that a save made on an
-- older version conflicts only when its own question changed meanwhile. 0 stands for
-- "before schema 5", older than any version a running pstab can hold.
ALTER TABLE answers ADD COLUMN changed INTEGER NOT NULL DEFAULT 0;

-- Answers removed from a working draft, and the version that removed them: without it a
-- removal would look like a question never answered, and a stale save could bring the
-- answer back unnoticed. A row goes when the question is answered again.
CREATE TABLE cleared (
    draft_id INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    changed  INTEGER NOT NULL,
    PRIMARY KEY (draft_id, question)
) WITHOUT ROWID;
