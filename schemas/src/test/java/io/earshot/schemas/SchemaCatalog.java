package io.earshot.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
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
  private static final ObjectMapper JSON = new ObjectMapper();

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

  /**
   * Released baselines: version to (full name to schema), in release order. A version folder
   * holds the .avsc files of that release (all of them once released; before that, the schemas
   * new in it). Its files are parsed together, with the types of earlier releases that it does
   * not define itself available by name, so a record new in 0.2.0 may refer to {@code Role}
   * as released in 0.1.0. Each version's map holds only the schemas of its own files.
   */
  static Map<String, Map<String, Schema>> released() {
    Map<String, Map<String, Schema>> byVersion = new LinkedHashMap<>();
    // For every name released so far, the file of the latest release that defines it.
    Map<String, Path> latestDefinition = new TreeMap<>();
    for (Path versionDir : releasedVersionDirs()) {
      List<Path> own = avroFiles(versionDir, false);
      Map<String, Path> ownNames = declaredNames(own);
      List<Path> files = new ArrayList<>(own);
      latestDefinition.forEach((name, file) -> {
        if (!ownNames.containsKey(name) && !files.contains(file)) {
          files.add(file);
        }
      });
      Map<Path, Schema> parsed = parseAll(files);
      Map<String, Schema> byName = new TreeMap<>();
      own.forEach(file -> byName.put(parsed.get(file).getFullName(), parsed.get(file)));
      byVersion.put(versionDir.getFileName().toString(), byName);
      latestDefinition.putAll(ownNames);
    }
    return byVersion;
  }

  /** The folders under released/, oldest release first (by version number, so 0.10.0 after 0.9.0). */
  static List<Path> releasedVersionDirs() {
    try (Stream<Path> versions = Files.list(testResource("released"))) {
      return versions.filter(Files::isDirectory)
          .sorted(Comparator.comparing(dir -> dir.getFileName().toString(), SchemaCatalog::compareVersions))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Compares dotted version numbers numerically, part by part; a missing part counts as 0. */
  static int compareVersions(String a, String b) {
    String[] left = a.split("\\.");
    String[] right = b.split("\\.");
    for (int i = 0; i < Math.max(left.length, right.length); i++) {
      int order = Integer.compare(
          i < left.length ? Integer.parseInt(left[i]) : 0,
          i < right.length ? Integer.parseInt(right[i]) : 0);
      if (order != 0) {
        return order;
      }
    }
    return 0;
  }

  /**
   * Full name of the schema each file defines, read from its JSON without resolving the names
   * it refers to (Avro's parser resolves, and fails on, a type that another version defines).
   * Files define one named type each, as in src/main/avro.
   */
  private static Map<String, Path> declaredNames(List<Path> files) {
    Map<String, Path> names = new TreeMap<>();
    for (Path file : files) {
      try {
        JsonNode schema = JSON.readTree(file.toFile());
        String name = schema.path("name").asText();
        String namespace = schema.path("namespace").asText("");
        names.put(name.contains(".") || namespace.isEmpty() ? name : namespace + "." + name, file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return names;
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
