package io.triad.mutants;

import io.triad.env.Environment;
import io.triad.sim.SimulatedTriad;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every mutant of every public catalog makes a valid environment (its overlays and its settings laid
 * on the base): a setting the loader refuses (a switch written as text, a path that is not there) is
 * found here, not after a lane has waited for the mutant's turn.
 */
class MutantCatalogsTest {

    @Test
    void everyMutantOfEveryCatalogMakesAValidEnvironment() {
        List<Path> catalogs = Mutants.catalogs(SimulatedTriad.root().resolve("fixtures"));
        assertEquals(5, catalogs.size(), catalogs.toString());
        List<String> refused = new ArrayList<>();
        int n = 0;
        for (Path c : catalogs) {
            Mutants catalogue = Mutants.load(c);
            for (Mutants.Mutant m : catalogue.mutants()) {
                n++;
                try {
                    Environment env = catalogue.environment(m, 0);
                    assertTrue(env.simulated(), m.name());
                } catch (RuntimeException e) {
                    refused.add(c.getParent().getFileName() + "/" + m.name() + ": " + e.getMessage());
                }
            }
        }
        assertTrue(n > 100, n + " mutants");
        assertEquals(List.of(), refused);
        // the switch the bare-playbook mutants set (simulation.provision.idempotence: false) reaches the environment as one
        Mutants bsfg = Mutants.load(SimulatedTriad.root().resolve("fixtures/mutants/catalog.yaml"));
        Mutants.Mutant playbook = bsfg.mutants().stream().filter(m -> m.name().equals("playbook-controller-enabled")).findFirst().orElseThrow();
        assertFalse(bsfg.environment(playbook, 0).simulation().provision().orElseThrow().idempotence());
    }

    /**
     * Every mutant's caught_by names a scenario its tags select: a scenario renamed without its
     * mutants' caught_by leaves them "failed otherwise" in every run (stop 52: PlasmaCloud 6.4's).
     */
    @Test
    void everyCaughtByNamesAScenarioTheMutantsTagsSelect() {
        List<String> dangling = new ArrayList<>();
        for (Path c : Mutants.catalogs(SimulatedTriad.root().resolve("fixtures"))) {
            Mutants catalogue = Mutants.load(c);
            for (Mutants.Mutant m : catalogue.mutants()) {
                Environment env = catalogue.environment(m, 0);
                List<io.triad.report.FeatureIndex.Scenario> all = io.triad.report.FeatureIndex.of(
                        SimulatedTriad.root().resolve(env.profile().featuresDir())).scenarios();
                java.util.Set<String> tags = new java.util.HashSet<>();
                java.util.regex.Matcher t = java.util.regex.Pattern.compile("@[^\\s()]+").matcher(m.scenarios());
                while (t.find()) {
                    tags.add(t.group());
                }
                boolean named = all.stream().filter(s -> s.tags().stream().anyMatch(tags::contains))
                        .anyMatch(s -> s.name().contains(m.caughtBy()));
                if (!named) {
                    dangling.add(c.getParent().getParent().getFileName() + "/" + m.name() + ": no scenario tagged " + tags
                            + " is named with '" + m.caughtBy() + "'");
                }
            }
        }
        assertEquals(List.of(), dangling);
    }

    /** Two mutants of one catalog under one name: refused when the catalog is read, naming the name (one was run twice, the other never). */
    @Test
    void aNameTwiceInACatalogIsRefused(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path catalog = dir.resolve("catalog.yaml");
        java.nio.file.Files.createDirectories(dir.resolve("broken"));
        java.nio.file.Files.writeString(catalog, """
                base: %s
                mutants:
                  - { name: twice, broken: one, overlays: { alpha: broken }, scenarios: "@runbook:5.5", caught_by: "", message: ["a"] }
                  - { name: twice, broken: two, overlays: { beta: broken }, scenarios: "@runbook:5.5", caught_by: "", message: ["b"] }
                """.formatted(SimulatedTriad.root().resolve("environments/bsfg-triad/simulated.yaml")));
        io.triad.env.InputError e = org.junit.jupiter.api.Assertions.assertThrows(io.triad.env.InputError.class, () -> Mutants.load(catalog));
        assertTrue(e.getMessage().contains("mutant 2") && e.getMessage().contains("another mutant of this catalog is named 'twice'"), e.getMessage());
    }

