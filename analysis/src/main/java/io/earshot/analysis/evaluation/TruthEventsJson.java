package io.earshot.analysis.evaluation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earshot.schemas.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A call's labelled turn-taking events as JSON, one object with up to three lists:
 *
 * <pre>
 * {"interruptions": [{"by": "AGENT", "of": "CUSTOMER", "startMs": 5260, "successful": true}],
 *  "backchannels":  [{"by": "AGENT", "startMs": 3760, "endMs": 4200}],
 *  "responseGaps":  [{"customerEndMs": 6440, "agentStartMs": 5260}]}
 * </pre>
 *
 * <p>A list that is present is the complete list of that kind (empty when there was none); a
 * list left out means that kind was not labelled and is not scored ({@link TruthEvents}).
 * Roles are {@code AGENT} or {@code CUSTOMER} (any case), times whole milliseconds from the
 * call's start. Items may carry more fields (a {@code text}, Earshot's own {@code gapMs} or
 * {@code overlapMs}), which are ignored; other top-level keys are refused, so a misspelt list
 * name cannot silently leave a kind unscored.
 *
 * <p>Malformed input fails with an {@link IOException} whose message starts with
 * {@code file:line:}.
 */
public final class TruthEventsJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> LISTS = List.of("interruptions", "backchannels", "responseGaps");

    private TruthEventsJson() {
    }

    public static TruthEvents read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": is a directory, not an events file");
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException(file + ": not a text file (the events file is UTF-8 JSON)");
        }
    }

    /**
     * @param source names the text in error messages (its file)
     */
    public static TruthEvents parse(String json, String source) throws IOException {
        if (json.startsWith("\uFEFF")) {
            json = json.substring(1); // a byte-order mark some editors write
        }
        List<TruthInterruption> interruptions = null;
        List<TruthBackchannel> backchannels = null;
        List<TruthResponseGap> gaps = null;
        try (JsonParser p = MAPPER.getFactory().createParser(json)) {
            JsonToken token = p.nextToken();
            if (token != JsonToken.START_OBJECT) {
                throw new IOException(source + ":" + line(p) + ": the events file must be one JSON object with "
                        + "\"interruptions\", \"backchannels\" and/or \"responseGaps\" lists");
            }
            Set<String> seen = new HashSet<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                int keyLine = line(p);
                if (!LISTS.contains(name)) {
                    throw new IOException(source + ":" + keyLine + ": unknown key \"" + name + "\" (expected "
                            + "\"interruptions\", \"backchannels\" or \"responseGaps\")");
                }
                if (!seen.add(name)) {
                    throw new IOException(source + ":" + keyLine + ": \"" + name + "\" appears twice");
                }
                if (p.nextToken() != JsonToken.START_ARRAY) {
                    throw new IOException(source + ":" + line(p) + ": \"" + name + "\" must be a list [...]");
                }
                List<JsonNode> items = new ArrayList<>();
                List<String> places = new ArrayList<>();
                for (JsonToken item = p.nextToken(); item != JsonToken.END_ARRAY; item = p.nextToken()) {
                    if (item == null) {
                        throw new IOException(source + ":" + line(p) + ": the file ends inside \"" + name + "\"");
                    }
                    places.add(source + ":" + line(p) + ": " + name + "[" + items.size() + "]: ");
                    items.add(p.readValueAsTree());
                }
                switch (name) {
                    case "interruptions" -> interruptions = interruptions(items, places);
                    case "backchannels" -> backchannels = backchannels(items, places);
                    default -> gaps = responseGaps(items, places);
                }
            }
            if (p.nextToken() != null) {
                throw new IOException(source + ":" + line(p) + ": text after the end of the JSON object");
            }
        } catch (JsonProcessingException e) {
            int at = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
            throw new IOException(source + ":" + at + ": malformed JSON: " + e.getOriginalMessage());
        }
        return new TruthEvents(interruptions, backchannels, gaps);
    }

    /**
     * Reads the three lists from an object already parsed (for example the {@code events} of a
     * fixture's {@code truth.json}); other keys are ignored here. Errors name the item, not the
     * line.
     */
    public static TruthEvents of(JsonNode events, String source) throws IOException {
        if (!events.isObject()) {
            throw new IOException(source + ": the events must be a JSON object");
        }
        List<TruthInterruption> interruptions = null;
        List<TruthBackchannel> backchannels = null;
        List<TruthResponseGap> gaps = null;
        for (String name : LISTS) {
            JsonNode list = events.get(name);
            if (list == null || list.isNull()) {
                continue;
            }
            if (!list.isArray()) {
                throw new IOException(source + ": \"" + name + "\" must be a list [...]");
            }
            List<JsonNode> items = new ArrayList<>();
            List<String> places = new ArrayList<>();
            list.forEach(item -> {
                places.add(source + ": " + name + "[" + items.size() + "]: ");
                items.add(item);
            });
            switch (name) {
                case "interruptions" -> interruptions = interruptions(items, places);
                case "backchannels" -> backchannels = backchannels(items, places);
                default -> gaps = responseGaps(items, places);
            }
        }
        return new TruthEvents(interruptions, backchannels, gaps);
    }

    /** The events as JSON, one item per line; lists that were not labelled are left out. */
    public static String write(TruthEvents events) {
        StringBuilder b = new StringBuilder("{");
        String sep = "\n";
        if (events.labelsInterruptions()) {
            b.append(sep).append(list("interruptions", events.interruptions().stream().map(i -> {
                ObjectNode n = MAPPER.createObjectNode();
                n.put("by", i.by().name()).put("of", i.of().name()).put("startMs", i.startMs())
                        .put("successful", i.successful());
                return n;
            }).toList()));
            sep = ",\n";
        }
        if (events.labelsBackchannels()) {
            b.append(sep).append(list("backchannels", events.backchannels().stream().map(bc -> {
                ObjectNode n = MAPPER.createObjectNode();
                n.put("by", bc.by().name()).put("startMs", bc.startMs()).put("endMs", bc.endMs());
                return n;
            }).toList()));
            sep = ",\n";
        }
        if (events.labelsResponseGaps()) {
            b.append(sep).append(list("responseGaps", events.responseGaps().stream().map(g -> {
                ObjectNode n = MAPPER.createObjectNode();
                n.put("customerEndMs", g.customerEndMs()).put("agentStartMs", g.agentStartMs());
                return n;
            }).toList()));
        }
        return b.append("\n}\n").toString();
    }

    public static void write(Path file, TruthEvents events) throws IOException {
        Files.writeString(file, write(events), StandardCharsets.UTF_8);
    }

    private static String list(String name, List<ObjectNode> items) {
        StringBuilder b = new StringBuilder("  \"" + name + "\": [");
        for (int i = 0; i < items.size(); i++) {
            b.append(i == 0 ? "\n    " : ",\n    ").append(items.get(i).toString());
        }
        return b.append(items.isEmpty() ? "]" : "\n  ]").toString();
    }

    private static List<TruthInterruption> interruptions(List<JsonNode> items, List<String> places) throws IOException {
        List<TruthInterruption> list = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode n = object(items.get(i), places.get(i));
            Role by = role(n, "by", places.get(i));
            Role of = role(n, "of", places.get(i));
            if (by == of) {
                throw new IOException(places.get(i) + "\"by\" and \"of\" are both " + by + "; an interruption is of the other party");
            }
            JsonNode ok = n.get("successful");
            if (ok == null || !ok.isBoolean()) {
                throw new IOException(places.get(i) + "\"successful\" must be true or false"
                        + (ok == null ? " (missing)" : ", found " + ok));
            }
            list.add(new TruthInterruption(by, of, millis(n, "startMs", places.get(i)), ok.booleanValue()));
        }
        return list;
    }

    private static List<TruthBackchannel> backchannels(List<JsonNode> items, List<String> places) throws IOException {
        List<TruthBackchannel> list = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode n = object(items.get(i), places.get(i));
            Role by = role(n, "by", places.get(i));
            long start = millis(n, "startMs", places.get(i));
            long end = millis(n, "endMs", places.get(i));
            if (end < start) {
                throw new IOException(places.get(i) + "\"endMs\" " + end + " is before \"startMs\" " + start);
            }
            list.add(new TruthBackchannel(by, start, end));
        }
        return list;
    }

    private static List<TruthResponseGap> responseGaps(List<JsonNode> items, List<String> places) throws IOException {
        List<TruthResponseGap> list = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode n = object(items.get(i), places.get(i));
            list.add(new TruthResponseGap(millis(n, "customerEndMs", places.get(i)), millis(n, "agentStartMs", places.get(i))));
        }
        return list;
    }

    private static JsonNode object(JsonNode n, String where) throws IOException {
        if (!n.isObject()) {
            throw new IOException(where + "each item must be a JSON object {...}, found " + n);
        }
        return n;
    }

    private static Role role(JsonNode n, String field, String where) throws IOException {
        JsonNode v = n.get(field);
        if (v != null && v.isTextual()) {
            String name = v.asText().toUpperCase(Locale.ROOT);
            if (name.equals("AGENT") || name.equals("CUSTOMER")) {
                return Role.valueOf(name);
            }
        }
        throw new IOException(where + "\"" + field + "\" must be \"AGENT\" or \"CUSTOMER\""
                + (v == null ? " (missing)" : ", found " + v));
    }

    private static long millis(JsonNode n, String field, String where) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw new IOException(where + "\"" + field + "\" must be a whole number of milliseconds, at least 0"
                    + (v == null ? " (missing)" : ", found " + v));
        }
        return v.asLong();
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }
}
