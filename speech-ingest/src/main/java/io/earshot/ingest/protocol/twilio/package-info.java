/**
 * Receiving side of Twilio Media Streams ({@code <Start><Stream track="both_tracks">}). Everything
 * but {@link io.earshot.ingest.protocol.twilio.TwilioEndpoint} is pure (no WebSocket library); that
 * thin Endpoint feeds text frames to a {@link io.earshot.ingest.protocol.twilio.TwilioSession} and
 * polls it for the lag bound, and {@link io.earshot.ingest.protocol.IngestServer} serves it on
 * {@code /twilio}.
 *
 * <p>Message flow, as in Twilio's "Media Streams - WebSocket Messages" reference: {@code connected}
 * (protocol, version; no sequence number), then {@code start} (sequenceNumber 1, accountSid,
 * streamSid, callSid, tracks, customParameters, mediaFormat audio/x-mulaw 8000 Hz mono), then any
 * number of {@code media} (track inbound|outbound, chunk, timestamp in ms from stream start,
 * base64 mu-law payload), {@code mark} and {@code dtmf}, and finally {@code stop}. Every message
 * from {@code start} on carries the streamSid and a sequenceNumber one above the previous one.
 * {@link io.earshot.ingest.protocol.twilio.TwilioCodec} maps the JSON to the records of {@link
 * io.earshot.ingest.protocol.twilio.Messages}; the session checks order, ids and payloads and
 * answers violations with a WebSocket close code.
 *
 * <p>Alignment rule ({@link io.earshot.ingest.audio.PartyAligner}, which raw Kafka audio shares): the
 * two tracks arrive as separate chunks that may be missing or out of step.
 * Each chunk is placed at {@code timestamp * 8} samples on one timeline; what no chunk covers is
 * silence. A span is released to the listener, both channels at once and of equal length, when
 * both tracks have covered it, or when the other track is more than {@code maxLagMs} (500 ms by
 * default) ahead, or on {@code stop}; a lagging track's part of such a span is silence and its
 * late samples are dropped. Positions delivered are therefore contiguous from 0, which is what
 * {@link io.earshot.ingest.dsp.CallSpeechTracker#push} needs. Inbound (the caller) is the customer
 * and outbound the agent unless {@link io.earshot.ingest.protocol.twilio.TwilioSessionConfig}
 * says otherwise.
 */
package io.earshot.ingest.protocol.twilio;
