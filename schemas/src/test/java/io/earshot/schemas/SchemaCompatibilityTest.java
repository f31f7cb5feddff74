package io.earshot.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guards backward compatibility: code built from the current schemas must read every record
 * written with any released schema, because Kafka topics and stored events outlive releases.
 * The baselines under {@code src/test/resources/released/<version>/} are copies of the .avsc
 * files as they were released and are never edited afterwards.
 */
class SchemaCompatibilityTest {

  /** A released schema and the version it shipped in. */
  record Released(String version, Schema schema) {}

  static Stream<Named<Released>> releasedSchemas() {
    return SchemaCatalog.released().entrySet().stream()
        .flatMap(version -> version.getValue().values().stream()
            .map(schema -> Named.of(
                version.getKey() + " " + schema.getName(), new Released(version.getKey(), schema))));
  }

  @ParameterizedTest
  @MethodSource("releasedSchemas")
  void shouldReadDataWrittenWithReleasedSchema(Released released) {
    String name = released.schema().getFullName();
    assertThat(SchemaCatalog.hasGeneratedClass(name))
        .as("%s was released in %s and must still exist", name, released.version())
        .isTrue();

    SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(
        SchemaCatalog.current(name), released.schema());

    assertThat(result.getType())
        .as("current %s reading data written with %s: %s",
            name, released.version(), result.getResult().getIncompatibilities())
        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
  }

  @Test
  void shouldStillDefineEveryReleasedSchema() {
    List<String> currentNames = SchemaCatalog.currentSchemaNames();

    assertThat(SchemaCatalog.released()).isNotEmpty().allSatisfy((version, schemas) ->
        assertThat(currentNames).as("schemas released in %s", version)
            .containsAll(schemas.keySet()));
  }

  @Test
  void shouldHaveReleasedBaselineForEveryCurrentSchema() {
    List<String> releasedNames = SchemaCatalog.released().values().stream()
        .flatMap(schemas -> schemas.keySet().stream())
        .toList();

    assertThat(SchemaCatalog.currentSchemaNames())
        .isNotEmpty()
        .allSatisfy(name -> assertThat(releasedNames)
            .as("a released baseline for %s (copy its .avsc into released/<version>/)", name)
            .contains(name));
  }

  @Test
  void shouldResolveALaterReleaseAgainstTheTypesOfEarlierOnes() {
    Map<String, Map<String, Schema>> released = SchemaCatalog.released();
    // 0.2.0 holds only what is new in it; its interruptions refer to Role as released in 0.1.0.
    Schema interruption = released.get("0.2.0")
        .get(InterruptionDetected.getClassSchema().getFullName());
    Schema releasedRole = released.get("0.1.0").get(Role.getClassSchema().getFullName());

    assertThat(released.keySet()).startsWith("0.1.0", "0.2.0");
    assertThat(released.get("0.2.0")).doesNotContainKey(releasedRole.getFullName());
    assertThat(interruption.getField("by").schema()).isEqualTo(releasedRole);
  }

  @Test
  void shouldOrderReleasesByVersionNumber() {
    assertThat(Stream.of("0.10.0", "0.2.0", "1.0.0", "0.9.1", "0.1.0")
            .sorted(SchemaCatalog::compareVersions).toList())
        .containsExactly("0.1.0", "0.2.0", "0.9.1", "0.10.0", "1.0.0");
  }

  @Test
  void shouldReportAddedFieldWithoutDefaultAsIncompatible() {
    Schema released = releasedCallEnded();
    Schema withRequiredField = withExtraField(released, new Schema.Field(
        "agentId", Schema.create(Schema.Type.STRING), "Agent who ended the call."));

    SchemaPairCompatibility result =
        SchemaCompatibility.checkReaderWriterCompatibility(withRequiredField, released);

    assertThat(result.getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    assertThat(result.getResult().getIncompatibilities())
        .extracting(SchemaCompatibility.Incompatibility::getType)
        .containsExactly(SchemaCompatibility.SchemaIncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE);
  }

  @Test
  void shouldAcceptAddedFieldWithDefault() {
    Schema released = releasedCallEnded();
    Schema withOptionalField = withExtraField(released, new Schema.Field(
        "agentId",
        Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
        "Agent who ended the call.",
        Schema.Field.NULL_DEFAULT_VALUE));

    SchemaPairCompatibility result =
        SchemaCompatibility.checkReaderWriterCompatibility(withOptionalField, released);

    assertThat(result.getType()).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
  }

  private static Schema releasedCallEnded() {
    Map<String, Schema> first = SchemaCatalog.released().get("0.1.0");
    assertThat(first).as("the 0.1.0 baseline").isNotNull();
    return first.get(CallEnded.getClassSchema().getFullName());
  }

  /** A copy of the record with one more field at the end; Schema.Field objects are single-use. */
  private static Schema withExtraField(Schema record, Schema.Field extra) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field field : record.getFields()) {
      fields.add(new Schema.Field(field, field.schema()));
    }
    fields.add(extra);
    return Schema.createRecord(
        record.getName(), record.getDoc(), record.getNamespace(), record.isError(), fields);
  }
}
