-- Earshot store, version 1: what the analysts query (docs/store.md describes every table).
-- Times are timestamptz; media positions within a call are milliseconds from its start (bigint).
-- Rows are written idempotently (keyed upserts), so a replayed Kafka record changes nothing.

-- One row per call, from its final summary (earshot.call-summaries).
CREATE TABLE calls (
    call_id                         text PRIMARY KEY,
    agent_id                        text NOT NULL,
    team                            text,
    queue                           text,
    media_start                     timestamptz NOT NULL,
    emitted_at                      timestamptz NOT NULL,
    end_reason                      text NOT NULL,          -- "ended" or "inactivity"
    duration_ms                     bigint NOT NULL,
    agent_talk_ms                   bigint NOT NULL,
    customer_talk_ms                bigint NOT NULL,
    overlap_ms                      bigint NOT NULL,
    silence_ms                      bigint NOT NULL,
    agent_talk_share                double precision,       -- null when nobody spoke
    agent_interruptions             bigint NOT NULL,
    customer_interruptions          bigint NOT NULL,
    agent_interruptions_per_10min   double precision,
    agent_backchannels              bigint NOT NULL,
    customer_backchannels           bigint NOT NULL,
    transfers                       bigint NOT NULL,        -- customer-to-agent floor transfers
    respected_transfers             bigint NOT NULL,
    pause_respect_rate              double precision,       -- null without transfers
    mean_response_gap_ms            bigint,
    pause_intrusions                bigint NOT NULL,
    dead_air_count                  bigint NOT NULL,
    dead_air_ms                     bigint NOT NULL,
    longest_agent_monologue_ms      bigint NOT NULL,
    longest_customer_story_ms       bigint NOT NULL,
    talk_share_low                  double precision NOT NULL,  -- the band the call was judged against
    talk_share_high                 double precision NOT NULL,
    transcription_skipped_regions   bigint NOT NULL DEFAULT 0,
    transcription_skipped_speech_ms bigint NOT NULL DEFAULT 0,
    max_transcription_lag_ms        bigint NOT NULL DEFAULT 0,
    thresholds                      jsonb NOT NULL          -- MetricThresholds as JSON
);
CREATE INDEX calls_agent_start ON calls (agent_id, media_start);
CREATE INDEX calls_team_start ON calls (team, media_start);
CREATE INDEX calls_queue_start ON calls (queue, media_start);
CREATE INDEX calls_start ON calls (media_start);

-- Every interruption of a call with its evidence: who, when, how long both spoke, the words.
CREATE TABLE interruptions (
    call_id      text NOT NULL REFERENCES calls ON DELETE CASCADE,
    seq          int NOT NULL,              -- order within the call
    by_role      text NOT NULL,             -- AGENT or CUSTOMER
    of_role      text NOT NULL,
    start_ms     bigint NOT NULL,
    overlap_ms   bigint NOT NULL,
    successful   boolean NOT NULL,          -- the interrupted party stopped: the floor changed hands
    by_words     text NOT NULL,             -- what the interrupter said over the overlap
    of_words     text NOT NULL,             -- what the interrupted party said over it
    PRIMARY KEY (call_id, seq)
);

CREATE TABLE backchannels (
    call_id   text NOT NULL REFERENCES calls ON DELETE CASCADE,
    seq       int NOT NULL,
    by_role   text NOT NULL,
    start_ms  bigint NOT NULL,
    end_ms    bigint NOT NULL,
    text      text NOT NULL,
    PRIMARY KEY (call_id, seq)
);

CREATE TABLE response_gaps (
    call_id          text NOT NULL REFERENCES calls ON DELETE CASCADE,
    seq              int NOT NULL,
    customer_end_ms  bigint NOT NULL,
    agent_start_ms   bigint NOT NULL,
    gap_ms           bigint NOT NULL,       -- negative when the agent started before the customer stopped
    respected        boolean NOT NULL,
    PRIMARY KEY (call_id, seq)
);

