package io.triad.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.triad.env.Environment;
import io.triad.env.EnvironmentLoader;
import io.triad.host.Host;
import io.triad.host.SshHosts;
import io.triad.run.ExitCodes;
import io.triad.run.Progress;
import io.triad.sim.SimulatedTriad;
import io.triad.zone.Leftovers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live DR drills made safe, against a staging environment: the simulated triad's SSH endpoints
 * written into an environment file that is NOT marked simulated, so the harness treats it as a
 * live zone (read-only by default, host keys checked against the file's known_hosts, no container
 * faults). One triad for the whole class, started here; the harness runs as the command line,
 * in this JVM or, where it must be killed, in its own process.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveSafetyTest {

    static final Path ROOT = SimulatedTriad.root();
    static final Duration DEAD_MAN = Duration.ofSeconds(30);
    /** The faults the staging zone's owners allow; crash, freeze and quorum loss are not among them. */
    /** The simulated nodes' operator account (not root; a sudoers rule in the node image). */
    static final String OPERATOR = "triad-ops";

    static final List<String> ALLOWED = List.of("controlled-demotion", "cut-link", "stop-jetstream", "partition-node");

    static SimulatedTriad triad;
    static Environment simulated;
    static Path dir;
    static Path staging;
    static SshHosts ssh;
    static List<Host> hosts;

    @BeforeAll
    static void startTriad() throws Exception {
        dir = Files.createDirectories(ROOT.resolve("target/test-reports/live-safety"));
        simulated = EnvironmentLoader.load(ROOT.resolve("environments/bsfg-triad/simulated.yaml"));
        triad = SimulatedTriad.start(simulated, Progress.stderr());
        staging = writeStaging("staging.yaml", triad.knownHosts(), ALLOWED);
        ssh = new SshHosts("root", triad.identityFile(), triad.knownHosts(), Duration.ofSeconds(5), Duration.ofSeconds(30), r -> { });
        hosts = new ArrayList<>();
        for (Environment.HostSpec h : simulated.hosts()) {
            hosts.add(ssh.host(new SshHosts.Target(h.name(), h.role(), h.address().toString(), h.sshPort())));
        }
    }

    @AfterAll
    static void stopTriad() {
        if (ssh != null) {
            ssh.close();
        }
        if (triad != null) {
            triad.close();
        }
    }

    /** The simulated environment, made "live": kind live, the triad's key and known_hosts, these faults allowed. */
    static Path writeStaging(String name, Path knownHosts, List<String> allowed) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        ObjectNode env = (ObjectNode) yaml.readTree(ROOT.resolve("environments/bsfg-triad/simulated.yaml").toFile());
        env.put("kind", "live");
        env.remove("simulation");
        ObjectNode sshNode = (ObjectNode) env.get("ssh");
        sshNode.put("identity_file", triad.identityFile().toString());
        sshNode.put("known_hosts", knownHosts.toString());
        // As on a live zone: an operator account, root only through sudo for the commands that need it.
        sshNode.put("user", OPERATOR);
        sshNode.put("sudo", true);
        ObjectNode drills = env.putObject("drills");
        ArrayNode list = drills.putArray("allowed");
        allowed.forEach(list::add);
        drills.put("dead_man", DEAD_MAN.toSeconds() + "s");
        Path file = dir.resolve(name);
        yaml.writeValue(file.toFile(), env);
        return file;
    }

    record Outcome(int code, String out, String err) { }

    static Outcome triad(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
            System.err.print(err.toString(StandardCharsets.UTF_8));
        }
    }

    static String[] drill(Path reports, String... more) {
        List<String> args = new ArrayList<>(List.of("drill", "--env", staging.toString(), "--reports", reports.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    static Host host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst().orElseThrow();
    }

    /** What the harness left on the nodes: dead-man switches, fault tables, stopped services. */
    static List<String> leftBehind() {
        List<String> left = new ArrayList<>();
        for (Host h : hosts) {
            Leftovers.deadMen(h).forEach(t -> left.add(h.name() + ": dead-man " + t));
            Leftovers.tables(h).forEach(t -> left.add(h.name() + ": table " + t));
            String js = h.exec("systemctl is-active " + simulated.service("jetstream").unit()).stdout().strip();
            if (!js.equals("active")) {
                left.add(h.name() + ": JetStream " + js);
            }
            if (!h.role().equals("gamma")) {
                String ka = h.exec("systemctl is-active " + simulated.service("keepalived").unit()).stdout().strip();
                if (!ka.equals("active")) {
                    left.add(h.name() + ": keepalived " + ka);
                }
            }
        }
        return left;
    }

    // ---- refusals ----------------------------------------------------------------------------

    @Test
    @Order(1)
    void aDestructiveDrillIsRefusedWithoutBothPermissions() throws Exception {
        Path reports = dir.resolve("refused");
        Outcome noFlag = triad(drill(reports, "--tags", "@drill:controlled-demotion"));
        assertEquals(ExitCodes.BAD_INPUT, noFlag.code(), noFlag.err());
        assertTrue(noFlag.err().contains("lists its faults under drills.allowed (it does)"), noFlag.err());
        assertTrue(noFlag.err().contains("the operator passes --allow-destructive (not passed)"), noFlag.err());

        Outcome notListed = triad(drill(reports, "--allow-destructive", "--tags", "@drill:lose-quorum"));
        assertEquals(ExitCodes.BAD_INPUT, notListed.code(), notListed.err());
        assertTrue(notListed.err().contains("(missing: quorum-loss; listed: controlled-demotion, cut-link, partition-node,"
                + " stop-jetstream)"), notListed.err());
        assertTrue(notListed.err().contains("--allow-destructive (passed)"), notListed.err());

        Outcome readOnly = triad(drill(reports, "--read-only", "--tags", "@drill:controlled-demotion"));
        assertEquals(ExitCodes.BAD_INPUT, readOnly.code(), readOnly.err());
        assertTrue(readOnly.err().contains("refused"), readOnly.err());
        assertFalse(Files.exists(reports), "a refused run touches nothing and writes no report");
        assertEquals(List.of(), leftBehind());
    }

    @Test
    @Order(2)
    void withoutTagsALiveZoneRunsOnlyTheReadOnlyScenarios() {
        Outcome plan = triad("drill", "--env", staging.toString(), "--dry-run");
        assertEquals(ExitCodes.PASSED, plan.code(), plan.err());
        assertTrue(plan.err().contains("left out (destructive; a live zone is read-only without --allow-destructive)"), plan.err());
        assertFalse(plan.out().contains("    FAULT "), "a read-only plan applies no fault");
        assertFalse(plan.out().lines().anyMatch(l -> l.startsWith("  tags:") && l.contains("@disruptive")),
                "no destructive scenario in a read-only plan");
        assertTrue(plan.out().contains("SCENARIO "), plan.out());
    }

    @Test
    @Order(3)
    void anUnknownHostKeyIsRefusedAndItsFingerprintPrinted() throws Exception {
        Path known = dir.resolve("known_hosts-without-beta");
        List<String> lines = Files.readAllLines(triad.knownHosts()).stream()
                .filter(l -> !l.contains(simulated.hosts().stream().filter(h -> h.name().equals("beta")).findFirst().orElseThrow().address().toString())).toList();
        Files.write(known, lines);
        Path env = writeStaging("staging-unknown-beta.yaml", known, ALLOWED);
        Outcome o = triad("drill", "--env", env.toString(), "--reports", dir.resolve("unknown").toString(), "--tags", "@runbook:5.2");
        assertEquals(ExitCodes.BAD_INPUT, o.code(), o.err());
        assertTrue(Pattern.compile("host beta \\(.*\\): unknown host key \\S+ SHA256:\\S+ is not in known_hosts: refused")
                .matcher(o.err()).find(), o.err());
        assertFalse(o.err().contains("\tat "), "no stack trace: " + o.err());
    }

    // ---- dry run, then the permitted drill --------------------------------------------------

    @Test
    @Order(4)
    void theDryRunListsEveryCommandAndFaultThePermittedDrillThenRunsAndItHealsEverything() throws Exception {
        String tags = "@drill:controlled-demotion or @runbook:5.2";
        long acceptedBefore = sshLogins();
        Outcome plan = triad("drill", "--env", staging.toString(), "--allow-destructive", "--dry-run", "--tags", tags);
        assertEquals(ExitCodes.PASSED, plan.code(), plan.err());
        assertEquals(acceptedBefore, sshLogins(), "the dry run logged in to no host");
        assertTrue(plan.out().contains("FAULT controlled-demotion: keepalived stopped on alpha  [dead-man switch"), plan.out());
        assertTrue(plan.out().contains("HEAL keepalived stopped on alpha"), plan.out());
        assertTrue(plan.out().contains("GUARD the zone must be steady before the first fault"), plan.out());

        Path reports = dir.resolve("permitted");
        Outcome run = triad(drill(reports, "--allow-destructive", "--tags", tags));
        assertEquals(ExitCodes.PASSED, run.code(), run.err());
        assertEquals(List.of(), leftBehind(), "the permitted drill healed what it did");
        com.fasterxml.jackson.databind.JsonNode mode = new ObjectMapper().readTree(reports.resolve("latest").resolve("run.json")
                .toFile()).get("mode");
        assertEquals("{\"read_only\":false,\"faults_allowed\":[\"controlled-demotion\",\"cut-link\",\"partition-node\","
                + "\"stop-jetstream\"],\"destructive_scenarios\":1,\"left_out_as_destructive\":0,\"dead_man_seconds\":30,"
                + "\"ssh_user\":\"triad-ops\",\"sudo\":true}", mode.toString(), "run.json says what the run was allowed to do");

        // Every command the real run sent to a host is in the plan (numbers aside: sequence numbers, times).
        Set<String> planned = new TreeSet<>();
        for (String line : plan.out().lines().toList()) {
            int at = line.indexOf("$ ");
            if (line.startsWith("      ") && at > 0) {
                planned.add(shape(line.substring(6, at).strip() + " " + line.substring(at + 2)));
            }
        }
        List<String> log = Files.readAllLines(reports.resolve("latest").resolve(Main.COMMAND_LOG));
        assertTrue(log.size() > 50, "the command log holds the run's commands: " + log.size());
        List<String> unplanned = new ArrayList<>();
        for (String line : log) {
            // <time> <host> exit <n> <ms> ms $ <command> | <time> <host> stream $ <command> | ... port forward to ...
            String[] parts = line.split(" ", 3);
            int at = parts[2].indexOf("$ ");
            if (at < 0) {
                continue;
            }
            String command = shape(parts[1] + " " + parts[2].substring(at + 2));
            if (!planned.contains(command) && !command.startsWith(parts[1] + " true")) { // "true": reaching the hosts at start
                unplanned.add(line);
            }
        }
        assertEquals(List.of(), unplanned, "commands the real run sent that the dry run did not list");

        // sudo only where a command needs it: the fault and its heal went through sudo (sudo's own
        // log on alpha says so), the reads did not; the run logged in as the operator account.
        assertTrue(plan.out().contains("alpha$ sudo -n -- /bin/sh -c 'systemd-run --quiet --unit triad-heal-"), plan.out());
        String sudoLog = onNode("alpha", "journalctl --no-pager -o cat _COMM=sudo | grep 'USER=root' || true");
        assertTrue(sudoLog.lines().anyMatch(l -> l.startsWith(OPERATOR + " : ") && l.contains("COMMAND=/bin/sh -c 'systemd-run")
                && l.contains("systemctl stop keepalived.service")), "the fault ran through sudo: " + sudoLog);
        assertTrue(sudoLog.contains("COMMAND=/bin/sh -c '(systemctl start keepalived.service)"), "the heal ran through sudo: " + sudoLog);
        for (String read : List.of("ip -o -4 addr show", "systemctl is-active", "curl ")) {
            assertFalse(sudoLog.contains("COMMAND=/bin/sh -c '" + read), read + " needs no root, yet went through sudo: " + sudoLog);
        }
        assertTrue(log.stream().anyMatch(l -> l.contains(" alpha exit 0 ") && l.endsWith("$ ip -o -4 addr show")),
                "reads run as the account itself");
    }

    /** A command's output on a node, run without the harness (through Docker, as root). */
    static String onNode(String node, String command) throws Exception {
        Process p = new ProcessBuilder("docker", "exec", triad.containerId(node), "sh", "-c", command)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /** A command with its numbers (sequence numbers, epoch times) and run ids made neutral. */
    static String shape(String command) {
        // the samplers' controller program: read on a VIP node when the recording starts, a placeholder in the plan
        return command.replaceAll("prog='\\\\''[^']*'\\\\''", "prog=PROGRAM").replaceAll("triad-heal-[0-9a-z]+-[0-9]+", "triad-heal-RUN-N").replaceAll("triad_fault_[0-9a-z]+_[0-9]+",
                "triad_fault_RUN_N").replaceAll("[0-9]+", "N");
    }

    /** How many SSH logins the nodes' sshd has accepted so far (read without the harness, through Docker). */
    static long sshLogins() throws Exception {
        long n = 0;
        for (Environment.HostSpec h : simulated.hosts()) {
            String out = onNode(h.name(), "journalctl --no-pager -o cat | grep -c 'Accepted publickey' || true").strip();
            n += Long.parseLong(out.lines().reduce((a, b) -> b).orElse("0"));
        }
        return n;
    }

    // ---- secrets ------------------------------------------------------------------------------

    @Test
    @Order(5)
    void aSecretPrintedByACheckAppearsNowhereUnderReports() throws Exception {
        String keyBody = Base64.getEncoder().encodeToString(("triad-planted-private-key-" + System.nanoTime()).repeat(3)
                .getBytes(StandardCharsets.UTF_8));
        String pass = "PlantedPass" + Long.toHexString(System.nanoTime());
        Host alpha = host("alpha");
        String conf = "/etc/keepalived/keepalived.conf";
        alpha.exec("cp " + conf + " /root/keepalived.conf.saved").requireOk();
        try {
            alpha.exec("printf '%s\\n' '# -----BEGIN OPENSSH PRIVATE KEY-----' '# " + keyBody + "' '# -----END OPENSSH PRIVATE KEY-----'"
                    + " '# auth_pass " + pass + "' >> " + conf).requireOk();
            Path reports = dir.resolve("secret");
            Outcome run = triad(drill(reports, "--tags", "@runbook:4.2"));
            assertTrue(run.code() == ExitCodes.PASSED || run.code() == ExitCodes.FAILED, run.err());
            Path runDir = reports.resolve("latest").toRealPath();
            assertTrue(new ObjectMapper().readTree(runDir.resolve("run.json").toFile()).get("mode").get("read_only").asBoolean(),
                    "a live zone without --allow-destructive: run.json says read-only");
            assertTrue(grep(runDir, "[REDACTED]"), "the planted secrets were printed by a check, and redacted");
            for (String secret : List.of(keyBody.substring(0, 40), pass)) {
                List<String> found = find(runDir, secret);
                assertEquals(List.of(), found, "the secret " + secret + " is in the reports");
            }
            assertFalse(run.err().contains(pass), "nor in the progress output");
        } finally {
            alpha.exec("mv /root/keepalived.conf.saved " + conf).requireOk();
        }
    }

    /** The files under {@code dir} holding {@code secret} as it is, or base64-encoded at any of its three alignments. */
    static List<String> find(Path dir, String secret) throws IOException {
        List<byte[]> needles = new ArrayList<>();
        byte[] raw = secret.getBytes(StandardCharsets.UTF_8);
        needles.add(raw);
        for (int shift = 0; shift < 3; shift++) {
            byte[] shifted = new byte[raw.length + shift];
            System.arraycopy(raw, 0, shifted, shift, raw.length);
            String b64 = Base64.getEncoder().encodeToString(shifted);
            // the characters that depend only on the secret: skip the first (mixed with what precedes), keep whole groups
            int from = (shift == 0 ? 0 : 4);
            int to = ((raw.length + shift) / 3) * 4 - 4;
            if (to > from + 8) {
                needles.add(b64.substring(from, to).getBytes(StandardCharsets.US_ASCII));
            }
        }
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] content = Files.readAllBytes(f);
                for (byte[] needle : needles) {
                    if (indexOf(content, needle) >= 0) {
                        out.add(dir.relativize(f) + " holds " + new String(needle, StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return out;
    }

    static boolean grep(Path dir, String text) throws IOException {
        return !find(dir, text).isEmpty();
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    // ---- guard rails --------------------------------------------------------------------------

    @Test
    @Order(6)
    void theGuardRailsStopTheRunBeforeTheRefusedFaultAndHealWhatCameBefore() {
        Path features = ROOT.resolve("src/test/resources/features/guard");
        record Case(String tag, String expected) { }
        for (Case c : List.of(
                new Case("@guard:two-jetstream or @guard:after-stop", "never more than one JetStream node down"),
                new Case("@guard:alpha-and-beta", "never fault Alpha and Beta at once"),
                new Case("@guard:undeclared", "the scenario applies the fault 'partition-node' but does not declare it"),
                new Case("@guard:unsteady", "the zone is not steady, so no fault"))) {
            Outcome o = triad(drill(dir.resolve("guard"), "--features", features.toString(), "--allow-destructive", "--tags", c.tag()));
            assertEquals(ExitCodes.FAILED, o.code(), c.tag() + ": " + o.err());
            assertTrue(o.err().contains("SAFETY STOP: " + c.expected()), c.tag() + ": " + o.err());
            assertTrue(o.err().contains("VERDICT: STOPPED BY A SAFETY RULE"), o.err());
            if (c.tag().contains("after-stop")) {
                assertTrue(o.err().contains("not run: SAFETY STOP"), "the scenario after the stop did not run: " + o.err());
            }
            assertEquals(List.of(), leftBehind(), c.tag() + ": left behind");
        }
    }

    // ---- the harness killed in the middle of a partition ---------------------------------

    /** Starts the harness in its own JVM on the link-cut drill and returns once Alpha's partition is in place. */
    static Process linkCutInProgress(Path reports) throws Exception {
        // through python3, which restores SIGINT's default action before it becomes the harness: a test
        // run started in the background by a shell inherits SIGINT ignored, and the JVM then never sees
        // the Ctrl-C this test sends (an operator's terminal does not ignore it)
        List<String> cmd = List.of("python3", "-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dtriad.root=" + ROOT, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "drill", "--env", staging.toString(), "--reports", reports.toString(), "--allow-destructive",
                "--tags", "@drill:link-cut");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(reports.resolveSibling(
                reports.getFileName() + ".log").toFile()).start();
        Files.createDirectories(reports);
        await("the link cut on alpha").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> !p.isAlive() || !Leftovers.tables(host("alpha")).isEmpty());
        assertTrue(p.isAlive(), "the harness ended before the partition: see " + reports + ".log");
        return p;
    }

    @Test
    @Order(7)
    void killedWithSigkillMidPartitionTheDeadManSwitchHealsTheNodesWithinItsTimeToLive() throws Exception {
        Process p = linkCutInProgress(dir.resolve("killed"));
        long killedAt = System.nanoTime();
        p.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook runs
        assertFalse(Leftovers.tables(host("alpha")).isEmpty(), "the partition outlived the harness");
        await("the dead-man switch heals alpha").atMost(DEAD_MAN.plusSeconds(15)).pollInterval(Duration.ofMillis(500))
                .until(() -> Leftovers.tables(host("alpha")).isEmpty() && Leftovers.deadMen(host("alpha")).isEmpty());
        Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
        System.err.println("dead-man heal: partition removed " + took.toMillis() + " ms after SIGKILL (time-to-live "
                + DEAD_MAN.toSeconds() + " s from the fault)");
        assertTrue(took.compareTo(DEAD_MAN.plusSeconds(5)) <= 0, "healed " + took.toMillis() + " ms after the kill");
        assertEquals(List.of(), leftBehind());
    }

    @Test
    @Order(8)
    void killedWithSigkillTheHealCommandUndoesWhatWasLeftAtOnce() throws Exception {
        Process p = linkCutInProgress(dir.resolve("killed-then-heal"));
        p.destroyForcibly().waitFor();
        Outcome heal = triad("heal", "--env", staging.toString());
        assertEquals(ExitCodes.PASSED, heal.code(), heal.out() + heal.err());
        assertTrue(heal.out().contains("alpha: " + "triad-heal-"), heal.out());
        assertTrue(heal.out().contains("undo run, dead-man disarmed"), heal.out());
        assertEquals(List.of(), leftBehind(), "after triad heal");
        Outcome again = triad("heal", "--env", staging.toString());
        assertEquals(ExitCodes.PASSED, again.code());
        assertTrue(again.out().contains("alpha: nothing left by the harness"), again.out());
    }

    @Test
    @Order(9)
    void interruptedWithCtrlCTheHarnessHealsThenExits() throws Exception {
        Process p = linkCutInProgress(dir.resolve("interrupted"));
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the harness exits after Ctrl-C");
        assertTrue(p.exitValue() != 0, "an interrupted run does not pass");
        String log = Files.readString(dir.resolve("interrupted.log"));
        assertTrue(log.contains("interrupted: healing faults"), log);
        assertEquals(List.of(), leftBehind(), "Ctrl-C healed");
    }
}
