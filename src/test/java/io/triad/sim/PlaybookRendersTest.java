package io.triad.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.triad.env.Environment;
import io.triad.env.EnvironmentLoader;
import io.triad.profile.bsfgtriad.TriadRenderer;
import io.triad.run.Progress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
 * The BSFG reference configuration written as a playbook (examples/provision/bsfg-bare) renders,
 * file for file and byte for byte, what the profile's own renderer lays on the nodes: every
 * template of its roles rendered by the harness's ansible-core on this machine (connection local)
 * from the inventory the harness writes, and every file its copy tasks lay, compared with
 * {@link TriadRenderer}'s output for the same environment; with the VIP lease and without it (the
 * pattern as written). A change to either that the other does not follow fails here.
 */
class PlaybookRendersTest {

    static final Path ROOT = SimulatedTriad.root();
    static final Path PLAYBOOK = ROOT.resolve("examples/provision/bsfg-bare");

    @ParameterizedTest(name = "lease: {0}")
    @ValueSource(booleans = {true, false})
    void theBarePlaybookRendersWhatTheProfileRenders(boolean lease) throws Exception {
        Environment env = EnvironmentLoader.load(ROOT.resolve("environments/bsfg-triad/simulated.yaml"), root -> {
            if (!lease) {
                root.remove("vip_lease");
            }
        });
        Path work = Files.createTempDirectory("playbook-renders");
        Path inventory = Provisioning.writeInventory(env, work.resolve("id"), work.resolve("known_hosts"), work);
        Path out = work.resolve("ansible");
        Path ansible = Provisioning.ansible(Progress.silent());
        ProcessBuilder pb = new ProcessBuilder(ansible.toString(), "-i", inventory.toString(),
                ROOT.resolve("src/test/resources/provision/render-templates.yml").toString(),
                "-e", "out=" + out, "-e", "roles=" + PLAYBOOK.resolve("roles"),
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
        Map<String, NodeFiles> reference = new TriadRenderer(env, new ZoneCa(env.zone(), Duration.ofDays(365)), "ssh-ed25519 AAAA test", keys)
                .render();
        Map<String, String> copied = copiedFiles();
        List<String> compared = new ArrayList<>();
        List<String> differ = new ArrayList<>();
        for (Environment.HostSpec h : env.hosts()) {
            for (NodeFiles.Entry e : reference.get(h.name()).entries().values()) {
                if (e.isLink() || new io.triad.profile.bsfgtriad.Recipe().identity(env, e.path()) || e.path().equals(TriadRenderer.MANIFEST)) {
                    continue; // links are the units' enablement (systemd's own); identity is the harness's; the manifest is computed
                }
                String expected = new String(e.content(), StandardCharsets.UTF_8);
                Path rendered = out.resolve(h.name() + e.path());
                String actual = Files.exists(rendered) ? Files.readString(rendered) : copied.get(e.path());
                compared.add(h.name() + ":" + e.path());
                if (!expected.equals(actual)) {
                    differ.add(h.name() + ":" + e.path() + (actual == null ? " (the playbook lays no such file)" : ""));
                }
            }
        }
        assertTrue(compared.size() >= 30, "compared " + compared);
        assertEquals(List.of(), differ, "files the playbook renders otherwise than the profile (or not at all)");
        assertTrue(compared.contains("alpha:/etc/keepalived/keepalived.conf") && compared.contains("gamma:/etc/cron.d/bsfg-backup"), compared.toString());
        assertEquals(lease, compared.contains("alpha:/opt/bsfg/lease.env"));
    }

    /** The files the playbook's copy tasks lay with inline content, by path. */
    static Map<String, String> copiedFiles() throws Exception {
        Map<String, String> out = new HashMap<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (var tasks = Files.walk(PLAYBOOK.resolve("roles"))) {
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
