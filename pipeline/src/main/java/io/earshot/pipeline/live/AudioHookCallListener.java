package io.earshot.pipeline.live;

import com.fasterxml.jackson.databind.JsonNode;
import io.earshot.ingest.live.CallInfo;
import io.earshot.ingest.live.CallLogContext;
import io.earshot.ingest.live.LiveCall;
import io.earshot.ingest.protocol.CallRejectedException;
import io.earshot.ingest.protocol.audiohook.AudioBlock;
import io.earshot.ingest.protocol.audiohook.AudioHookListener;
import io.earshot.ingest.protocol.audiohook.Messages.MediaFormat;
import io.earshot.ingest.protocol.audiohook.Messages.Open;
import io.earshot.schemas.ChannelRole;
import io.earshot.schemas.Role;
import io.earshot.schemas.SourceProtocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One AudioHook session as a live call. The call id is the Genesys conversation id (or the
 * integration's own, {@code customConfig.callId}, when it sets one); agent,
 * team and queue come from the integration's {@code customConfig}
 * ({@code {"agentId": ..., "team": ..., "queue": ...}}) through the {@link AgentDirectory}.
 * An AudioHook Monitor integration's {@code customConfig} is the same for every call, so it
 * usually names no agent: the call then starts on the default agent, awaiting its assignment by
 * conversation id on {@code earshot.call-assignments} (docs/integrations/genesys.md).
 * The internal channel is the agent, the external one the customer; a missing channel is
 * silence. Audio the client discarded or paused over is silence too, so media positions stay
 * those of the protocol. The call ends when the close transaction completes, or, keeping what
 * was computed so far, when the session fails, or when the server ends it at a bound (the
 * call-duration limit). The call counts against its API key's share of the
 * {@link CallRegistry.Limits}.
 */
final class AudioHookCallListener implements AudioHookListener {

    private final CallRegistry calls;
    private final String apiKey;
    private String callId;
    private LiveCall call;

    AudioHookCallListener(CallRegistry calls) {
        this(calls, null);
    }

    /** @param apiKey the API key the connection was authenticated with; calls are bounded per key */
    AudioHookCallListener(CallRegistry calls, String apiKey) {
        this.calls = calls;
        this.apiKey = apiKey;
    }

    @Override
    public void onOpen(Open open, MediaFormat media) {
        JsonNode config = open.customConfig();
        AgentDirectory.Assignment who;
        try {
            who = calls.agents().assign(text(config, "agentId"), text(config, "team"), text(config, "queue"));
        } catch (CallRejectedException e) {
            calls.refused();
            throw e;
        }
        List<ChannelRole> channels = new ArrayList<>();
        for (int i = 0; i < media.channels().size(); i++) {
            String label = media.channels().get(i);
            channels.add(new ChannelRole(i, label, "internal".equals(label) ? Role.AGENT : Role.CUSTOMER));
        }
        long mediaStart = calls.clock().millis() - open.position().toMillis();
        String ownId = text(config, "callId");
        callId = ownId != null && !ownId.isBlank() ? ownId : open.conversationId();
        call = calls.start(new CallInfo(callId, who.agentId(), who.team(), who.queue(), SourceProtocol.AUDIOHOOK,
                channels, mediaStart, media.rate(), who.defaulted()), apiKey == null ? null : "audiohook:" + apiKey);
    }

    @Override
    public void onAudio(AudioBlock block) {
        int n = block.sampleCount();
        short[] agent = block.internal().length == n ? block.internal() : new short[n];
        short[] customer = block.external().length == n ? block.external() : new short[n];
        try (CallLogContext.Scope ctx = CallLogContext.enter(callId)) {
            call.push(agent, customer, block.startSample());
            calls.audioReceived(call, n);
        } catch (IllegalArgumentException e) {
            throw new CallRejectedException(e.getMessage());
        }
    }

    @Override
    public void onPaused() {
        // the gap is filled with silence when audio resumes at a later position
    }

    @Override
    public void onResumed(Duration discarded) {
        // as above
    }

    @Override
    public void onClosed(String reason) {
        end(reason == null ? "closed" : reason);
    }

    @Override
    public void onEndedByServer(String reason) {
        end(reason);
    }

    @Override
    public void onError(int code, String message) {
        end("error: " + message);
    }

    private void end(String reason) {
        if (call != null) {
            try (CallLogContext.Scope ctx = CallLogContext.enter(callId)) {
                calls.finish(callId, reason);
            }
        }
    }

    private static String text(JsonNode node, String field) {
        if (node == null || !node.hasNonNull(field)) {
            return null;
        }
        return node.get(field).asText();
    }
}
