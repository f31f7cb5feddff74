package io.earshot.pipeline.live;

import io.earshot.ingest.live.CallInfo;
import io.earshot.ingest.live.CallLogContext;
import io.earshot.ingest.live.LiveCall;
import io.earshot.ingest.protocol.CallRejectedException;
import io.earshot.ingest.protocol.twilio.Messages.Track;
import io.earshot.ingest.protocol.twilio.TwilioListener;
import io.earshot.schemas.ChannelRole;
import io.earshot.schemas.Role;
import io.earshot.schemas.SourceProtocol;
import java.util.List;
import java.util.Map;

/**
 * One Twilio Media Stream as a live call. The call id is the call SID (or the {@code callId}
 * parameter, when the TwiML sets one); the agent comes from the TwiML {@code <Parameter>}
 * {@code agentId}, team and queue from the roster through the {@link AgentDirectory} (from the
 * parameters {@code team} and {@code queue} only when no roster is configured). The
 * session has already aligned the two tracks and mapped them to agent and customer. The call
 * ends on {@code stop}, or, keeping what was computed so far, when the stream fails or the
 * server ends it at a bound (the call-duration limit). The call counts against its caller's
 * share of the {@link CallRegistry.Limits}; the caller is {@link #callerKey keyed} on the
 * {@code accountSid} of the start message.
 */
final class TwilioCallListener implements TwilioListener {

    /** Twilio Media Streams carry 8 kHz mu-law. */
    private static final int RATE = 8000;

    private final CallRegistry calls;
    private final Track agentTrack;
    private String callId;
    private LiveCall call;

    TwilioCallListener(CallRegistry calls, Track agentTrack) {
        this.calls = calls;
        this.agentTrack = agentTrack;
    }

    @Override
    public void onStart(String callSid, String streamSid, Map<String, String> customParameters) {
        onStart(null, callSid, streamSid, customParameters);
    }

    /**
     * The key the per-caller call bound counts on: the Twilio account the stream says it belongs
     * to. The one place to change when the caller is identified by its credential instead.
     */
    static String callerKey(String accountSid) {
        return accountSid == null || accountSid.isBlank() ? "twilio:" : "twilio:" + accountSid;
    }

    @Override
    public void onStart(String accountSid, String callSid, String streamSid, Map<String, String> customParameters) {
        AgentDirectory.Assignment who;
        try {
            who = calls.agents().assign(customParameters.get("agentId"), customParameters.get("team"),
                    customParameters.get("queue"));
        } catch (CallRejectedException e) {
            calls.refused();
            throw e;
        }
        Track customerTrack = agentTrack == Track.OUTBOUND ? Track.INBOUND : Track.OUTBOUND;
        List<ChannelRole> channels = List.of(new ChannelRole(0, agentTrack.wire(), Role.AGENT),
                new ChannelRole(1, customerTrack.wire(), Role.CUSTOMER));
        String ownId = customParameters.get("callId");
        callId = ownId != null && !ownId.isBlank() ? ownId : callSid;
        call = calls.start(new CallInfo(callId, who.agentId(), who.team(), who.queue(), SourceProtocol.TWILIO,
                channels, calls.clock().millis(), RATE, who.defaulted()), callerKey(accountSid));
    }

    @Override
    public void onAudio(short[] agent, short[] customer, long positionSamples) {
        try (CallLogContext.Scope ctx = CallLogContext.enter(callId)) {
            call.push(agent, customer, positionSamples);
            calls.audioReceived(call, agent.length);
        } catch (IllegalArgumentException e) {
            throw new CallRejectedException(e.getMessage());
        }
    }

    @Override
    public void onMark(String name) {
        // marks acknowledge audio Twilio played; nothing to measure
    }

    @Override
    public void onDtmf(String digit) {
        // key presses are not speech
    }

    @Override
    public void onStop() {
        end("stop");
    }

    @Override
    public void onEndedByServer(String reason) {
        end(reason);
    }

    @Override
    public void onError(String reason) {
        end("error: " + reason);
    }

    private void end(String reason) {
        if (call != null) {
            try (CallLogContext.Scope ctx = CallLogContext.enter(callId)) {
                calls.finish(callId, reason);
            }
        }
    }
}
