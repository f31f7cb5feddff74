package io.earshot.ingest.audio;

import java.io.IOException;

/**
 * Audio that Earshot cannot use: not a WAV file, truncated, an unsupported encoding, sample
 * rate or channel layout. The message is one line meant for the person who supplied the file:
 * it names the source and what is wrong.
 */
public final class AudioFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public AudioFormatException(String source, String problem) {
        super(source + ": " + problem);
    }
}
