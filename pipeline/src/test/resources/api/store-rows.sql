-- Five calls of three agents in two teams over three days, with the evidence of one call and
-- some analysts' windows. ApiIT's expected values are computed from these numbers.
-- agent-1 and agent-2 work in billing, agent-3 in support. Band 0.35-0.55 for every call.
INSERT INTO calls (call_id, agent_id, team, queue, media_start, emitted_at, end_reason, duration_ms,
    agent_talk_ms, customer_talk_ms, overlap_ms, silence_ms, agent_talk_share, agent_interruptions,
    customer_interruptions, agent_interruptions_per_10min, agent_backchannels, customer_backchannels,
    transfers, respected_transfers, pause_respect_rate, mean_response_gap_ms, pause_intrusions,
    dead_air_count, dead_air_ms, longest_agent_monologue_ms, longest_customer_story_ms,
    talk_share_low, talk_share_high, thresholds) VALUES
('call-1', 'agent-1', 'billing', 'billing-q', '2026-01-05T09:00:00Z', '2026-01-05T09:10:01Z', 'ended', 600000,
    300000, 200000, 20000, 120000, 0.6, 3, 1, 3.0, 5, 2, 4, 3, 0.75, 250, 1, 1, 6000, 45000, 30000,
    0.35, 0.55, '{"talkShareLow":0.35,"talkShareHigh":0.55,"respectGapMs":300}'),
('call-2', 'agent-1', 'billing', 'billing-q', '2026-01-06T10:00:00Z', '2026-01-06T10:20:01Z', 'ended', 1200000,
    400000, 600000, 10000, 210000, 0.4, 1, 0, 0.5, 8, 1, 2, 2, 1.0, 500, 0, 0, 0, 50000, 70000,
    0.35, 0.55, '{"talkShareLow":0.35,"talkShareHigh":0.55,"respectGapMs":300}'),
('call-3', 'agent-2', 'billing', 'tech-q', '2026-01-06T11:00:00Z', '2026-01-06T11:05:31Z', 'inactivity', 300000,
    60000, 240000, 5000, 5000, 0.2, 2, 0, 4.0, 0, 3, 1, 0, 0.0, -100, 0, 0, 0, 20000, 90000,
    0.35, 0.55, '{"talkShareLow":0.35,"talkShareHigh":0.55,"respectGapMs":300}'),
('call-4', 'agent-3', 'support', 'tech-q', '2026-01-07T09:30:00Z', '2026-01-07T09:45:01Z', 'ended', 900000,
    450000, 450000, 30000, 30000, 0.5, 6, 2, 4.0, 4, 4, 3, 1, 0.3333333333333333, 400, 2, 0, 0, 60000, 60000,
    0.35, 0.55, '{"talkShareLow":0.35,"talkShareHigh":0.55,"respectGapMs":300}'),
('call-5', 'agent-3', 'support', 'tech-q', '2026-01-05T14:00:00Z', '2026-01-05T14:10:01Z', 'ended', 600000,
    0, 0, 0, 600000, NULL, 0, 0, 0.0, 0, 0, 0, 0, NULL, NULL, 0, 1, 600000, 0, 0,
    0.35, 0.55, '{"talkShareLow":0.35,"talkShareHigh":0.55,"respectGapMs":300}');

INSERT INTO response_gaps (call_id, seq, customer_end_ms, agent_start_ms, gap_ms, respected) VALUES
('call-1', 0, 10000, 9800, -200, false), ('call-1', 1, 30000, 30400, 400, true),
('call-1', 2, 60000, 60500, 500, true), ('call-1', 3, 90000, 90300, 300, true),
('call-2', 0, 20000, 20600, 600, true), ('call-2', 1, 40000, 40400, 400, true),
('call-3', 0, 5000, 4900, -100, false),
('call-4', 0, 1000, 1100, 100, false), ('call-4', 1, 2000, 2200, 200, false), ('call-4', 2, 3000, 3900, 900, true);

