package io.earshot.ingest.audio;

/** Sample encodings Earshot decodes: 16-bit linear PCM and the two G.711 laws. */
public enum SampleEncoding {
    PCM16,
    PCMU,
    PCMA
}
