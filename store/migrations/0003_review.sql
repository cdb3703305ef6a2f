-- The review conversation kept with each draft: comments, replies, resolutions and the
-- reviewers' decisions. Rows are only ever added (a thread's state is read from its
-- comments in time order), and nothing that changes the answers (save, revert, discard,
-- import, pull) touches them: a revert does not delete a conversation. They go only with
-- their draft. Times are Unix nanoseconds (UTC).

-- One row per comment, reply, resolution or reopening.
CREATE TABLE review_comments (
    id          INTEGER PRIMARY KEY,
    draft_id    INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    question    TEXT NOT NULL,               -- '' for the general thread
    author      TEXT NOT NULL,
    at          INTEGER NOT NULL,
    text        TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL DEFAULT '',    -- '', 'resolve' or 'reopen'
    answer_seen TEXT NOT NULL DEFAULT '',    -- fingerprint of the answer when written
    -- The same comment arriving twice (the same file imported again) is kept once.
    UNIQUE (draft_id, question, author, at, text, action)
);
CREATE INDEX review_comments_by_draft ON review_comments (draft_id, at, id);

-- Every decision a reviewer gave; the latest (by time) is the one that holds.
CREATE TABLE review_decisions (
    id       INTEGER PRIMARY KEY,
    draft_id INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    decision TEXT NOT NULL,                  -- 'approved' or 'changes-requested'
    reviewer TEXT NOT NULL,
    at       INTEGER NOT NULL,
    answers  TEXT NOT NULL,                  -- fingerprint of the answers it was given for
    message  TEXT NOT NULL DEFAULT '',
    UNIQUE (draft_id, decision, reviewer, at)
);
