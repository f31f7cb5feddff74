package io.earshot.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * The conventions every Earshot schema follows (see schemas/README.md), checked on the schemas
 * compiled into the generated classes, so a new record cannot quietly drift from them.
 */
class SchemaConventionsTest {

  private static final String NAMESPACE = "io.earshot.schemas";

  @Test
  void shouldKeepEverySchemaInTheEarshotNamespace() {
    assertThat(allNamedSchemas().keySet()).isNotEmpty().allSatisfy(name ->
        assertThat(name).startsWith(NAMESPACE + "."));
  }

  @Test
  void shouldDocumentEveryTypeAndField() {
    List<String> undocumented = new ArrayList<>();
    for (Schema schema : allNamedSchemas().values()) {
      if (isBlank(schema.getDoc())) {
        undocumented.add(schema.getFullName());
      }
      if (schema.getType() == Schema.Type.RECORD) {
        for (Schema.Field field : schema.getFields()) {
          if (isBlank(field.doc())) {
            undocumented.add(schema.getFullName() + "." + field.name());
          }
        }
      }
    }

    assertThat(undocumented).isEmpty();
  }

  @Test
  void shouldCarryMediaPositionsAsPlainLongMilliseconds() {
    List<String> offenders = new ArrayList<>();
    forEachField((record, field) -> {
      Schema type = nonNull(field.schema());
      if (field.name().endsWith("Ms")
          && (type.getType() != Schema.Type.LONG || type.getLogicalType() != null)) {
        offenders.add(record.getName() + "." + field.name());
      }
    });

    assertThat(offenders).isEmpty();
  }

  @Test
  void shouldCarryWallClockInstantsAsTimestampMillis() {
    List<String> instants = new ArrayList<>();
    forEachField((record, field) -> {
      if (field.name().endsWith("Time") || field.name().endsWith("At")) {
        assertThat(nonNull(field.schema()).getLogicalType())
            .as("%s.%s", record.getName(), field.name())
            .isEqualTo(LogicalTypes.timestampMillis());
        instants.add(record.getName() + "." + field.name());
      }
    });

    assertThat(instants).contains("CallStarted.mediaStartTime", "CallEnded.endedAt");
  }

  @Test
  void shouldGiveEveryNullableFieldANullDefault() {
    List<String> offenders = new ArrayList<>();
    forEachField((record, field) -> {
      if (field.schema().isNullable()
          && (field.schema().getTypes().get(0).getType() != Schema.Type.NULL
              || field.defaultVal() != JsonProperties.NULL_VALUE)) {
        offenders.add(record.getName() + "." + field.name());
      }
    });

    assertThat(offenders).isEmpty();
  }

  /** Every named type reachable from the current event records, by full name. */
  private static Map<String, Schema> allNamedSchemas() {
    Map<String, Schema> named = new LinkedHashMap<>();
    for (String name : SchemaCatalog.currentSchemaNames()) {
      collectNamed(SchemaCatalog.current(name), named);
    }
    return named;
  }

  private static void collectNamed(Schema schema, Map<String, Schema> named) {
    switch (schema.getType()) {
      case RECORD -> {
        if (named.putIfAbsent(schema.getFullName(), schema) == null) {
          schema.getFields().forEach(field -> collectNamed(field.schema(), named));
        }
      }
      case ENUM, FIXED -> named.putIfAbsent(schema.getFullName(), schema);
      case ARRAY -> collectNamed(schema.getElementType(), named);
      case MAP -> collectNamed(schema.getValueType(), named);
      case UNION -> schema.getTypes().forEach(branch -> collectNamed(branch, named));
      default -> { }
    }
  }

  private interface FieldVisitor {
    void visit(Schema record, Schema.Field field);
  }

  private static void forEachField(FieldVisitor visitor) {
    for (Schema schema : allNamedSchemas().values()) {
      if (schema.getType() == Schema.Type.RECORD) {
        schema.getFields().forEach(field -> visitor.visit(schema, field));
      }
    }
  }

  /** The non-null branch of a nullable union, or the schema itself. */
  private static Schema nonNull(Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return schema;
    }
    return schema.getTypes().stream()
        .filter(branch -> branch.getType() != Schema.Type.NULL)
        .findFirst()
        .orElseThrow();
  }

  private static boolean isBlank(String text) {
    return text == null || text.isBlank();
  }
}
