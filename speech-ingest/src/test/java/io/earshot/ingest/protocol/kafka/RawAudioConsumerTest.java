package io.earshot.ingest.protocol.kafka;

import static io.earshot.ingest.audio.TestSamples.concat;
import static io.earshot.ingest.audio.TestSamples.ramp;
import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.contracts.AvroSerde;
import io.earshot.contracts.Topics;
import io.earshot.ingest.live.LiveCall;
import io.earshot.ingest.protocol.IngestLimits;
import io.earshot.schemas.AudioEncoding;
import io.earshot.schemas.CallEnded;
import io.earshot.schemas.CallStarted;
import io.earshot.schemas.ChannelRole;
import io.earshot.schemas.EventRejected;
import io.earshot.schemas.RawAudioChunk;
import io.earshot.schemas.Role;
import io.earshot.schemas.SourceProtocol;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class RawAudioConsumerTest {

    private static final TopicPartition AUDIO = new TopicPartition(Topics.AUDIO_RAW, 0);

    /** A listener that must not be reached: every record of these tests is refused. */
    private static final RawAudioListener NO_CALLS = new RawAudioListener() {
        @Override
        public LiveCall start(io.earshot.schemas.CallStarted started) {
            throw new AssertionError("no call starts");
        }

        @Override
        public void audio(LiveCall call, short[] agent, short[] customer, long positionSamples) {
            throw new AssertionError("no audio is released");
        }

        @Override
        public void finish(String callId, String reason) {
            throw new AssertionError("no call ends");
        }
    };

    @Test
    void shouldDeadLetterUnusableRecordsAndGoOnWithTheNext() throws Exception {
        MockProducer<String, EventRejected> deadLetters = new MockProducer<>(true, null, new StringSerializer(),
                AvroSerde.of(EventRejected.class));
        MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest") {
            @Override
            public synchronized void subscribe(java.util.Collection<String> topics) {
                assign(List.of(AUDIO));
                updateBeginningOffsets(Map.of(AUDIO, 0L));
            }
        };
        byte[] chunk = AvroSerde.of(RawAudioChunk.class).serialize(Topics.AUDIO_RAW, RawAudioChunk.newBuilder()
                .setCallId("c-1").setRole(Role.AGENT).setSequence(0).setEncoding(AudioEncoding.L16)
                .setSampleRate(8000).setPositionMs(0).setPayload(ByteBuffer.wrap(new byte[160])).build());
        List<ConsumerRecord<String, byte[]>> records = List.of(
                new ConsumerRecord<>(Topics.AUDIO_RAW, 0, 0, "c-0", new byte[] {1, 2, 3}),
                new ConsumerRecord<>(Topics.AUDIO_RAW, 0, 1, "c-1", chunk),
                new ConsumerRecord<>(Topics.AUDIO_RAW, 0, 2, "c-2", null));
        RawAudioConsumer raw = new RawAudioConsumer("raw-audio", () -> consumer, deadLetters, NO_CALLS,
                IngestLimits.defaults());
        List<Long> handled = new ArrayList<>();
        consumer.schedulePollTask(() -> records.forEach(consumer::addRecord));
        consumer.schedulePollTask(raw::stop);

        raw.run(() -> handled.add((long) handled.size()));
        raw.close();

        assertThat(handled).hasSize(3);
        assertThat(raw.rejected()).isEqualTo(3);
        List<ProducerRecord<String, EventRejected>> sent = deadLetters.history();
        assertThat(sent).extracting(ProducerRecord::topic).containsOnly(Topics.DEAD_LETTERS);
        assertThat(sent).extracting(ProducerRecord::key).containsExactly("c-0", "c-1", "c-2");
        assertThat(sent.get(0).value().getReason()).startsWith(Topics.AUDIO_RAW + "[0]@0: ");
        assertThat(sent.get(1).value().getKind()).isEqualTo("RawAudioChunk");
        assertThat(sent.get(1).value().getReason()).isEqualTo(
                "audio chunk of call 'c-1', which has not started (or has ended)");
        assertThat(sent.get(2).value().getReason()).isEqualTo("a null value (tombstone) is not an event");
    }
    @Test
    void shouldGiveUpALaggingPartyAfterASecondAndUseWhatIsNewOfItsLateChunks() throws Exception {
        MockProducer<String, EventRejected> deadLetters = new MockProducer<>(true, null, new StringSerializer(),
                AvroSerde.of(EventRejected.class));
        MockConsumer<String, byte[]> consumer = subscribedConsumer();
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        records.add(record(AvroSerde.of(CallStarted.class).serialize(Topics.AUDIO_RAW, CallStarted.newBuilder()
                .setCallId("c-1").setAgentId("a-1").setSourceProtocol(SourceProtocol.KAFKA_RAW)
                .setChannels(List.of(new ChannelRole(0, "agent", Role.AGENT), new ChannelRole(1, "customer",
                        Role.CUSTOMER)))
                .setMediaStartTime(Instant.EPOCH).setSampleRate(8000).build())));
        for (int i = 0; i < 60; i++) { // 1.2 s of the agent, nothing of the customer yet
            records.add(record(chunk(Role.AGENT, i, 20L * i, ramp(1 + 160 * i, 160))));
        }
        records.add(record(chunk(Role.CUSTOMER, 0, 100, ramp(20_001, 160)))); // 100..120 ms: given up
        records.add(record(chunk(Role.CUSTOMER, 1, 190, ramp(20_161, 160)))); // 190..210 ms: half given up
        records.add(record(AvroSerde.of(CallEnded.class).serialize(Topics.AUDIO_RAW, CallEnded.newBuilder()
                .setCallId("c-1").setEndMs(0).setReason("eof").setEndedAt(Instant.EPOCH).build())));
        List<short[]> agent = new ArrayList<>();
        List<short[]> customer = new ArrayList<>();
        List<String> finished = new ArrayList<>();
        RawAudioListener listener = new RawAudioListener() {
            @Override
            public LiveCall start(CallStarted started) {
                return null;
            }

            @Override
            public void audio(LiveCall call, short[] a, short[] c, long positionSamples) {
                assertThat(positionSamples).isEqualTo(agent.stream().mapToInt(x -> x.length).sum());
                agent.add(a);
                customer.add(c);
            }

            @Override
            public void finish(String callId, String reason) {
                finished.add(callId + " " + reason);
            }
        };
        RawAudioConsumer raw = new RawAudioConsumer("raw-audio", () -> consumer, deadLetters, listener,
                IngestLimits.defaults());
        consumer.schedulePollTask(() -> records.forEach(consumer::addRecord));
        consumer.schedulePollTask(raw::stop);

        raw.run(() -> { });
        raw.close();

        assertThat(finished).containsExactly("c-1 eof");
        short[] heardAgent = concat(agent);
        short[] heardCustomer = concat(customer);
        assertThat(heardAgent).containsExactly(ramp(1, 9600));
        assertThat(heardCustomer).hasSize(9600);
        // released up to 200 ms (1 s behind the agent) when the late chunks came
        assertThat(java.util.Arrays.copyOfRange(heardCustomer, 0, 1600)).containsOnly((short) 0);
        assertThat(java.util.Arrays.copyOfRange(heardCustomer, 1600, 1680)).containsExactly(ramp(20_241, 80));
        assertThat(java.util.Arrays.copyOfRange(heardCustomer, 1680, 9600)).containsOnly((short) 0);
        assertThat(deadLetters.history()).extracting(r -> r.value().getReason().toString()).containsExactly(
                "call 'c-1' CUSTOMER: chunk at 100 ms overlaps audio already received or given up as silence"
                        + " (up to 200 ms); all of it dropped",
                "call 'c-1' CUSTOMER: chunk at 190 ms overlaps audio already received or given up as silence"
                        + " (up to 200 ms); the first 10 ms of it dropped");
    }

    private static MockConsumer<String, byte[]> subscribedConsumer() {
        return new MockConsumer<>("earliest") {
            @Override
            public synchronized void subscribe(java.util.Collection<String> topics) {
                assign(List.of(AUDIO));
                updateBeginningOffsets(Map.of(AUDIO, 0L));
            }
        };
    }

    private long offset;

    private ConsumerRecord<String, byte[]> record(byte[] value) {
        return new ConsumerRecord<>(Topics.AUDIO_RAW, 0, offset++, "c-1", value);
    }

    private static byte[] chunk(Role role, long sequence, long positionMs, short[] samples) {
        byte[] l16 = new byte[2 * samples.length];
        for (int i = 0; i < samples.length; i++) {
            l16[2 * i] = (byte) samples[i];
            l16[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        return AvroSerde.of(RawAudioChunk.class).serialize(Topics.AUDIO_RAW, RawAudioChunk.newBuilder()
                .setCallId("c-1").setRole(role).setSequence(sequence).setEncoding(AudioEncoding.L16)
                .setSampleRate(8000).setPositionMs(positionMs).setPayload(ByteBuffer.wrap(l16)).build());
    }


}
