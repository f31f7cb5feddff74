package io.earshot.ingest.protocol;

/**
 * Makes a caller-chosen string safe to put in a log line: call ids, agent ids, stream ids,
 * custom parameters and protocol error details come from whoever opened the socket, and a raw
 * CR/LF or other control character in them would let that caller forge log lines or hide
 * their own.
 *
 * <p>{@link #quote} wraps the value in double quotes, escapes backslash, the quote itself and
 * every ISO control or Unicode line/paragraph separator character ({@code \n}, {@code \r},
 * {@code \t}, otherwise {@code \}{@code uXXXX}), and cuts it at {@value #MAX_CHARS} characters
 * with a marker of how much was dropped, so one caller cannot flood a log line either.
 */
public final class LogSafe {

    /** Longest part of a value that is logged; ids are far shorter, reasons rarely longer. */
    public static final int MAX_CHARS = 200;

    private LogSafe() {
    }

    /** The value quoted and escaped for a log line; {@code null} stays the bare word {@code null}. */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        int n = Math.min(value.length(), MAX_CHARS);
        StringBuilder out = new StringBuilder(n + 16).append('"');
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\u0085'
                            || Character.getType(c) == Character.FORMAT) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
        if (value.length() > n) {
            out.append("...(").append(value.length() - n).append(" more chars)");
        }
        return out.toString();
    }
}
