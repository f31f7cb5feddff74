/**
 * Server side of the Genesys Cloud AudioHook protocol (message version "2"). Everything but
 * {@link io.earshot.ingest.protocol.audiohook.AudioHookEndpoint} is pure (no WebSocket library);
 * that thin Endpoint runs the auth on the upgrade, feeds frames in and sends what the session
 * emits, and {@link io.earshot.ingest.protocol.IngestServer} serves it on {@code /audiohook}.
 *
 * <p>Flow, as in the AudioHook Protocol Specification (Genesys Cloud Developer Center) and the
 * open-source reference server (purecloudlabs/audiohook-reference-implementation):
 * <ol>
 *   <li>HTTP upgrade request: {@link io.earshot.ingest.protocol.audiohook.AudioHookAuth} checks
 *       {@code X-API-KEY} and the HTTP Message Signature ({@code Signature-Input}/{@code Signature},
 *       HMAC-SHA256 with the client secret) and answers 401/403 before the upgrade.</li>
 *   <li>Open transaction: client {@code open} offers media; the server answers {@code opened}
 *       with the one format it selected (PCMU stereo 8 kHz preferred, L16 accepted). Audio then
 *       flows as binary frames, channels interleaved in the selected order
 *       ("external" = customer, "internal" = agent).</li>
 *   <li>While open: {@code ping} -> {@code pong}; {@code update} -> {@code updated}; the client
 *       reports {@code paused}/{@code resumed} (with the discarded span) and {@code discarded};
 *       the server may send {@code pause}, {@code resume}, {@code reconnect} or
 *       {@code disconnect}.</li>
 *   <li>Close transaction: client {@code close} -> server {@code closed}; the client then closes
 *       the WebSocket. A protocol violation is answered with {@code disconnect} reason
 *       {@code error}, after which the client runs the close transaction.</li>
 * </ol>
 * {@link io.earshot.ingest.protocol.audiohook.Messages} holds the records,
 * {@link io.earshot.ingest.protocol.audiohook.AudioHookCodec} the JSON mapping and
 * {@link io.earshot.ingest.protocol.audiohook.AudioHookSession} the state machine.
 */
package io.earshot.ingest.protocol.audiohook;
