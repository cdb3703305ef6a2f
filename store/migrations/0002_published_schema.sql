-- Answers in the form Atlassian's published schema gives, and a place for settings.

-- Settings of the drafts file as a whole, such as the Marketplace vendor id that finds
-- the v3 product id of every app.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

-- The five tri-state answers were kept as "TRUE" and "FALSE" (in any case); the schema
-- says JSON true and false, and "NOT_APPLICABLE". They mean the same; they are written
-- anew, in the working answers and in every save point.
UPDATE answers SET value = CASE upper(value)
        WHEN '"TRUE"' THEN 'true'
        WHEN '"FALSE"' THEN 'false'
        WHEN '"NOT_APPLICABLE"' THEN '"NOT_APPLICABLE"'
        ELSE value END
    WHERE question IN ('gdpr-controller', 'gdpr-processor', 'ccpa-business', 'ccpa-service-provider', 'dpa')
      AND draft_id IN (SELECT id FROM drafts WHERE questionnaire = 'privacy-security');

-- Residency: the value earlier catalogues invented for data stored outside Atlassian with
-- residency support is the schema's STORED_EXTERNAL_TO_ATLASSIAN.
UPDATE answers SET value = '"STORED_EXTERNAL_TO_ATLASSIAN"'
    WHERE question = 'data-residency' AND value = '"STORED_OUTSIDE_ATLASSIAN_N_DR_SUPPORTED"'
      AND draft_id IN (SELECT id FROM drafts WHERE questionnaire = 'privacy-security');

-- Certifications were tick boxes with values of pstab's own and an "Other" box that
-- revealed a list; they are now one list in the schema's spellings. The ticked values take
-- the schema's spelling (SOC 2 of either type is SOC2, FEDRAMP is FedRAMP), "Other" goes,
-- and the other certifications join the list after them, without repeats.
UPDATE answers SET value = (
        SELECT json_group_array(v) FROM (
            SELECT v, min(src * 100000 + pos) AS ord FROM (
                SELECT CASE j.value WHEN 'SOC2_TYPE2' THEN 'SOC2' WHEN 'SOC2_TYPE1' THEN 'SOC2'
                                    WHEN 'FEDRAMP' THEN 'FedRAMP' ELSE j.value END AS v,
                       0 AS src, j.key AS pos
                    FROM json_each(answers.value) AS j
                    WHERE j.type = 'text' AND j.value <> 'OTHER'
                UNION ALL
                SELECT o.value, 1, o.key
                    FROM answers AS other, json_each(other.value) AS o
                    WHERE other.draft_id = answers.draft_id AND other.question = 'other-certifications'
                      AND json_valid(other.value) AND json_type(other.value) = 'array' AND o.type = 'text'
            ) GROUP BY lower(trim(v)) ORDER BY ord
        ))
    WHERE question = 'certifications' AND json_valid(value) AND json_type(value) = 'array'
      AND draft_id IN (SELECT id FROM drafts WHERE questionnaire = 'privacy-security');

INSERT INTO answers (draft_id, question, value, saved_at)
    SELECT other.draft_id, 'certifications', other.value, other.saved_at FROM answers AS other
    WHERE other.question = 'other-certifications' AND json_valid(other.value) AND json_type(other.value) = 'array'
      AND other.draft_id IN (SELECT id FROM drafts WHERE questionnaire = 'privacy-security')
      AND NOT EXISTS (SELECT 1 FROM answers AS c WHERE c.draft_id = other.draft_id AND c.question = 'certifications');

DELETE FROM answers WHERE question = 'other-certifications'
    AND draft_id IN (SELECT id FROM drafts WHERE questionnaire = 'privacy-security');
DELETE FROM answers WHERE question = 'certifications' AND value = '[]'
    AND draft_id IN (SELECT id FROM drafts WHERE questionnaire = 'privacy-security');

-- The same in every save point, whose answers are a JSON object keyed by question.
UPDATE revisions SET snapshot = json_set(snapshot, '$.answers."gdpr-controller"',
        CASE upper(json_extract(snapshot, '$.answers."gdpr-controller"'))
            WHEN 'TRUE' THEN json('true') WHEN 'FALSE' THEN json('false') ELSE 'NOT_APPLICABLE' END)
    WHERE json_valid(snapshot) AND json_type(snapshot, '$.answers."gdpr-controller"') = 'text'
      AND upper(json_extract(snapshot, '$.answers."gdpr-controller"')) IN ('TRUE', 'FALSE', 'NOT_APPLICABLE')
      AND draft_id IN (SELECT id FROM drafts WHERE questionnaire = 'privacy-security');

