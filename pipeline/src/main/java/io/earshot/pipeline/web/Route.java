package io.earshot.pipeline.web;

import io.earshot.pipeline.api.Principal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One endpoint for the {@link Router}: method, path template ({@code {name}} segments match one
 * non-empty segment), the query parameters it accepts (any other is 400) and the roles that may
 * call it ({@link Access#PUBLIC}: no token needed).
 */
public interface Route {

    String method();

    String path();

    Set<String> parameters();

    Set<Principal.Role> roles();

    /** The names of the template's {@code {name}} segments, in order. */
    default List<String> pathParameters() {
        List<String> names = new ArrayList<>();
        for (String segment : path().split("/")) {
            if (segment.startsWith("{") && segment.endsWith("}")) {
                names.add(segment.substring(1, segment.length() - 1));
            }
        }
        return names;
    }

    /** The values of the template's segments in {@code requestPath}, or null if it does not match. */
    default Map<String, String> match(String requestPath) {
        String[] template = path().split("/", -1);
        String[] actual = requestPath.split("/", -1);
        if (template.length != actual.length) {
            return null;
        }
        Map<String, String> vars = new HashMap<>();
        for (int i = 0; i < template.length; i++) {
            if (template[i].startsWith("{")) {
                if (actual[i].isEmpty()) {
                    return null;
                }
                // Jetty's path in context is already percent-decoded
                vars.put(template[i].substring(1, template[i].length() - 1), actual[i]);
            } else if (!template[i].equals(actual[i])) {
                return null;
            }
        }
        return vars;
    }

    /** A route of its own (the dashboard's). */
    static Route of(String method, String path, Set<String> parameters, Set<Principal.Role> roles) {
        return new Plain(method, path, parameters, roles);
    }

    /** The plain route {@link #of} makes. */
    record Plain(String method, String path, Set<String> parameters, Set<Principal.Role> roles) implements Route {
        public Plain {
            parameters = Set.copyOf(parameters);
            roles = Set.copyOf(roles);
        }
    }
}
