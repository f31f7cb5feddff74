-- Earshot store, version 2: how agents listen (docs/metrics.md, "Listening behaviours", "Tone",
-- "Listening score", "Coaching notes"); docs/store.md describes every column.

ALTER TABLE calls
    ADD COLUMN listening_score              double precision,   -- 0-100; null when nothing could be judged
    ADD COLUMN listening_score_detail       jsonb,              -- {components: [{name, value, weight, points}], thresholds}
    ADD COLUMN agent_speaking_rate_wpm      double precision,
    ADD COLUMN customer_speaking_rate_wpm   double precision,
    ADD COLUMN voice_baselines              jsonb;              -- [{role, pitchSemitones, loudnessDbfs, speakingRateWpm, speechMs, words}]
CREATE INDEX calls_listening_score ON calls (listening_score);

-- Every listening behaviour of a call, with its evidence.
CREATE TABLE behaviours (
    call_id   text NOT NULL REFERENCES calls ON DELETE CASCADE,
    seq       int NOT NULL,
    by_role   text NOT NULL,          -- AGENT or CUSTOMER
    kind      text NOT NULL,          -- paraphrase, summary, empathy, apology, open_question, ...
    start_ms  bigint NOT NULL,
    end_ms    bigint NOT NULL,
    text      text NOT NULL,          -- the words that matched
    reason    text NOT NULL,          -- the phrase, or the customer's words restated
    PRIMARY KEY (call_id, seq)
);
CREATE INDEX behaviours_kind ON behaviours (kind);

-- Every tone event of a call with the values it was measured from.
CREATE TABLE tone_events (
    call_id   text NOT NULL REFERENCES calls ON DELETE CASCADE,
    seq       int NOT NULL,
    by_role   text NOT NULL,
    kind      text NOT NULL,          -- raised_voice, agitation, monotone, fast_speech
    start_ms  bigint NOT NULL,
    end_ms    bigint NOT NULL,
    "values"  jsonb NOT NULL,         -- {"loudnessDb": -13.6, "baselineDb": -21.9, "excessDb": 8.3}
    PRIMARY KEY (call_id, seq)
);

-- The coaching notes of a call, most useful first.
CREATE TABLE coaching_notes (
    call_id   text NOT NULL REFERENCES calls ON DELETE CASCADE,
    seq       int NOT NULL,
    kind      text NOT NULL,
    at_ms     bigint NOT NULL,
    message   text NOT NULL,
    PRIMARY KEY (call_id, seq)
);

ALTER TABLE agent_windows
    ADD COLUMN agent_paraphrases           bigint NOT NULL DEFAULT 0,
    ADD COLUMN agent_summaries             bigint NOT NULL DEFAULT 0,
    ADD COLUMN agent_empathy               bigint NOT NULL DEFAULT 0,
    ADD COLUMN agent_apologies             bigint NOT NULL DEFAULT 0,
    ADD COLUMN agent_open_questions        bigint NOT NULL DEFAULT 0,
    ADD COLUMN agent_clarifying_questions  bigint NOT NULL DEFAULT 0,
    ADD COLUMN agent_closed_questions      bigint NOT NULL DEFAULT 0,
    ADD COLUMN agent_follow_ups            bigint NOT NULL DEFAULT 0,
    ADD COLUMN agent_raised_voice          bigint NOT NULL DEFAULT 0,
    ADD COLUMN agent_monotone              bigint NOT NULL DEFAULT 0,
    ADD COLUMN agent_fast_speech           bigint NOT NULL DEFAULT 0,
    ADD COLUMN customer_raised_voice       bigint NOT NULL DEFAULT 0,
    ADD COLUMN customer_agitation          bigint NOT NULL DEFAULT 0,
    ADD COLUMN listening_score             double precision,
    ADD COLUMN listening_score_detail      jsonb;
