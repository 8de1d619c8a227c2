package io.triad.steps.bsfgtriad;

import io.triad.profile.bsfgtriad.Settings;
import io.triad.steps.common.Support;
import io.cucumber.java.en.Then;
import io.triad.env.Environment;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.probe.parse.ChronyTracking;
import io.triad.probe.parse.Findmnt;
import io.triad.tech.mdraid.MdStat;
import io.triad.probe.parse.OsRelease;
import io.triad.probe.parse.Versions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Runbook section 3: host preparation. */
public class HostSteps extends Support {
    public HostSteps(io.triad.run.Run run) {
        super(run);
    }

    // ---- 3.1 OS ----------------------------------------------------------------------------------

    @Then("every node runs an OS of the supported matrix")
    public void supportedOs() {
        List<String> supported = zone.env().acceptance().baseline().os();
        List<String> problems = onEachHost(zone.hosts(), (h, found) -> {
            String text = read(h, "/etc/os-release");
            java.util.Optional<OsRelease> release = parsed(h, "/etc/os-release", found, () -> OsRelease.parse(text));
            if (release.isEmpty()) {
                return;
            }
            OsRelease os = release.get();
            String id = os.id() + " " + os.versionId();
            boolean ok = supported.stream().anyMatch(s -> id.equals(s) || id.startsWith(s + "."));
            if (!ok) {
                found.add(h.name() + " runs " + os.prettyName() + " (" + id + "), outside the supported matrix " + supported);
            }
        });
        none(problems, "runbook 3.1: OS outside the supported matrix");
    }

    @Then("no node has a reboot pending")
    public void noRebootPending() {
        List<String> problems = onEachHost(zone.hosts(), (h, found) -> {
            // Debian and Ubuntu flag a deferred reboot with /run/reboot-required; RHEL-like hosts answer needs-restarting -r.
            CommandResult r = h.exec("if [ -e /run/reboot-required ]; then echo pending; cat /run/reboot-required.pkgs 2>/dev/null;"
                    + " elif command -v needs-restarting >/dev/null; then needs-restarting -r >/dev/null || echo pending; fi");
            if (r.stdout().startsWith("pending")) {
                found.add(h.name() + " has a reboot pending" + (r.stdout().strip().equals("pending") ? ""
                        : " (for " + r.stdout().strip().substring("pending".length()).strip().replace('\n', ' ') + ")"));
            }
        });
        none(problems, "runbook 3.1: required reboot deferred");
    }

    // ---- 3.2 packages ----------------------------------------------------------------------------

    /** How to ask a host for a package's version, and which roles need it. */
    private record PackageProbe(String command, Pattern version, String needs) { }

    private static final Map<String, PackageProbe> PACKAGES = Map.of(
            "keepalived", new PackageProbe("keepalived --version 2>&1", Pattern.compile("Keepalived v(\\d[\\w.]*)"), "keepalived"),
            "openssl", new PackageProbe("openssl version", Pattern.compile("OpenSSL (\\d[\\w.]*)"), "all"),
            "nats-server", new PackageProbe("nats-server --version", Pattern.compile("v(\\d[\\w.]*)"), "jetstream"),
            "rsyslog", new PackageProbe("rsyslogd -v", Pattern.compile("rsyslogd\\s+(\\d[\\w.]*)"), "all"),
            "rclone", new PackageProbe("rclone version", Pattern.compile("rclone v(\\d[\\w.]*)"), "backup"),
            "smartctl", new PackageProbe("smartctl --version", Pattern.compile("smartctl (\\d[\\w.]*)"), "all"),
            "mdadm", new PackageProbe("mdadm --version 2>&1", Pattern.compile("mdadm - v(\\d[\\w.]*)"), "all"),
            "docker", new PackageProbe("docker --version && systemctl is-active docker", Pattern.compile("Docker version (\\d[\\w.]*)"), "controller"),
            "docker-compose", new PackageProbe("docker compose version", Pattern.compile("version v?(\\d[\\w.]*)"), "controller"));

