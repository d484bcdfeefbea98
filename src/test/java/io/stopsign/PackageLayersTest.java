package io.stopsign;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The package graph stays layered (see each package-info): leaves at the bottom, stages above,
 * Service, Main and the whole config in the root package on top. Reads the compiled main classes.
 */
class PackageLayersTest {
  /** The bottom packages and the only io.stopsign packages each may use. */
  private static final Map<String, String[]> LEAVES =
      Map.of(
          "bus",
          new String[] {},
          "config",
          new String[] {},
          "media",
          new String[] {},
          "camera",
          new String[] {"config"},
          "common",
          new String[] {});

  private static JavaClasses main;

  @BeforeAll
  static void importMain() throws URISyntaxException {
    // Only the main classes folder: scanning the whole classpath for io.stopsign is slow.
    Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    main = new ClassFileImporter().importPath(classes);
  }

  @Test
  @DisplayName("no two packages under io.stopsign depend on each other, directly or in a ring")
  void noCycles() {
    slices().matching("io.stopsign.(*)..").should().beFreeOfCycles().check(main);
  }

  @Test
  @DisplayName("nothing below the root package (Service, Main, the whole config) depends on it")
  void rootOnTop() {
    noClasses()
        .that()
        .resideInAPackage("io.stopsign.*..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.stopsign")
        .check(main);
  }

  @Test
  @DisplayName(
      "bus, config, media, camera and common use no stage: bus and the leaves sit at the bottom")
  void leavesAtTheBottom() {
    LEAVES.forEach(
        (leaf, allowed) -> {
          String[] own = new String[allowed.length + 1];
          own[0] = "io.stopsign." + leaf + "..";
          for (int i = 0; i < allowed.length; i++) {
            own[i + 1] = "io.stopsign." + allowed[i] + "..";
          }
          noClasses()
              .that()
              .resideInAPackage("io.stopsign." + leaf + "..")
              .should()
              .dependOnClassesThat(
                  resideInAPackage("io.stopsign..").and(not(resideInAnyPackage(own))))
              .check(main);
        });
  }
}
