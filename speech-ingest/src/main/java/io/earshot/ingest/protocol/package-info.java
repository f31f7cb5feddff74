/**
 * Live ingest over WebSocket: {@link io.earshot.ingest.protocol.IngestServer} (Jetty 12, one
 * port) routes {@code /audiohook} to {@link io.earshot.ingest.protocol.audiohook.AudioHookEndpoint}
 * and {@code /twilio} to {@link io.earshot.ingest.protocol.twilio.TwilioEndpoint}. Each protocol
 * lives in its own subpackage as Messages, Codec, Session (pure, socket-free state machine) and a
 * thin Endpoint; only the Endpoints and the server import the WebSocket library. What happens to
 * the audio is decided by the caller through each Endpoint's {@code ListenerFactory}.
 */
package io.earshot.ingest.protocol;