    private List<Host> hostsNeeding(String needs) {
        return switch (needs) {
            case "all" -> zone.hosts();
            case "backup" -> List.of(BackupNode.of(zone));
            default -> zone.hostsRunning(needs);
        };
    }

    @Then("{word} is installed where the zone needs it, at its baseline version or later")
    public void packageInstalled(String name) {
        PackageProbe probe = PACKAGES.get(name);
        check(probe != null, "no version probe for package '" + name + "' (known: " + PACKAGES.keySet() + ")");
        String minimum = zone.env().acceptance().baseline().packages().get(name);
        check(minimum != null, "the environment gives no baseline version for " + name + " (baseline.packages." + name + ")");
        List<String> problems = new ArrayList<>();
        for (Host h : hostsNeeding(probe.needs())) {
            CommandResult r = h.exec(probe.command());
            Optional<String> version = Versions.extract(r.stdout(), probe.version());
            if (!r.ok() || version.isEmpty()) {
                problems.add(name + " is not installed or not working on " + h.name() + " (" + probe.command() + ": "
                        + (r.stdout() + r.stderr()).strip().lines().findFirst().orElse("exit " + r.exitCode()) + ")");
            } else if (!Versions.atLeast(version.get(), minimum)) {
                problems.add(name + " " + version.get() + " on " + h.name() + " is older than the baseline " + minimum);
            }
        }
        none(problems, "runbook 3.2: package " + name + " outside the supported baseline");
    }

    // ---- 3.3, 3.4, 3.5 storage ------------------------------------------------------------------

    private Optional<Findmnt.Mount> mountAt(Host h, String target) {
        CommandResult r = h.exec("findmnt -J -o TARGET,SOURCE,FSTYPE,OPTIONS --mountpoint " + q(target));
        if (!r.ok() || r.stdout().isBlank()) {
            return Optional.empty();
        }
        return Findmnt.parse(r.stdout()).stream().filter(m -> m.target().equals(target)).findFirst();
    }

    @Then("on every node the JetStream data directory is a filesystem of its own, of a type and with options the policy allows")
    public void jetstreamFilesystem() {
        String target = Settings.of(zone.env()).paths().jetstreamData();
        Settings.Storage policy = Settings.of(zone.env()).storage();
        List<String> problems = onEachHost(zone.hostsRunning("jetstream"), (h, found) -> {
            Optional<Findmnt.Mount> m = mountAt(h, target);
            if (m.isEmpty()) {
                found.add(target + " on " + h.name() + " is not a mount point (it lives on the root filesystem)");
                return;
            }
            if (!policy.jetstreamFstypes().contains(m.get().fstype())) {
                found.add(target + " on " + h.name() + " is " + m.get().fstype() + ", the policy allows " + policy.jetstreamFstypes());
            }
            for (String option : policy.jetstreamOptions()) {
                if (!m.get().options().contains(option)) {
                    found.add(target + " on " + h.name() + " is mounted without " + option + " (options " + m.get().options() + ")");
                }
            }
        });
        none(problems, "runbook 3.3: the JetStream filesystem is not as the policy says");
    }

