package io.earshot.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParser;

/**
 * What the tests know about the schemas: the current ones, found by walking the .avsc sources
 * (so a newly added file is picked up without touching any test), and the released baselines
 * under {@code src/test/resources/released/<version>/}.
 *
 * <p>Event records are the .avsc files directly in {@code src/main/avro}; shared types (enums,
 * nested records) live in {@code src/main/avro/common} and are compiled first.
 */
final class SchemaCatalog {

  /** Set by Surefire; the fallback is the module directory, where IDEs run tests too. */
  private static final String AVRO_DIR_PROPERTY = "earshot.schemas.avroDir";

  private SchemaCatalog() {}

  static Path avroSourceDir() {
    return Path.of(System.getProperty(AVRO_DIR_PROPERTY, "src/main/avro"));
  }

  /** Full names of the event records: the schemas of the top-level .avsc files. */
  static List<String> eventRecordNames() {
    Path dir = avroSourceDir();
    return parseAll(avroFiles(dir, true)).entrySet().stream()
        .filter(file -> file.getKey().getParent().equals(dir))
        .map(file -> file.getValue().getFullName())
        .sorted()
        .toList();
  }

  /** Full names of every schema that has its own .avsc file, shared types included. */
  static List<String> currentSchemaNames() {
    return namesOf(parseAll(avroFiles(avroSourceDir(), true)));
  }

  /** The schema compiled into the generated class of that name, as producers write it. */
  static Schema current(String fullName) {
    try {
      return (Schema) Class.forName(fullName).getMethod("getClassSchema").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("no generated class for schema " + fullName, e);
    }
  }

  static boolean hasGeneratedClass(String fullName) {
    try {
      Class.forName(fullName);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** Released baselines: version to (full name to schema), each version parsed on its own. */
  static Map<String, Map<String, Schema>> released() {
    Path releasedRoot = testResource("released");
    Map<String, Map<String, Schema>> byVersion = new TreeMap<>();
    try (Stream<Path> versions = Files.list(releasedRoot)) {
      for (Path versionDir : versions.filter(Files::isDirectory).toList()) {
        Map<String, Schema> byName = new TreeMap<>();
        parseAll(avroFiles(versionDir, false)).values()
            .forEach(schema -> byName.put(schema.getFullName(), schema));
        byVersion.put(versionDir.getFileName().toString(), byName);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return byVersion;
  }

  static Path goldenExample(String fullName) {
    return testResource("golden").resolve(simpleName(fullName) + ".json");
  }

  static String simpleName(String fullName) {
    return fullName.substring(fullName.lastIndexOf('.') + 1);
  }

  static Path testResource(String name) {
    URL url = SchemaCatalog.class.getClassLoader().getResource(name);
    if (url == null) {
      throw new IllegalStateException("test resource missing: " + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> namesOf(Map<Path, Schema> schemasByFile) {
    return schemasByFile.values().stream().map(Schema::getFullName).sorted().toList();
  }

  /**
   * Parses the files with one parser, so a file may name a type defined in another, in any
   * order; each file's main schema is resolved once all are read.
   */
  private static Map<Path, Schema> parseAll(List<Path> files) {
    SchemaParser parser = new SchemaParser();
    Map<Path, SchemaParser.ParseResult> results = new LinkedHashMap<>();
    try {
      for (Path file : files) {
        results.put(file, parser.parse(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<Path, Schema> byFile = new LinkedHashMap<>();
    results.forEach((file, result) -> byFile.put(file, result.mainSchema()));
    return byFile;
  }

  private static List<Path> avroFiles(Path dir, boolean recursive) {
    try (Stream<Path> paths = recursive ? Files.walk(dir) : Files.list(dir)) {
      return paths
          .filter(p -> p.getFileName().toString().endsWith(".avsc"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
