package io.earshot.pipeline.api;

import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/**
 * What a calls query selects: every field is optional (null: no restriction). Time ranges are
 * half-open on the call's media start, {@code from <= start < to}.
 *
 * @param agent                     only this agent's calls
 * @param team                      only this team's calls
 * @param queue                     only this queue's calls
 * @param from                      calls that started at or after this instant
 * @param to                        calls that started before this instant
 * @param minInterruptionsPer10Min  agent interruptions per 10 min at least this (calls without a rate excluded)
 * @param maxInterruptionsPer10Min  at most this
 * @param talkShare                 whether the agent's talk share lies inside or outside the call's own band
 * @param minDurationMs             calls at least this long
 * @param endReason                 {@code ended} or {@code inactivity}
 * @param minScore                  listening score at least this (calls without a score excluded)
 * @param maxScore                  listening score at most this (calls without a score excluded)
 * @param visibleTeams              access control: only calls of these teams (null: all calls)
 * @param sort                      the order
 * @param limit                     at most this many rows (null: all, for exports)
 * @param offset                    rows skipped first
 */
public record CallFilter(String agent, String team, String queue, Instant from, Instant to,
        Double minInterruptionsPer10Min, Double maxInterruptionsPer10Min, TalkShareBand talkShare,
        Long minDurationMs, String endReason, Double minScore, Double maxScore, Set<String> visibleTeams, Sort sort,
        Integer limit, int offset) {

    /** Where a call's agent talk share lies against its band [talk_share_low, talk_share_high]. */
    public enum TalkShareBand { ANY, INSIDE, OUTSIDE }

    /** The columns a calls list may be sorted by: a whitelist, never SQL from the request. */
    public enum SortField {
        START_TIME("startTime", "media_start"),
        DURATION("duration", "duration_ms"),
        INTERRUPTION_RATE("interruptionRate", "agent_interruptions_per_10min"),
        TALK_SHARE("talkShare", "agent_talk_share"),
        AGENT("agent", "agent_id"),
        TEAM("team", "team"),
        LISTENING_SCORE("listeningScore", "listening_score");

        final String apiName;
        final String column;

        SortField(String apiName, String column) {
            this.apiName = apiName;
            this.column = column;
        }

        public String apiName() {
            return apiName;
        }
    }

    /** A sort field and direction; ties are broken by call id so paging is stable. */
    public record Sort(SortField field, boolean descending) {

        public static final Sort DEFAULT = new Sort(SortField.START_TIME, true);

        /** Parses {@code startTime} (ascending) or {@code -startTime} (descending). */
        public static Sort parse(String text) {
            boolean descending = text.startsWith("-");
            String name = descending ? text.substring(1) : text;
            for (SortField field : SortField.values()) {
                if (field.apiName.equals(name)) {
                    return new Sort(field, descending);
                }
            }
            throw new IllegalArgumentException("unknown sort field '" + name + "'");
        }

        String orderBy() {
            String direction = descending ? "DESC" : "ASC";
            return field.column + " " + direction + " NULLS LAST, call_id " + direction;
        }

        @Override
        public String toString() {
            return (descending ? "-" : "") + field.apiName;
        }
    }

    public CallFilter {
        talkShare = talkShare == null ? TalkShareBand.ANY : talkShare;
        sort = sort == null ? Sort.DEFAULT : sort;
        visibleTeams = visibleTeams == null ? null : Set.copyOf(visibleTeams);
        endReason = endReason == null ? null : endReason.toLowerCase(Locale.ROOT);
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
        if (minScore != null && maxScore != null && minScore > maxScore) {
            throw new IllegalArgumentException("minScore must not be above maxScore");
        }
        if (limit != null && limit < 0) {
            throw new IllegalArgumentException("limit must not be negative");
        }
    }

    /** All calls, newest first, no limit: a start for the {@code with} methods. */
    public static CallFilter all() {
        return new CallFilter(null, null, null, null, null, null, null, TalkShareBand.ANY, null, null, null,
                null, null, Sort.DEFAULT, null, 0);
    }

    public CallFilter withAgent(String value) {
        return new CallFilter(value, team, queue, from, to, minInterruptionsPer10Min, maxInterruptionsPer10Min,
                talkShare, minDurationMs, endReason, minScore, maxScore, visibleTeams, sort, limit, offset);
    }

    public CallFilter withTeam(String value) {
        return new CallFilter(agent, value, queue, from, to, minInterruptionsPer10Min, maxInterruptionsPer10Min,
                talkShare, minDurationMs, endReason, minScore, maxScore, visibleTeams, sort, limit, offset);
    }

    public CallFilter withRange(Instant fromValue, Instant toValue) {
        return new CallFilter(agent, team, queue, fromValue, toValue, minInterruptionsPer10Min,
                maxInterruptionsPer10Min, talkShare, minDurationMs, endReason, minScore, maxScore, visibleTeams, sort,
                limit, offset);
    }

    public CallFilter withSort(Sort value) {
        return new CallFilter(agent, team, queue, from, to, minInterruptionsPer10Min, maxInterruptionsPer10Min,
                talkShare, minDurationMs, endReason, minScore, maxScore, visibleTeams, value, limit, offset);
    }

    public CallFilter withVisibleTeams(Set<String> value) {
        return new CallFilter(agent, team, queue, from, to, minInterruptionsPer10Min, maxInterruptionsPer10Min,
                talkShare, minDurationMs, endReason, minScore, maxScore, value, sort, limit, offset);
    }
}