UPDATE revisions SET snapshot = json_set(snapshot, '$.answers."gdpr-processor"',
        CASE upper(json_extract(snapshot, '$.answers."gdpr-processor"'))
            WHEN 'TRUE' THEN json('true') WHEN 'FALSE' THEN json('false') ELSE 'NOT_APPLICABLE' END)
    WHERE json_valid(snapshot) AND json_type(snapshot, '$.answers."gdpr-processor"') = 'text'
      AND upper(json_extract(snapshot, '$.answers."gdpr-processor"')) IN ('TRUE', 'FALSE', 'NOT_APPLICABLE')
      AND draft_id IN (SELECT id FROM drafts WHERE questionnaire = 'privacy-security');

UPDATE revisions SET snapshot = json_set(snapshot, '$.answers."ccpa-business"',
        CASE upper(json_extract(snapshot, '$.answers."ccpa-business"'))
            WHEN 'TRUE' THEN json('true') WHEN 'FALSE' THEN json('false') ELSE 'NOT_APPLICABLE' END)
    WHERE json_valid(snapshot) AND json_type(snapshot, '$.answers."ccpa-business"') = 'text'
      AND upper(json_extract(snapshot, '$.answers."ccpa-business"')) IN ('TRUE', 'FALSE', 'NOT_APPLICABLE')
      AND draft_id IN (SELECT id FROM drafts WHERE questionnaire = 'privacy-security');

UPDATE revisions SET snapshot = json_set(snapshot, '$.answers."ccpa-service-provider"',
        CASE upper(json_extract(snapshot, '$.answers."ccpa-service-provider"'))
            WHEN 'TRUE' THEN json('true') WHEN 'FALSE' THEN json('false') ELSE 'NOT_APPLICABLE' END)
    WHERE json_valid(snapshot) AND json_type(snapshot, '$.answers."ccpa-service-provider"') = 'text'
      AND upper(json_extract(snapshot, '$.answers."ccpa-service-provider"')) IN ('TRUE', 'FALSE', 'NOT_APPLICABLE')
      AND draft_id IN (SELECT id FROM drafts WHERE questionnaire = 'privacy-security');

UPDATE revisions SET snapshot = json_set(snapshot, '$.answers."dpa"',
        CASE upper(json_extract(snapshot, '$.answers."dpa"'))
            WHEN 'TRUE' THEN json('true') WHEN 'FALSE' THEN json('false') ELSE 'NOT_APPLICABLE' END)
    WHERE json_valid(snapshot) AND json_type(snapshot, '$.answers."dpa"') = 'text'
      AND upper(json_extract(snapshot, '$.answers."dpa"')) IN ('TRUE', 'FALSE', 'NOT_APPLICABLE')
      AND draft_id IN (SELECT id FROM drafts WHERE questionnaire = 'privacy-security');

UPDATE revisions SET snapshot = json_set(snapshot, '$.answers."data-residency"', 'STORED_EXTERNAL_TO_ATLASSIAN')
    WHERE json_valid(snapshot)
      AND json_extract(snapshot, '$.answers."data-residency"') = 'STORED_OUTSIDE_ATLASSIAN_N_DR_SUPPORTED'
      AND draft_id IN (SELECT id FROM drafts WHERE questionnaire = 'privacy-security');

UPDATE revisions SET snapshot = json_remove(json_set(snapshot, '$.answers.certifications', json((
        SELECT json_group_array(v) FROM (
            SELECT v, min(src * 100000 + pos) AS ord FROM (
                SELECT CASE j.value WHEN 'SOC2_TYPE2' THEN 'SOC2' WHEN 'SOC2_TYPE1' THEN 'SOC2'
                                    WHEN 'FEDRAMP' THEN 'FedRAMP' ELSE j.value END AS v,
                       0 AS src, j.key AS pos
                    FROM json_each(revisions.snapshot, '$.answers.certifications') AS j
                    WHERE j.type = 'text' AND j.value <> 'OTHER'
                UNION ALL
                SELECT o.value, 1, o.key FROM json_each(revisions.snapshot, '$.answers."other-certifications"') AS o
                    WHERE o.type = 'text'
            ) GROUP BY lower(trim(v)) ORDER BY ord
        )))), '$.answers."other-certifications"')
    WHERE json_valid(snapshot)
      AND (json_type(snapshot, '$.answers.certifications') = 'array'
           OR json_type(snapshot, '$.answers."other-certifications"') = 'array')
      AND draft_id IN (SELECT id FROM drafts WHERE questionnaire = 'privacy-security');

UPDATE revisions SET snapshot = json_remove(snapshot, '$.answers.certifications')
    WHERE json_valid(snapshot) AND json_extract(snapshot, '$.answers.certifications') = '[]'
      AND draft_id IN (SELECT id FROM drafts WHERE questionnaire = 'privacy-security');