INSERT INTO interruptions (call_id, seq, by_role, of_role, start_ms, overlap_ms, successful, by_words, of_words) VALUES
('call-1', 0, 'AGENT', 'CUSTOMER', 5260, 1180, true, 'let me pull up your account', 'nothing has changed at');

INSERT INTO backchannels (call_id, seq, by_role, start_ms, end_ms, text) VALUES
('call-1', 0, 'AGENT', 3760, 4200, '');

INSERT INTO dead_air (call_id, seq, start_ms, end_ms) VALUES ('call-1', 0, 100000, 106000);

INSERT INTO segments (call_id, role, seq, start_ms, end_ms, pitch_median_hz, pitch_range_semitones, loudness_dbfs, voiced_ratio) VALUES
('call-1', 'AGENT', 0, 200, 2060, 194.1, 13.1, -21.4, 0.67),
('call-1', 'CUSTOMER', 0, 2280, 6440, NULL, NULL, -20.3, 0.45);

INSERT INTO utterances (call_id, role, seq, start_ms, end_ms, text, words) VALUES
('call-1', 'AGENT', 0, 210, 2070, 'northwind energy',
    '[{"word":"northwind","startMs":210,"endMs":900,"conf":0.9},{"word":"energy","startMs":950,"endMs":2070,"conf":1.0}]'),
('call-1', 'CUSTOMER', 0, 2300, 6470, 'my bill', '[{"word":"my","startMs":2300,"endMs":2500,"conf":1.0},{"word":"bill","startMs":2550,"endMs":6470,"conf":0.8}]');

INSERT INTO agent_windows (scope, key, window_kind, window_start, window_end, call_time_ms, agent_talk_ms,
    customer_talk_ms, overlap_ms, silence_ms, agent_interruptions, agent_interruption_overlap_ms,
    customer_interruptions, agent_backchannels, customer_backchannels, transfers, respected_transfers,
    response_gap_sum_ms, pause_intrusions, calls_ended, agent_talk_share, agent_interruptions_per_10min,
    pause_respect_rate, mean_response_gap_ms) VALUES
('AGENT', 'agent-1', 'DAILY', '2026-01-05T00:00:00Z', '2026-01-06T00:00:00Z', 600000, 300000, 200000, 20000, 120000,
    3, 3500, 1, 5, 2, 4, 3, 1000, 1, 1, 0.6, 3.0, 0.75, 250),
('AGENT', 'agent-1', 'DAILY', '2026-01-06T00:00:00Z', '2026-01-07T00:00:00Z', 1200000, 400000, 600000, 10000, 210000,
    1, 900, 0, 8, 1, 2, 2, 1000, 0, 1, 0.4, 0.5, 1.0, 500),
('AGENT', 'agent-1', 'HOURLY', '2026-01-05T09:00:00Z', '2026-01-05T10:00:00Z', 600000, 300000, 200000, 20000, 120000,
    3, 3500, 1, 5, 2, 4, 3, 1000, 1, 1, 0.6, 3.0, 0.75, 250),
('AGENT', 'agent-3', 'DAILY', '2026-01-07T00:00:00Z', '2026-01-08T00:00:00Z', 900000, 450000, 450000, 30000, 30000,
    6, 5000, 2, 4, 4, 3, 1, 1200, 2, 1, 0.5, 4.0, 0.3333333333333333, 400),
('TEAM', 'billing', 'DAILY', '2026-01-06T00:00:00Z', '2026-01-07T00:00:00Z', 1500000, 460000, 840000, 15000, 215000,
    3, 1500, 0, 8, 4, 3, 2, 900, 0, 2, 0.35384615384615387, 1.2, 0.6666666666666666, 300),
('TEAM', 'support', 'DAILY', '2026-01-07T00:00:00Z', '2026-01-08T00:00:00Z', 900000, 450000, 450000, 30000, 30000,
    6, 5000, 2, 4, 4, 3, 1, 1200, 2, 1, 0.5, 4.0, 0.3333333333333333, 400);
