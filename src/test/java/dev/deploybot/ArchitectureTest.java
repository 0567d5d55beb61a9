package dev.deploybot;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The package rules of the design guide: the domain in the middle, adapters at the edges. */
class ArchitectureTest {
    private static final String[] FEATURES = {"..build..", "..release..", "..deploy..", "..activity.."};
    /** Every package, each named in at least one rule below. */
    private static final java.util.List<String> PACKAGES = java.util.List.of("core", "build", "release", "deploy", "activity",
            "pipeline", "config", "console", "events", "slack", "aws", "store", "operations");
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // Micronaut's generated bean definitions ($Foo$Definition) wire features to the framework by design.
                .withImportOption(location -> !location.contains("/$"))
                .importPackages("dev.deploybot");
    }

    @Test
    void coreDependsOnJavaOnly() {
        classes().that().resideInAPackage("dev.deploybot.core..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.deploybot.core..", "java..")
                .check(classes);
    }

    @Test
    void featuresSeeNeitherVendorsNorAdapters() {
        noClasses().that().resideInAnyPackage(FEATURES)
                .should().dependOnClassesThat().resideInAnyPackage(
                        "software.amazon..", "com.slack..", "java.sql..", "javax.sql..", "io.micronaut..",
                        "dev.deploybot.slack..", "dev.deploybot.aws..", "dev.deploybot.store..",
                        "dev.deploybot.events..", "dev.deploybot.config..", "dev.deploybot.pipeline..", "dev.deploybot.operations..")
                .check(classes);
    }

    /** The pipeline composes features; it reaches chat, AWS and the database only through their ports. */
    @Test
    void thePipelineComposesFeaturesOnly() {
        noClasses().that().resideInAPackage("dev.deploybot.pipeline..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "software.amazon..", "com.slack..", "java.sql..", "javax.sql..",
                        "dev.deploybot.slack..", "dev.deploybot.aws..", "dev.deploybot.store..", "dev.deploybot.events..")
                .check(classes);
    }

    /** Configuration turns settings into core values; it builds no adapter and talks to no vendor. */
    @Test
    void configurationSeesNoAdapters() {
        noClasses().that().resideInAPackage("dev.deploybot.config..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "com.slack..", "java.sql..", "dev.deploybot.slack..", "dev.deploybot.store..", "dev.deploybot.events..",
                        "dev.deploybot.pipeline..")
                .check(classes);
    }

    /**
     * Features name reasons and news as values; only the chat edge words them. Read from the sources, since
     * markup lives in string literals: mentions ({@code <@…>}, {@code <!…>}), code spans, bold, emoji codes.
     */
    @Test
    void featuresBuildNoChatMarkup() throws java.io.IOException {
        java.util.regex.Pattern literal = java.util.regex.Pattern.compile("\"(?:[^\"\\\\\\n]|\\\\.)*\"");
        java.util.regex.Pattern markup = java.util.regex.Pattern.compile("<[@!#]|`|\\*[A-Za-z][^*]*\\*|:[a-z_]+:");
        java.util.List<String> found = new java.util.ArrayList<>();
        for (String feature : new String[] {"build", "release", "deploy", "activity", "pipeline"}) {
            java.nio.file.Path root = java.nio.file.Path.of("src/main/java/dev/deploybot", feature);
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(root)) {
                for (java.nio.file.Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                    String code = java.nio.file.Files.readString(file)
                            .replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
                    java.util.regex.Matcher strings = literal.matcher(code);
                    while (strings.find()) {
                        if (markup.matcher(strings.group()).find()) {
                            found.add(file.getFileName() + ": " + strings.group());
                        }
                    }
                }
            }
        }
        org.assertj.core.api.Assertions.assertThat(found).as("chat markup in feature packages").isEmpty();
    }

    @Test
    void featuresDoNotImportEachOther() {
        slices().matching("dev.deploybot.(build|release|deploy|activity)..").should().notDependOnEachOther().check(classes);
    }

    @Test
    void vendorsStayInTheirAdapters() {
        noClasses().that().resideOutsideOfPackages("dev.deploybot.aws..")
                .should().dependOnClassesThat().resideInAPackage("software.amazon..")
                .check(classes);
        noClasses().that().resideOutsideOfPackages("dev.deploybot.slack..")
                .should().dependOnClassesThat().resideInAPackage("com.slack..")
                .check(classes);
        noClasses().that().resideOutsideOfPackages("dev.deploybot.store..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..")
                .check(classes);
    }

    /** JSON shapes belong to the edges that read them (events, slack) and the store; features get values. */
    @Test
    void featuresReadNoJson() {
        noClasses().that().resideInAnyPackage(FEATURES)
                .should().dependOnClassesThat().resideInAPackage("com.fasterxml..")
                .check(classes);
    }

    /** The console stands in for Slack: it reaches the bot over its public doors only, never through its classes. */
    @Test
    void theConsoleTalksToTheBotOnlyOverTheWire() {
        noClasses().that().resideInAPackage("dev.deploybot.console..")
                .should().dependOnClassesThat().resideInAnyPackage(PACKAGES.stream().filter(p -> !p.equals("console"))
                        .map(p -> "dev.deploybot." + p + "..").toArray(String[]::new))
                .check(classes);
        noClasses().that().resideOutsideOfPackages("dev.deploybot.console..", "dev.deploybot")
                .should().dependOnClassesThat().resideInAPackage("dev.deploybot.console..")
                .check(classes);
    }

    /** Every package under the root has its rules here: a new one is a decision, made in this file. */
    @Test
    void everyPackageIsCoveredByTheseRules() {
        java.util.Set<String> found = new java.util.TreeSet<>();
        classes.forEach(type -> {
            String name = type.getPackageName();
            if (name.startsWith("dev.deploybot.")) {
                found.add(name.substring("dev.deploybot.".length()).split("\\.")[0]);
            }
        });
        org.assertj.core.api.Assertions.assertThat(found).containsExactlyInAnyOrderElementsOf(PACKAGES);
    }

    @Test
    void adaptersDoNotCallEachOther() {
        slices().matching("dev.deploybot.(aws|store|slack|events|operations)..").should().notDependOnEachOther().check(classes);
    }
}
