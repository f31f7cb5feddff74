package io.earshot.analysis.windows;

import java.io.Serializable;

/**
 * Window sizes of the agent, team and queue metrics.
 *
 * @param liveSizeMs  length of the floor's live sliding window (default 15 min)
 * @param liveSlideMs how often the live window moves, so how often the floor sees new values
 *                    (default 10 s; keep it above the call job's running interval, 5 s, so each
 *                    update can carry fresh activity)
 * @param zoneOffsetMs the floor's local offset from UTC (e.g. {@code +5:30} for India, {@code -5 h}
 *                    for UTC-5): daily windows run from local midnight to midnight, hourly ones
 *                    on local hours (half-hour zones included). Default 0, UTC. A fixed offset:
 *                    daylight-saving days are not 23 or 25 hours long here.
 */
public record AgentWindowConfig(long liveSizeMs, long liveSlideMs, long zoneOffsetMs) implements Serializable {

    public static final long HOUR_MS = 3_600_000;
    public static final long DAY_MS = 24 * HOUR_MS;

    public static final AgentWindowConfig DEFAULTS = new AgentWindowConfig(15 * 60_000, 10_000, 0);

    public AgentWindowConfig {
        if (liveSlideMs <= 0 || liveSizeMs < liveSlideMs) {
            throw new IllegalArgumentException("live window needs 0 < slide <= size, got size " + liveSizeMs
                    + " slide " + liveSlideMs);
        }
        if (Math.abs(zoneOffsetMs) >= DAY_MS) {
            throw new IllegalArgumentException("zone offset must be under a day, got " + zoneOffsetMs);
        }
    }

    /** Where a daily window starts, from UTC midnight: local midnight is at {@code -zoneOffset} UTC. */
    public long dayWindowOffsetMs() {
        return -zoneOffsetMs;
    }

    /** Where an hourly window starts, from the UTC hour. */
    public long hourWindowOffsetMs() {
        return -zoneOffsetMs % HOUR_MS;
    }
}