CREATE TABLE dead_air (
    call_id   text NOT NULL REFERENCES calls ON DELETE CASCADE,
    seq       int NOT NULL,
    start_ms  bigint NOT NULL,
    end_ms    bigint NOT NULL,
    PRIMARY KEY (call_id, seq)
);

-- The call's timeline: talk spurts with tone (earshot.speech) and the transcript
-- (earshot.utterances). Kept for calls still in progress too, so they are not tied to calls.
CREATE TABLE segments (
    call_id                text NOT NULL,
    role                   text NOT NULL,
    seq                    int NOT NULL,    -- the spurt's number for its role
    start_ms               bigint NOT NULL,
    end_ms                 bigint NOT NULL,
    pitch_median_hz        double precision,
    pitch_range_semitones  double precision,
    loudness_dbfs          double precision NOT NULL,
    voiced_ratio           double precision NOT NULL,
    PRIMARY KEY (call_id, role, seq)
);

CREATE TABLE utterances (
    call_id   text NOT NULL,
    role      text NOT NULL,
    seq       int NOT NULL,                 -- the utterance's number for its role
    start_ms  bigint NOT NULL,
    end_ms    bigint NOT NULL,
    text      text NOT NULL,
    words     jsonb NOT NULL,               -- [{"word","startMs","endMs","conf"}]
    PRIMARY KEY (call_id, role, seq)
);

-- Agent, team and queue windows (earshot.agent-metrics): summed counts and durations, so any
-- set of windows can be re-divided into rates.
CREATE TABLE agent_windows (
    scope                         text NOT NULL,      -- AGENT, TEAM or QUEUE
    key                           text NOT NULL,      -- the agent id, team or queue
    window_kind                   text NOT NULL,      -- LIVE, HOURLY or DAILY
    window_start                  timestamptz NOT NULL,
    window_end                    timestamptz NOT NULL,
    call_time_ms                  bigint NOT NULL,
    agent_talk_ms                 bigint NOT NULL,
    customer_talk_ms              bigint NOT NULL,
    overlap_ms                    bigint NOT NULL,
    silence_ms                    bigint NOT NULL,
    agent_interruptions           bigint NOT NULL,
    agent_interruption_overlap_ms bigint NOT NULL,
    customer_interruptions        bigint NOT NULL,
    agent_backchannels            bigint NOT NULL,
    customer_backchannels         bigint NOT NULL,
    transfers                     bigint NOT NULL,
    respected_transfers           bigint NOT NULL,
    response_gap_sum_ms           bigint NOT NULL,
    pause_intrusions              bigint NOT NULL,
    calls_ended                   bigint NOT NULL,
    agent_talk_share              double precision,
    agent_interruptions_per_10min double precision,
    pause_respect_rate            double precision,
    mean_response_gap_ms          bigint,
    PRIMARY KEY (scope, key, window_kind, window_start)
);
CREATE INDEX agent_windows_range ON agent_windows (scope, window_kind, window_start);

-- API tokens: only a SHA-256 hash of each token is kept.
CREATE TABLE api_tokens (
    token_id     text PRIMARY KEY,
    token_sha256 text NOT NULL UNIQUE,       -- hex
    role         text NOT NULL CHECK (role IN ('SUPERVISOR', 'ANALYST', 'ADMIN')),
    teams        text[] NOT NULL DEFAULT '{}', -- a supervisor sees only these teams
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz
);

-- Alerts raised on the live floor and their acknowledgement.
CREATE TABLE alerts (
    alert_id         bigserial PRIMARY KEY,
    agent_id         text NOT NULL,
    team             text,
    call_id          text,
    kind             text NOT NULL,          -- INTERRUPTIONS, TALK_SHARE, DEAD_AIR
    raised_at        timestamptz NOT NULL,
    detail           text NOT NULL,
    acknowledged_by  text,                   -- token id of the supervisor
    acknowledged_at  timestamptz
);
CREATE INDEX alerts_open ON alerts (team, raised_at) WHERE acknowledged_at IS NULL;
