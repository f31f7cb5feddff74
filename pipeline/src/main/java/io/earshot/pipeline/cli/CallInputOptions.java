package io.earshot.pipeline.cli;

import io.earshot.ingest.audio.AgentChannel;
import picocli.CommandLine.Option;

/** How recorded calls are read and recognised: shared by the commands that take WAV files. */
final class CallInputOptions {

    @Option(names = "--agent-channel", defaultValue = "left", paramLabel = "left|right",
            description = "Channel of a stereo file that carries the agent (default: ${DEFAULT-VALUE}).")
    String agentChannel;

    @Option(names = "--asr-threads", defaultValue = "2", description = "Concurrent recognizers (default: ${DEFAULT-VALUE}).")
    int asrThreads;

    AgentChannel agentChannel() {
        return AgentChannel.parse(agentChannel);
    }
}