    @Then("the device behind it is recorded, and is the inventory's where the inventory names one")
    public void jetstreamDevice() {
        String target = Settings.of(zone.env()).paths().jetstreamData();
        List<String> problems = new ArrayList<>();
        StringBuilder recorded = new StringBuilder();
        for (Environment.HostSpec spec : zone.env().hosts()) {
            Host h = zone.host(spec.name());
            Optional<Findmnt.Mount> m = mountAt(h, target);
            if (m.isEmpty()) {
                problems.add(target + " on " + h.name() + " is not mounted");
                continue;
            }
            String source = m.get().source();
            String device = source.contains("[") ? source.substring(0, source.indexOf('[')) : source;
            String uuid = h.exec(h.asRoot("blkid -s UUID -o value " + q(device) + " 2>/dev/null")).stdout().strip();
            recorded.append(h.name()).append(": ").append(target).append(" on ").append(source).append(" (")
                    .append(m.get().fstype()).append(uuid.isEmpty() ? "" : ", UUID " + uuid).append(")\n");
            spec.jetstreamDevice().ifPresent(expected -> {
                if (!device.equals(expected) && !("UUID=" + uuid).equals(expected)) {
                    problems.add(target + " on " + h.name() + " is on " + device + ", the inventory says " + expected);
                }
            });
        }
        zone.evidence().note("JetStream device identity", recorded.toString());
        none(problems, "runbook 3.3: wrong device for the JetStream filesystem");
    }

    @Then("no node that may hold the VIP has a missing, degraded or rebuilding RAID array")
    public void raidHealthy() {
        List<String> problems = new ArrayList<>();
        for (Environment.HostSpec spec : zone.env().vipHosts()) {
            Host h = zone.host(spec.name());
            String mdstat = read(h, "/proc/mdstat");
            java.util.Optional<MdStat> parsedMd = parsed(h, "/proc/mdstat", problems, () -> MdStat.parse(mdstat));
            if (parsedMd.isEmpty()) {
                continue;
            }
            MdStat md = parsedMd.get();
            md.problems().forEach(p -> problems.add(h.name() + ": " + p));
            for (String d : spec.devices()) {
                String name = d.replaceFirst("^/dev/", "");
                if (name.startsWith("md") && md.arrays().stream().noneMatch(a -> a.name().equals(name))) {
                    problems.add(h.name() + ": RAID array " + name + " of the inventory is missing");
                }
            }
            if (md.arrays().isEmpty()) {
                problems.add(h.name() + " has no RAID array");
            }
        }
        none(problems, "runbook 3.4: RAID not healthy");
    }

    @Then("on every node that may hold the VIP the artifact mount is a filesystem of its own")
    public void artifactMount() {
        String target = Settings.of(zone.env()).paths().artifactMount();
        List<String> problems = onEachHost(zone.vipHosts(), (h, found) -> {
            if (!h.exec("mountpoint -q " + q(target)).ok()) {
                found.add(target + " is not a mount point on " + h.name());
            } else if (!h.exec(h.asRoot("test -w " + q(target))).ok()) { // writable for the services (root), not the login
                found.add(target + " on " + h.name() + " is not writable");
            }
        });
        none(problems, "runbook 3.4: artifact mount missing");
    }

    @Then("on every node the mount table validates")
    public void mountTableValidates() {
        List<String> problems = onEachHost(zone.hosts(), (h, found) -> {
            String out = h.exec("findmnt --verify --tab-file /etc/fstab 2>&1").stdout();
            java.util.Optional<Findmnt.Verify> verify = parsed(h, "findmnt --verify", found, () -> Findmnt.parseVerify(out));
            if (verify.isEmpty()) {
                return;
            }
            Findmnt.Verify v = verify.get();
            if (!v.ok()) {
                found.add(h.name() + ": " + v.errors() + " error(s), " + v.parseErrors() + " parse error(s): " + v.messages());
            }
        });
        none(problems, "runbook 3.5: the persistent mount configuration fails validation");
    }

    @Then("on every node the JetStream data and artifact mounts are declared in the mount table")
    public void mountsDeclared() {
        List<String> problems = onEachHost(zone.hosts(), (h, found) -> {
            List<String> targets = new ArrayList<>(List.of(Settings.of(zone.env()).paths().jetstreamData()));
            if (zone.env().profile().vipRoles().contains(h.role())) {
                targets.add(Settings.of(zone.env()).paths().artifactMount());
            }
            for (String t : targets) {
                if (!h.exec("findmnt --fstab --noheadings --mountpoint " + q(t)).ok()) {
                    found.add(h.name() + ": " + t + " is not in /etc/fstab and would not come back after a reboot");
                }
            }
        });
        none(problems, "runbook 3.5: required mounts are not persistent");
    }

