package org.vettedaccess.e2e.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The suite's module and package structure, on the compiled classes of every module (no suite is started): a service
 * never uses another service's classes, only the records of {@code contracts} (ADR 0007); {@code contracts} uses
 * nothing but the JDK; and no two packages import each other, directly or round a loop.
 */
class ArchitectureTest {

    private static final Path ROOT = Path.of(System.getProperty("suite.root")).toAbsolutePath();
    private static final List<String> SERVICES = List.of("gateway", "access-policy", "kyc-service", "usage-ledger");
    private static final List<String> LIBRARIES =
            List.of("contracts", "service-support", "ledger-core", "ledger-verifier", "upstream-sim");

    /** Each module's packages, read from its compiled classes. */
    private static final Map<String, Set<String>> PACKAGES = new LinkedHashMap<>();

    private static JavaClasses classes;

    @BeforeAll
    static void importEveryModule() throws IOException {
        List<Path> locations = new ArrayList<>();
        for (String module :
                Stream.concat(SERVICES.stream(), LIBRARIES.stream()).toList()) {
            Path compiled = ROOT.resolve(module).resolve("target/classes");
            assertTrue(Files.isDirectory(compiled), module + " is compiled (build with -am)");
            Set<String> packages = new TreeSet<>();
            try (Stream<Path> files = Files.walk(compiled)) {
                files.filter(f -> f.toString().endsWith(".class"))
                        .map(f -> compiled.relativize(f.getParent()).toString().replace('/', '.'))
                        .forEach(packages::add);
            }
            PACKAGES.put(module, packages);
            locations.add(compiled);
        }
        classes = new ClassFileImporter().importPaths(locations);
    }

    @Test
    void noServiceUsesAnotherServicesClasses() {
        for (String service : SERVICES) {
            String[] others = SERVICES.stream()
                    .filter(s -> !s.equals(service))
                    .flatMap(s -> PACKAGES.get(s).stream())
                    .toArray(String[]::new);
            noClasses()
                    .that()
                    .resideInAnyPackage(PACKAGES.get(service).toArray(String[]::new))
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(others)
                    .because(service + " talks to the other services only through the records of contracts")
                    .check(classes);
        }
    }

    @Test
    void contractsAreRecordsOfTheJdkAlone() {
        noClasses()
                .that()
                .resideInAPackage("org.vettedaccess.contracts..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages("java..", "org.vettedaccess.contracts..")
                .because("both sides of a boundary compile against them, whatever framework each uses")
                .check(classes);
    }

    /**
     * Every top-level type of contracts is used by at least two services, the two sides of its boundary, so a drift
     * on either side is a compile error (issue 23: "the contracts module is used on both sides of every boundary").
     */
    @Test
    void everyContractIsUsedOnBothSidesOfItsBoundary() {
        Map<String, Set<String>> oneSided = new TreeMap<>();
        for (JavaClass type : classes) {
            if (!type.getPackageName().startsWith("org.vettedaccess.contracts")
                    || !type.isTopLevelClass()
                    || type.getSimpleName().equals("package-info")) {
                continue;
            }
            Set<String> services = new TreeSet<>();
            for (Dependency dependency : type.getDirectDependenciesToSelf()) {
                String from = dependency.getOriginClass().getPackageName();
                SERVICES.stream()
                        .filter(service -> PACKAGES.get(service).contains(from))
                        .forEach(services::add);
            }
            if (services.size() < 2) {
                oneSided.put(type.getName(), services);
            }
        }
        assertEquals(Map.of(), oneSided, "contracts that fewer than two services use (the services that do)");
    }

    /** No two packages import each other, directly or round a loop (the last known loops went in issue 23). */
    @Test
    void noPackagesImportEachOtherInALoop() {
        List<Set<String>> loops = new ArrayList<>();
        for (Set<String> group : Loops.of(packageImports())) {
            if (group.size() > 1) {
                loops.add(new TreeSet<>(group));
            }
        }
        assertEquals(List.of(), loops, "packages that import each other (directly or round a loop)");
    }

    /** Package → the suite's packages its classes use (prefix {@code org.vettedaccess.} dropped). */
    private static Map<String, Set<String>> packageImports() {
        Map<String, Set<String>> imports = new TreeMap<>();
        for (JavaClass type : classes) {
            String from = type.getPackageName().replaceFirst("^org\\.vettedaccess\\.", "");
            Set<String> targets = imports.computeIfAbsent(from, p -> new TreeSet<>());
            for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
                String to = dependency.getTargetClass().getPackageName();
                if (to.startsWith("org.vettedaccess.")) {
                    targets.add(to.substring("org.vettedaccess.".length()));
                }
            }
            targets.remove(from);
        }
        return imports;
    }

    /** The module graph itself: every service depends on contracts, none on another service, contracts on nothing. */
    @Test
    void theModuleGraphHasNoArrowBetweenServices() throws IOException {
        for (String service : SERVICES) {
            Set<String> dependencies = dependencies(service);
            assertTrue(dependencies.contains("contracts"), service + " uses the contracts");
            for (String other : SERVICES) {
                assertTrue(!dependencies.contains(other), service + " must not depend on " + other);
            }
        }
        assertEquals(Set.of(), dependencies("contracts"), "contracts has no dependencies");
    }

    private static final Pattern DEPENDENCY = Pattern.compile(
            "<dependency>\\s*<groupId>([^<]+)</groupId>\\s*<artifactId>([^<]+)</artifactId>", Pattern.DOTALL);

    private static Set<String> dependencies(String module) throws IOException {
        String pom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
        int start = pom.indexOf("<dependencies>");
        Set<String> found = new TreeSet<>();
        if (start < 0) {
            return found;
        }
        Matcher matcher = DEPENDENCY.matcher(pom.substring(start));
        while (matcher.find()) {
            if (matcher.group(1).equals("org.vettedaccess")) {
                found.add(matcher.group(2));
            }
        }
        return found;
    }
}
