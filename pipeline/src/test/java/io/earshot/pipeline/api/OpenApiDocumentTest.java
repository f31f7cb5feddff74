package io.earshot.pipeline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The OpenAPI document and the handler's routes agree: the same paths and methods, and per
 * operation the same query and path parameters. A route added without documentation (or a
 * documented route the handler does not serve) fails here.
 */
class OpenApiDocumentTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApiHandler handler = new ApiHandler(new CallQueries(new PGSimpleDataSource()),
            new TokenStore(new PGSimpleDataSource()));

    @Test
    void shouldDocumentExactlyTheRoutesTheHandlerServesWithTheirParameters() throws Exception {
        JsonNode doc = document();
        Map<String, Set<String>> documented = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields();
            while (ops.hasNext()) {
                Map.Entry<String, JsonNode> op = ops.next();
                Set<String> params = new TreeSet<>();
                for (JsonNode p : op.getValue().path("parameters")) {
                    JsonNode resolved = resolve(doc, p);
                    params.add(resolved.get("in").asText() + ":" + resolved.get("name").asText());
                }
                documented.put(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), params);
            }
        }
        Map<String, Set<String>> served = new TreeMap<>();
        for (ApiHandler.Route route : handler.routes()) {
            Set<String> params = new TreeSet<>();
            route.parameters().forEach(p -> params.add("query:" + p));
            route.pathParameters().forEach(p -> params.add("path:" + p));
            served.put(route.method() + " " + route.path(), params);
        }
        assertThat(documented).isEqualTo(served);
    }

    @Test
    void shouldDescribeEveryOperationsResponsesWithResolvableSchemas() throws Exception {
        JsonNode doc = document();
        doc.get("paths").forEach(path -> path.forEach(op -> {
            assertThat(op.has("responses")).as(op.path("operationId").asText()).isTrue();
            assertThat(op.path("operationId").asText()).isNotEmpty();
        }));
        // every $ref anywhere in the document points at something that exists
        assertRefsResolve(doc, doc);
        assertThat(doc.at("/components/schemas/CallRow/properties").size()).isEqualTo(
                CallRow.class.getRecordComponents().length);
        assertThat(doc.at("/components/schemas/Aggregate/properties").size()).isEqualTo(
                Aggregate.class.getRecordComponents().length);
        assertThat(doc.at("/components/schemas/WindowPoint/properties").size()).isEqualTo(
                WindowPoint.class.getRecordComponents().length);
    }

    private static void assertRefsResolve(JsonNode doc, JsonNode node) {
        if (node.has("$ref")) {
            assertThat(resolve(doc, node).isMissingNode()).as(node.get("$ref").asText()).isFalse();
        }
        node.forEach(child -> assertRefsResolve(doc, child));
    }

    private static JsonNode resolve(JsonNode doc, JsonNode node) {
        return node.has("$ref") ? doc.at(node.get("$ref").asText().substring(1)) : node;
    }

    private static JsonNode document() throws Exception {
        try (InputStream in = ApiHandler.class.getResourceAsStream(ApiHandler.OPENAPI_RESOURCE)) {
            return JSON.readTree(in);
        }
    }
}
