/**
 * Live ingest over WebSocket: {@link io.earshot.ingest.protocol.IngestServer} (Jetty 12, one
 * port) routes {@code /audiohook} to {@link io.earshot.ingest.protocol.audiohook.AudioHookEndpoint}
 * and {@code /twilio} to {@link io.earshot.ingest.protocol.twilio.TwilioEndpoint}. Each protocol
 * lives in its own subpackage as Messages, Codec, Session (pure, socket-free state machine) and a
 * thin Endpoint; only the Endpoints and the server import the WebSocket library. What happens to
 * the audio is decided by the caller through each Endpoint's {@code ListenerFactory}.
 *
 * <p>Live ingest over Kafka: {@link io.earshot.ingest.protocol.kafka.RawAudioConsumer} reads
 * audio integrators publish to {@code earshot.audio-raw} through the contracts module's consumer
 * loop; the caller decides what happens to the calls through its
 * {@link io.earshot.ingest.protocol.kafka.RawAudioListener}.
 */
package io.earshot.ingest.protocol;