    // ---- 3.6 log agent -----------------------------------------------------------------------------

    @Then("the log agent is installed, enabled and active on every node")
    public void logAgent() {
        String unit = zone.env().acceptance().logging().agentUnit();
        List<String> problems = onEachHost(zone.hosts(), (h, found) -> {
            io.triad.probe.BootStart.problem(h.name(), unit, h.exec(io.triad.probe.BootStart.command(unit)).stdout()).ifPresent(found::add);
            String active = h.exec("systemctl is-active " + unit).stdout().strip();
            if (!active.equals("active")) {
                found.add(unit + " on " + h.name() + " is " + active);
            }
        });
        none(problems, "runbook 3.6: the log agent is not running");
    }

    @Then("the log agent's configuration on every node forwards to the aggregation target")
    public void logForwardConfigured() {
        String target = zone.env().acceptance().logging().target();
        check(!target.isEmpty(), "the environment names no aggregation target (logging.target)");
        if (target.isEmpty()) {
            return; // a dry run goes on
        }
        String host = target.substring(0, target.lastIndexOf(':'));
        String port = target.substring(target.lastIndexOf(':') + 1);
        List<String> problems = onEachHost(zone.hosts(), (h, found) -> {
            // rsyslogd -N1 validates the whole configuration; the forwarding action must name the target.
            CommandResult valid = h.exec(h.asRoot("rsyslogd -N1 2>&1"));
            if (!valid.ok()) {
                found.add(h.name() + ": the log agent's configuration does not validate: " + valid.stdout().strip().replace('\n', ' '));
            }
            CommandResult fwd = h.exec("grep -rhE 'omfwd|@@?' /etc/rsyslog.conf /etc/rsyslog.d/ 2>/dev/null | grep -v '^\\s*#'");
            String conf = fwd.stdout();
            boolean names = conf.contains("target=\"" + host + "\"") && conf.contains("port=\"" + port + "\"")
                    || conf.contains("@@" + host + ":" + port) || conf.contains("@" + host + ":" + port);
            if (!names) {
                found.add(h.name() + "'s log agent does not forward to " + target);
            }
        });
        none(problems, "runbook 3.6: log forwarding is not configured");
    }

    @Then("within {int} seconds a marker line logged on every node arrives at the aggregation target")
    public void logMarkerArrives(int seconds) {
        Environment.Logging logging = zone.env().acceptance().logging();
        check(!logging.verifyHost().isEmpty() && !logging.verifyCommand().isEmpty(),
                "the environment does not say how to look for a line at the aggregation target (logging.verify_host, logging.verify_command)");
        if (logging.verifyHost().isEmpty() || logging.verifyCommand().isEmpty()) {
            return; // a dry run goes on
        }
        Host aggregator = zone.supportHost(logging.verifyHost());
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (Host h : zone.hosts()) {
            h.exec("logger -t triad-acceptance " + q("marker-" + run + "-" + h.name())).requireOk();
        }
        within(seconds, "marker lines at the aggregation target", () -> {
            List<String> missing = new ArrayList<>();
            for (Host h : zone.hosts()) {
                String marker = "marker-" + run + "-" + h.name();
                if (!aggregator.exec(aggregator.asRoot(logging.verifyCommand().replace("{marker}", q(marker)))).ok()) {
                    missing.add(h.name());
                }
            }
            check(missing.isEmpty(), "no marker line from " + String.join(", ", missing) + " at " + logging.target()
                    + " (looked with '" + logging.verifyCommand() + "' on " + aggregator.name() + ")");
        });
    }

    // 1.5, 3.7 time: the clock step is shared (io.triad.steps.common.RecordSteps)
}
