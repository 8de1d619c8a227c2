package io.triad.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.triad.env.Environment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code run.json} in the run directory: which zone and environment file, who ran it from where,
 * when, the harness version and commit, what the run was allowed to do (read-only or the faults
 * allowed, the dead-man's time, the SSH account and whether it used sudo), and where the
 * simulation checked an equivalent artifact instead of the one the runbook names. No secrets:
 * paths and names only.
 */
final class RunRecord {
    private RunRecord() { }

    static void write(Path runDir, Environment env, String tags, boolean continuePastHalt, io.triad.zone.Safety safety,
                      io.triad.zone.Safety.Selection selection) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("zone", env.zone());
        record.put("profile", env.profile().name());
        record.put("kind", env.kind().name().toLowerCase());
        record.put("environment_file", env.file().toAbsolutePath().normalize().toString());
        record.put("tags", tags == null ? "" : tags);
        record.put("continue_past_halt", continuePastHalt);
        // What this run was allowed to do to the zone, and as whom (an auditor's first question).
        Map<String, Object> mode = new LinkedHashMap<>();
        mode.put("read_only", safety.readOnly());
        mode.put("faults_allowed", safety.readOnly() ? List.of() : List.copyOf(new java.util.TreeSet<>(safety.allowedFaults())));
        mode.put("destructive_scenarios", selection.destructive().size());
        mode.put("left_out_as_destructive", selection.leftOut().size());
        mode.put("dead_man_seconds", env.drills().deadMan().toSeconds());
        mode.put("ssh_user", env.ssh().user());
        mode.put("sudo", env.ssh().sudo());
        record.put("mode", mode);
        record.put("started_at", Instant.now().toString());
        record.put("executor", System.getProperty("user.name") + "@" + hostname());
        record.put("harness_version", Main.class.getPackage().getImplementationVersion() == null
                ? "0.1.0-SNAPSHOT" : Main.class.getPackage().getImplementationVersion());
        record.put("harness_commit", gitCommit());
        record.put("hosts", env.hosts().stream().map(h -> Map.of("name", h.name(), "role", h.role(),
                "hostname", h.hostname(), "address", h.address().toString())).toList());
        if (env.hasVip()) {
            record.put("vip", env.vip().toString());
        }
        env.simulation().provision().ifPresent(p -> record.put("provisioned_by", Map.of("what", p.describe(),
                "reference", p.bare() ? "bare" : "keep", "repeatable", p.repeatability())));
        record.put("not_applicable", env.acceptance().notApplicable());
        record.put("equivalents", env.equivalents().stream().map(e -> Map.of("runbook", e.runbook(),
                "checked", e.checked(), "reason", e.reason())).toList());
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(runDir.resolve("run.json").toFile(), record);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + runDir.resolve("run.json"), e);
        }
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String gitCommit() {
        try {
            Process p = new ProcessBuilder(List.of("git", "rev-parse", "HEAD")).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
