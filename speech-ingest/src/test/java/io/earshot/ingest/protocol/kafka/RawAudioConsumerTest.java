package io.earshot.ingest.protocol.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.contracts.AvroSerde;
import io.earshot.contracts.Topics;
import io.earshot.ingest.live.LiveCall;
import io.earshot.ingest.protocol.IngestLimits;
import io.earshot.schemas.AudioEncoding;
import io.earshot.schemas.EventRejected;
import io.earshot.schemas.RawAudioChunk;
import io.earshot.schemas.Role;
import java.nio.ByteBuffer;
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
}
