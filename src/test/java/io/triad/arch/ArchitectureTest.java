package io.triad.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The core names no profile and no technology (issue 37). The core is the harness's own packages
 * (environment, hosts, zone, faults, history, checkers, run, reports, bench, mutants, simulation);
 * a profile's code lives in {@code io.triad.profile.<name>} and its steps in {@code steps/}, what
 * several profiles share about one technology (NATS, VRRP, PostgreSQL, Kubernetes, md RAID) in
 * {@code io.triad.tech.<name>}. Two checks:
 * <ul>
 * <li>no class of the core depends on a profile, technology, step or fixture class (ArchUnit, on
 * the compiled classes: an import, a call, a field type, an annotation);</li>
 * <li>the core's sources name no profile or technology in a word (code, strings or comments) beyond
 * the count each file had when this check came (src/test/resources/arch/core-names.txt): the
 * count may only go down, and the list is lowered with it, so it says what is left to move.</li>
 * </ul>
 */
class ArchitectureTest {

    static final String[] CORE = {"io.triad.bench..", "io.triad.check..", "io.triad.cli..", "io.triad.env..", "io.triad.history..",
            "io.triad.host..", "io.triad.mutants..", "io.triad.plan..", "io.triad.probe..", "io.triad.report..", "io.triad.run..",
            "io.triad.runbook..", "io.triad.sim..", "io.triad.zone.."};

    static final ArchRule CORE_DEPENDS_ON_NO_PROFILE = noClasses().that().resideInAnyPackage(CORE)
            .should().dependOnClassesThat().resideInAnyPackage("io.triad.profile..", "io.triad.tech..", "io.triad.steps..", "io.triad.fixture..")
            .because("the core names no profile and no technology: what one profile or technology needs lives in its own package");

    /** The names the core's sources must not use: the profiles, their services and the technologies they share. */
    static final Pattern NAMES = Pattern.compile("(?i)bsfg|jetstream|\\bnats\\b|keepalived|\\bvrrp\\b|patroni|repmgr|pgpool|postgres"
            + "|chainfire|flaredb|membershipd|unibus|phoenix|plasmacloud|kubectl|kubernetes|\\bsfa\\b|lease agent");

    static final Path CORE_SOURCES = Path.of("src/main/java/io/triad");
    static final Path BASELINE = Path.of("src/test/resources/arch/core-names.txt");

    @Test
    void theCoreDependsOnNoProfileNoTechnologyNoStep() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.triad");
        CORE_DEPENDS_ON_NO_PROFILE.check(classes);
    }

    /** The rule fails on a class of the core that uses a profile's class (planted here, in the test tree). */
    @Test
    void aPlantedUseOfAProfileInTheCoreFails() {
        JavaClasses planted = new ClassFileImporter().importClasses(io.triad.zone.PlantedProfileUse.class);
        EvaluationResult result = CORE_DEPENDS_ON_NO_PROFILE.evaluate(planted);
        assertTrue(result.hasViolation(), "the rule missed a core class using io.triad.profile.bsfgtriad.Settings");
        assertTrue(result.getFailureReport().toString().contains("io.triad.profile.bsfgtriad.Settings"), result.getFailureReport().toString());
    }

    @Test
    void theCoreSourcesNameNoMoreProfilesOrTechnologiesThanTheListSays() throws IOException {
        Map<String, Integer> now = names(CORE_SOURCES);
        Map<String, Integer> allowed = baseline();
        List<String> grown = new ArrayList<>();
        List<String> shrunk = new ArrayList<>();
        for (Map.Entry<String, Integer> e : now.entrySet()) {
            int limit = allowed.getOrDefault(e.getKey(), 0);
            if (e.getValue() > limit) {
                grown.add(e.getKey() + ": " + e.getValue() + " (the list allows " + limit + ")");
            }
        }
        for (Map.Entry<String, Integer> e : allowed.entrySet()) {
            int count = now.getOrDefault(e.getKey(), 0);
            if (count < e.getValue()) {
                shrunk.add(e.getKey() + " " + count + " (the list says " + e.getValue() + ")");
            }
        }
        assertTrue(grown.isEmpty(), "the core names a profile or technology more often than before (move it to the profile or a"
                + " io.triad.tech package): " + String.join("; ", grown));
        assertTrue(shrunk.isEmpty(), "fewer names in the core than " + BASELINE + " says: lower it to " + String.join("; ", shrunk));
        System.out.println("names of profiles or technologies left in the core: " + now.values().stream().mapToInt(Integer::intValue).sum()
                + " in " + now.size() + " files");
    }

    /** The counting itself: a name in code, a string or a comment counts; a word that only contains one ("natsu") does not. */
    @Test
    void namesAreFoundInCodeStringsAndComments() {
        assertTrue(count("String u = \"keepalived\";") == 1);
        assertTrue(count("// the JetStream cluster") == 1);
        assertTrue(count("new Patroni(); int bsfgPort;") == 2);
        assertFalse(count("int natsumi; String sfaX;") > 0);
    }

    static int count(String text) {
        Matcher m = NAMES.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    static Map<String, Integer> names(Path root) throws IOException {
        Map<String, Integer> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String rel = root.relativize(f).toString().replace('\\', '/');
                if (rel.startsWith("profile/") || rel.startsWith("tech/")) {
                    continue;
                }
                int n = count(Files.readString(f));
                if (n > 0) {
                    out.put(rel, n);
                }
            }
        }
        return out;
    }

    static Map<String, Integer> baseline() throws IOException {
        Map<String, Integer> out = new TreeMap<>();
        for (String line : Files.readAllLines(BASELINE)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] f = l.split("\\s+");
            out.put(f[0], Integer.parseInt(f[1]));
        }
        return out;
    }
}