    /**
     * A catalog's base_set is laid on every mutant's environment and on the zone mutants are laid on
     * in place; a mutant's own set wins: the three-phoenix mutants leave the control plane out but
     * app-spread-preferred, which reads it.
     */
    @Test
    void theCatalogsBaseSettingsReachEveryMutantAndAMutantsOwnWin() {
        Mutants phoenix = Mutants.load(SimulatedTriad.root().resolve("fixtures/three-phoenix/mutants/catalog.yaml"));
        java.util.function.Function<String, Boolean> simulated = name -> phoenix.environment(phoenix.mutants().stream()
                .filter(m -> m.name().equals(name)).findFirst().orElseThrow(), 0)
                .settings(io.triad.profile.threephoenix.Settings.class).kubernetes().simulate();
        assertFalse(simulated.apply("lb-off"));
        assertTrue(simulated.apply("app-spread-preferred"));
        assertFalse(phoenix.baseEnvironment(0).settings(io.triad.profile.threephoenix.Settings.class).kubernetes().simulate());
    }
    /**
     * A mutant's judged_with settings build nothing: its zone rendered with and without them (the same
     * CA, keys and work directory) lays the same files on every host, with the same simulation, hosts
     * and addresses; so a mutant in place judged with them on the lane's zone is judged on the zone a
     * fresh one would have been.
     */
    @Test
    void everyJudgedWithSettingBuildsNothing(@org.junit.jupiter.api.io.TempDir Path work) {
        List<String> shaping = new ArrayList<>();
        int n = 0;
        for (Path c : Mutants.catalogs(SimulatedTriad.root().resolve("fixtures"))) {
            Mutants catalogue = Mutants.load(c);
            for (Mutants.Mutant m : catalogue.mutants()) {
                if (!m.judgedWith().isEmpty()) {
                    n++;
                    shaping.addAll(shapes(catalogue, m, work).stream().map(d -> m.name() + ": " + d).toList());
                }
            }
        }
        assertTrue(n >= 3, n + " mutants judged with settings of their own");
        assertEquals(List.of(), shaping, "judged_with settings the zone is built from");
    }

    /** A setting the zone is built from, written under judged_with, is found by the same comparison (the site certificate's validity). */
    @Test
    void aJudgedWithSettingThatShapesTheZoneIsFound(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path catalog = dir.resolve("catalog.yaml");
        java.nio.file.Files.writeString(catalog, """
                base: %s
                mutants:
                  - name: short-site-certificate
                    broken: the site's certificate expires in 10 days
                    in_place: []
                    judged_with: { phoenix.simulation.site_certificate_validity: 10d }
                    scenarios: "@runbook:III.1"
                    caught_by: "SSL Validity"
                    message: ["not more than 30"]
                """.formatted(SimulatedTriad.root().resolve("environments/three-phoenix/simulated.yaml")));
        Mutants catalogue = Mutants.load(catalog);
        List<String> found = shapes(catalogue, catalogue.mutants().get(0), dir.resolve("work"));
        assertTrue(found.stream().anyMatch(d -> d.contains("edge") && d.contains("differs")), found.toString());
        // and a setting in both set and judged_with is refused when the catalog is read
        java.nio.file.Files.writeString(catalog, java.nio.file.Files.readString(catalog).replace("    in_place: []\n",
                "    in_place: []\n    set: { phoenix.simulation.site_certificate_validity: 20d }\n"));
        io.triad.env.InputError e = org.junit.jupiter.api.Assertions.assertThrows(io.triad.env.InputError.class, () -> Mutants.load(catalog));
        assertTrue(e.getMessage().contains("both in 'set' and in 'judged_with'"), e.getMessage());
    }

