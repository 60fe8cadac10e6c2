-- The problem-closure loop (发现 → 交办 → 整改 → 反馈): problems raised from residents'
-- suggestions, the checklist, inspections, visits and 12345 cases; every step of each
-- in a dated log; photos of what was found and what was done; and an outbox of
-- reminders to a group-robot webhook, written in the transaction of the step that
-- causes them. No existing table is rewritten.

CREATE TABLE problems (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    area_id       bigint NOT NULL REFERENCES areas (id),
    category      text NOT NULL,
    description   text NOT NULL,
    source        text NOT NULL CHECK (source IN ('suggestion', 'checklist', 'inspection', 'visit', 'hotline')),
    evidence      text NOT NULL DEFAULT '',
    response_id   uuid REFERENCES responses (id) ON DELETE SET NULL,
    status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'assigned', 'rectified', 'closed')),
    raised_by     bigint REFERENCES users (id),
    raised_at     timestamptz NOT NULL DEFAULT now(),
    unit_id       bigint REFERENCES areas (id),
    assignee      text NOT NULL DEFAULT '',
    due           date,
    assigned_at   timestamptz,
    rectified_at  timestamptz,
    rectify_note  text NOT NULL DEFAULT '',
    closed_at     timestamptz,
    close_note    text NOT NULL DEFAULT '',
    public_note   text NOT NULL DEFAULT '',
    contacted     boolean NOT NULL DEFAULT false,
    satisfied     boolean,
    overdue_sent  date,
    demo          boolean NOT NULL DEFAULT false,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (status = 'open' OR (unit_id IS NOT NULL AND due IS NOT NULL)),
    CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);
CREATE INDEX problems_area_idx ON problems (area_id, raised_at DESC);
CREATE INDEX problems_unit_idx ON problems (unit_id, due) WHERE status <> 'closed';
CREATE INDEX problems_due_idx ON problems (due) WHERE status <> 'closed';
CREATE INDEX problems_closed_idx ON problems (area_id, closed_at) WHERE status = 'closed';
CREATE INDEX problems_raised_by_idx ON problems (raised_by);
COMMENT ON TABLE problems IS 'Problems to be fixed: raised (open), assigned to a unit with a due day, rectified, closed; reopened back to assigned.';
COMMENT ON COLUMN problems.category IS 'One of the checklist options of the survey (its text), or 其他.';
COMMENT ON COLUMN problems.evidence IS 'Why the problem was raised from the checklist: the category''s share in the area against its siblings.';
COMMENT ON COLUMN problems.response_id IS 'The response whose suggestion raised the problem; never a household.';
COMMENT ON COLUMN problems.unit_id IS 'The area whose officials must fix the problem.';
COMMENT ON COLUMN problems.due IS 'Last local day (MINYI_TZ) for the rectification: due by the end of that day.';
COMMENT ON COLUMN problems.public_note IS 'What residents read on the public 问效 page once the problem is closed.';
COMMENT ON COLUMN problems.contacted IS 'The resident who left a phone number was called back.';
COMMENT ON COLUMN problems.satisfied IS 'Whether the resident called back was satisfied; NULL when unknown.';
COMMENT ON COLUMN problems.overdue_sent IS 'The due day for which the overdue reminder was queued: one reminder per due day.';
COMMENT ON COLUMN problems.demo IS 'Generated demo data, removable.';

CREATE TABLE problem_log (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    problem_id   bigint NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    at           timestamptz NOT NULL DEFAULT now(),
    action       text NOT NULL,
    from_status  text NOT NULL DEFAULT '',
    to_status    text NOT NULL,
    user_id      bigint REFERENCES users (id),
    username     text NOT NULL DEFAULT '',
    note         text NOT NULL DEFAULT '',
    detail       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX problem_log_problem_idx ON problem_log (problem_id, at);
COMMENT ON TABLE problem_log IS 'Every step of every problem, in order: raise, assign, rectify, photo, close, reopen. Append-only.';

CREATE TABLE problem_photos (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    problem_id  bigint NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    stage       text NOT NULL,
    type        text NOT NULL CHECK (type IN ('image/jpeg', 'image/png')),
    width       integer NOT NULL,
    height      integer NOT NULL,
    data        bytea NOT NULL,
    user_id     bigint REFERENCES users (id),
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX problem_photos_problem_idx ON problem_photos (problem_id, id);
COMMENT ON TABLE problem_photos IS 'Photos of a problem, decoded and re-encoded on upload: no EXIF (place, device) survives.';
COMMENT ON COLUMN problem_photos.stage IS 'The problem''s status when the photo was added: open (as found), assigned or rectified (the work).';

CREATE TABLE notify_outbox (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text NOT NULL,
    problem_id  bigint REFERENCES problems (id) ON DELETE CASCADE,
    title       text NOT NULL,
    body        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    next_at     timestamptz NOT NULL DEFAULT now(),
    attempts    integer NOT NULL DEFAULT 0,
    last_error  text NOT NULL DEFAULT '',
    sent_at     timestamptz,
    failed_at   timestamptz
);
CREATE INDEX notify_outbox_due_idx ON notify_outbox (next_at) WHERE sent_at IS NULL AND failed_at IS NULL;
COMMENT ON TABLE notify_outbox IS 'Markdown messages for the group-robot webhook (MINYI_NOTIFY_WEBHOOK), written in the transaction of the step they report and delivered by the server in the background: each sent once, retried a bounded number of times.';
COMMENT ON COLUMN notify_outbox.kind IS 'assigned or overdue.';
COMMENT ON COLUMN notify_outbox.sent_at IS 'When the webhook accepted the message; NULL until then.';
COMMENT ON COLUMN notify_outbox.failed_at IS 'When delivery was given up after the last retry.';
