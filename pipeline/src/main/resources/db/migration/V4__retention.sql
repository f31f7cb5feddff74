-- Earshot store, version 4: what retention needs (docs/store.md, "Retention").
-- Talk spurts and transcript lines are kept for calls in progress too, so they are not tied to
-- calls; stored_at ages those of a call whose summary never came. Rows already there age from
-- this migration.
ALTER TABLE segments ADD COLUMN stored_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE utterances ADD COLUMN stored_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX segments_stored_at ON segments (stored_at);
CREATE INDEX utterances_stored_at ON utterances (stored_at);
CREATE INDEX agent_windows_end ON agent_windows (window_end);