    /** Where the zone in place (built without m's judged_with) and the zone judged with them differ. */
    static List<String> shapes(Mutants catalogue, Mutants.Mutant m, Path work) {
        Environment built = catalogue.inPlaceEnvironment(m, 0);
        Environment judged = catalogue.judgedEnvironment(m, 0);
        List<String> out = new ArrayList<>();
        if (!built.hosts().equals(judged.hosts()) || !built.supportHosts().equals(judged.supportHosts())) {
            out.add("the hosts differ");
        }
        if (!built.simulation().equals(judged.simulation())) {
            out.add("the simulation differs: " + built.simulation() + " against " + judged.simulation());
        }
        java.util.Map<String, io.triad.sim.SshKeys.HostKey> keys = new java.util.HashMap<>();
        built.hosts().forEach(h -> keys.put(h.name(), io.triad.sim.SshKeys.generate(h.name())));
        built.supportHosts().forEach(h -> keys.put(h.name(), io.triad.sim.SshKeys.generate(h.name())));
        io.triad.sim.ZoneCa ca = new io.triad.sim.ZoneCa(built.zone(), java.time.Duration.ofDays(365));
        java.util.Map<String, io.triad.sim.NodeFiles> a = built.profile().recipe().render(
                new io.triad.sim.ZoneRecipe.Inputs(built, ca, "ssh-ed25519 AAAA test", keys, work.resolve("built")));
        // a second render of the same zone: the files that differ between the two are made at random
        // (secrets, keys, certificates), compared with their random parts masked and each certificate
        // summed up (subject, names, validity); every other file byte for byte
        java.util.Map<String, io.triad.sim.NodeFiles> again = built.profile().recipe().render(
                new io.triad.sim.ZoneRecipe.Inputs(built, ca, "ssh-ed25519 AAAA test", keys, work.resolve("again")));
        java.util.Map<String, io.triad.sim.NodeFiles> b = judged.profile().recipe().render(
                new io.triad.sim.ZoneRecipe.Inputs(judged, ca, "ssh-ed25519 AAAA test", keys, work.resolve("judged")));
        for (String host : new java.util.TreeSet<>(a.keySet())) {
            var x = a.get(host).entries();
            var z = again.get(host).entries();
            var y = b.containsKey(host) ? b.get(host).entries() : java.util.Map.<String, io.triad.sim.NodeFiles.Entry>of();
            for (String path : new java.util.TreeSet<>(x.keySet())) {
                io.triad.sim.NodeFiles.Entry e = x.get(path);
                io.triad.sim.NodeFiles.Entry f = y.get(path);
                boolean random = z.get(path) == null || !java.util.Arrays.equals(e.content(), z.get(path).content());
                if (f == null || e.mode() != f.mode() || !java.util.Objects.equals(e.linkTarget(), f.linkTarget())
                        || (random ? !masked(e.content()).equals(masked(f.content())) : !java.util.Arrays.equals(e.content(), f.content()))) {
                    out.add(host + ":" + path + " differs");
                }
            }
            y.keySet().stream().filter(p -> !x.containsKey(p)).forEach(p -> out.add(host + ":" + p + " only when judged with them"));
        }
        return out;
    }
    /** A file made at random, its random parts masked: each certificate as its subject, names and validity in days, each private key as one mark, each long token as one mark. */
    static String masked(byte[] content) {
        String text = new String(content, java.nio.charset.StandardCharsets.UTF_8);
        java.util.regex.Matcher pem = java.util.regex.Pattern.compile("-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----").matcher(text);
        StringBuilder out = new StringBuilder();
        while (pem.find()) {
            String summary;
            try {
                java.security.cert.X509Certificate c = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                        .generateCertificate(new java.io.ByteArrayInputStream(pem.group().getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
                summary = "certificate " + c.getSubjectX500Principal() + " names " + c.getSubjectAlternativeNames() + " valid "
                        + java.time.Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant()).toDays() + " days";
            } catch (java.security.cert.CertificateException e) {
                summary = "unreadable certificate";
            }
            pem.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(summary));
        }
        pem.appendTail(out);
        // a private key whole (its base64's last line may be shorter than a token)
        return out.toString().replaceAll("(?s)-----BEGIN ([A-Z ]*)PRIVATE KEY-----.*?-----END \\1PRIVATE KEY-----", "<$1private key>")
                .replaceAll("[A-Za-z0-9+/=_$.-]{16,}", "<random>");
    }
}
