package io.triad.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.triad.env.Environment;
import io.triad.env.EnvironmentLoader;
import io.triad.profile.bsfgtriad.TriadRenderer;
import io.triad.run.Progress;
import org.junit.jupiter.params.ParameterizedTest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A profile's reference configuration written as a playbook (examples/provision/<profile>-bare)
 * renders, file for file and byte for byte, what the profile's own recipe lays on the nodes: every
 * template of its roles rendered by the harness's ansible-core on this machine (connection local)
 * from the inventory the harness writes (src/test/resources/provision/render-<playbook>.yml), and
 * every file its copy tasks lay, compared with {@link ZoneRecipe#render} for the same environment.
 * The BSFG triad with its VIP lease and without it (the pattern as written); the unibus cluster
 * (its WireGuard keys, made on the nodes by the playbook, replaced by stand-ins on both sides). A
 * change to either that the other does not follow fails here. The recipe and the inventory are
 * generic: nothing here names a profile but the case.
 */
class PlaybookRendersTest {

    static final Path ROOT = SimulatedTriad.root();

    record Case(String name, String envFile, java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> edit,
                String playbook, java.util.function.UnaryOperator<String> normalize, int atLeast, List<String> mustCompare,
                List<String> mustNotCompare) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("bsfg-triad, VIP lease", "environments/bsfg-triad/simulated.yaml", root -> { }, "bsfg-bare", x -> x, 30,
                        List.of("alpha:/etc/keepalived/keepalived.conf", "gamma:/etc/cron.d/bsfg-backup", "alpha:/opt/bsfg/lease.env"),
                        List.of()),
                new Case("bsfg-triad, no lease", "environments/bsfg-triad/simulated.yaml", root -> root.remove("vip_lease"), "bsfg-bare",
                        x -> x, 30, List.of("alpha:/etc/keepalived/keepalived.conf"), List.of("alpha:/opt/bsfg/lease.env")),
                new Case("unibus", "environments/unibus/simulated.yaml", root -> { }, "unibus-bare", PlaybookRendersTest::wgStandIns, 20,
                        List.of("magnus:/etc/wireguard/wg0.conf", "homer:/usr/local/sbin/unibus-bringup", "datardos:/opt/unibus/cluster.env"),
                        List.of()));
    }

    /** A wg0.conf with its keys replaced by the render playbook's stand-ins (KEY, PUBLIC-<peer>). */
    static String wgStandIns(String text) {
        return text.replaceAll("(?m)^PrivateKey = .*$", "PrivateKey = KEY")
                .replaceAll("(?m)^# (\\S+)\n\\[Peer\\]\nPublicKey = .*$", "# $1\n[Peer]\nPublicKey = PUBLIC-$1");
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("cases")
    void theBarePlaybookRendersWhatTheProfileRenders(Case c) throws Exception {
        Environment env = EnvironmentLoader.load(ROOT.resolve(c.envFile()), c.edit());
        Path playbook = ROOT.resolve("examples/provision/" + c.playbook());
        Path work = Files.createTempDirectory("playbook-renders");
        Path inventory = Provisioning.writeInventory(env, work.resolve("id"), work.resolve("known_hosts"), work);
        Path out = work.resolve("ansible");
        Path ansible = Provisioning.ansible(Progress.silent());
        ProcessBuilder pb = new ProcessBuilder(ansible.toString(), "-i", inventory.toString(),
                ROOT.resolve("src/test/resources/provision/render-" + c.playbook() + ".yml").toString(),
                "-e", "out=" + out, "-e", "roles=" + playbook.resolve("roles"),
                "-e", "ansible_python_interpreter=" + ansible.getParent().resolve("python"))
                .redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C.UTF-8");
        pb.environment().put("ANSIBLE_LOCAL_TEMP", work.resolve("tmp").toString());
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), log);

        Map<String, SshKeys.HostKey> keys = new HashMap<>();
        env.hosts().forEach(h -> keys.put(h.name(), SshKeys.generate(h.name())));
        env.supportHosts().forEach(h -> keys.put(h.name(), SshKeys.generate(h.name())));
        ZoneRecipe recipe = env.profile().recipe();
        Map<String, NodeFiles> reference = recipe.render(new ZoneRecipe.Inputs(env, new ZoneCa(env.zone(), Duration.ofDays(365)),
                "ssh-ed25519 AAAA test", keys, work));
        Map<String, String> copied = copiedFiles(playbook);
        List<String> compared = new ArrayList<>();
        List<String> differ = new ArrayList<>();
        for (Environment.HostSpec h : env.hosts()) {
            for (NodeFiles.Entry e : reference.get(h.name()).entries().values()) {
                if (e.isLink() || recipe.identity(env, e.path()) || e.path().equals(TriadRenderer.MANIFEST)) {
                    continue; // links are the units' enablement (systemd's own); identity is the harness's; the manifest is computed
                }
                String expected = c.normalize().apply(new String(e.content(), StandardCharsets.UTF_8));
                Path rendered = out.resolve(h.name() + e.path());
                String actual = Files.exists(rendered) ? Files.readString(rendered) : copied.get(e.path());
                compared.add(h.name() + ":" + e.path());
                if (!expected.equals(actual)) {
                    differ.add(h.name() + ":" + e.path() + (actual == null ? " (the playbook lays no such file)"
                            : "\n--- the profile's\n" + expected + "--- the playbook's\n" + actual));
                }
            }
        }
        assertTrue(compared.size() >= c.atLeast(), "compared " + compared);
        assertEquals(List.of(), differ, "files the playbook renders otherwise than the profile (or not at all)");
        assertTrue(compared.containsAll(c.mustCompare()), compared.toString());
        c.mustNotCompare().forEach(f -> assertTrue(!compared.contains(f), f + " compared: " + compared));
    }

    /** The files the playbook's copy tasks lay with inline content, by path. */
    static Map<String, String> copiedFiles(Path playbook) throws Exception {
        Map<String, String> out = new HashMap<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (var tasks = Files.walk(playbook.resolve("roles"))) {
            for (Path f : tasks.filter(x -> x.toString().endsWith("/tasks/main.yml")).toList()) {
                collect(yaml.readTree(f.toFile()), out);
            }
        }
        return out;
    }

    private static void collect(JsonNode node, Map<String, String> out) {
        if (node.isArray()) {
            node.forEach(n -> collect(n, out));
        } else if (node.isObject()) {
            JsonNode copy = node.path("ansible.builtin.copy");
            if (copy.isObject() && copy.has("content")) {
                out.put(copy.path("dest").asText(), copy.path("content").asText());
            }
            node.path("block").forEach(n -> collect(n, out));
        }
    }
}
