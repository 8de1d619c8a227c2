package io.triad.cli;

import io.triad.env.Environment;
import io.triad.env.EnvironmentLoader;
import io.triad.env.InputError;
import io.triad.run.CucumberRun;
import io.triad.run.ExitCodes;
import io.triad.run.Progress;
import io.triad.report.Acceptance;
import io.triad.report.AcceptanceReport;
import io.triad.report.AllureCommandline;
import io.triad.report.FeatureIndex;
import io.triad.report.Waivers;
import io.triad.runbook.Runbook;
import io.triad.zone.Zone;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

/** The command line: {@code triad drill --env environments/bsfg-triad/simulated.yaml --tags @zone-up}. */
@Command(name = "triad", mixinStandardHelpOptions = true, version = "triad-acceptance 0.1.0",
        description = "Test-and-validation harness for three-node HA zones.",
        subcommands = {Main.Drill.class, Main.Up.class, Main.Down.class, Main.Heal.class, Main.MutantsCommand.class, Main.VerifyReport.class, Main.FleetCommand.class, Main.BenchCommand.class,
                Main.TimeSplitCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof InputError) {
                System.err.println("triad: " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            System.err.println("triad: internal error: " + e);
            return ExitCodes.FAILED;
        });
        cli.setParameterExceptionHandler((e, ignored) -> {
            System.err.println("triad: " + e.getMessage());
            e.getCommandLine().usage(System.err);
            return ExitCodes.BAD_INPUT;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return ExitCodes.BAD_INPUT;
    }

    /** A junit.xml for a CI that gates on it, when provisioning stopped the run: one test case, failed, with the verdict. */
    static void provisioningJunit(Path runDir, io.triad.sim.Provisioning.Result result, String verdict) {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"provisioning\" tests=\"1\" failures=\"1\" errors=\"0\""
                + " skipped=\"0\">\n  <testcase classname=\"provisioning\" name=\"" + xmlText("the simulated zone converged by " + result.what())
                + "\">\n    <failure message=\"" + xmlText(verdict) + "\"/>\n  </testcase>\n</testsuite>\n";
        try {
            java.nio.file.Files.writeString(runDir.resolve("junit.xml"), xml);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + runDir.resolve("junit.xml"), e);
        }
    }

    private static String xmlText(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** The provisioning's inventory and both runs' output (redacted) under the run directory's provisioning/. */
    static void keepProvisioning(Path runDir, io.triad.sim.Provisioning.Result result) {
        try {
            Path dir = java.nio.file.Files.createDirectories(runDir.resolve("provisioning"));
            java.nio.file.Files.writeString(dir.resolve("inventory.yaml"), result.inventoryText());
            StringBuilder summary = new StringBuilder(result.what() + "\n");
            for (io.triad.sim.Provisioning.Run r : result.runs()) {
                java.nio.file.Files.writeString(dir.resolve("run-" + r.number() + ".log"), io.triad.host.Redactor.redact(r.output()));
                summary.append("run ").append(r.number()).append(": exit ").append(r.exitCode()).append(", ").append(r.took().toMillis())
                        .append(" ms; changed ").append(r.changed()).append("; failed ").append(r.failed()).append('\n');
            }
            summary.append("files the second run changed: ").append(result.changedFiles()).append('\n');
            summary.append("verdict: ").append(result.problem().orElse(result.runs().size() > 1 ? "converged, and a second run changed nothing"
                    : "converged; no second run (declared one-shot): not proven repeatable")).append('\n');
            java.nio.file.Files.writeString(dir.resolve("summary.txt"), summary.toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot keep the provisioning's output under " + runDir, e);
        }
    }

    /** Runs the features against a zone and writes the reports. */
    @Command(name = "drill", mixinStandardHelpOptions = true,
            description = "Run the features against the zone of an environment file and write reports/<run-id>/.")
    static final class Drill implements Callable<Integer> {
        @CommandLine.Mixin
        EnvOption envOption;

        @Option(names = "--tags", description = "Cucumber tag expression selecting scenarios, e.g. '@zone-up and not @disruptive'")
        String tags;

        @Option(names = "--features", description = "features directory (default: features/<the environment's profile>)")
        Path features;

        @Option(names = "--reports", description = "reports directory (default: ${DEFAULT-VALUE})", defaultValue = "reports")
        Path reports;

        @Option(names = "--require-full-acceptance", description = "exit " + ExitCodes.INCOMPLETE + " when nothing failed but the run"
                + " is not a full acceptance (items not selected, not covered by the harness, partly checked, or skipped"
                + " without being declared not applicable): for a gate that must accept the whole runbook")
        boolean requireFull;

        @Option(names = "--continue-past-halt", description = "run the later sections even when a runbook item with a"
                + " 'Halt if' rule fails, for diagnosis; the run still fails and the report says it went past a halt")
        boolean continuePastHalt;

        @Option(names = "--jobs", description = "run up to this many scenarios that only read the zone side by side"
                + " (default ${DEFAULT-VALUE}: one after the other); drills, scenarios with faults and handoff criteria"
                + " still run alone, and every scenario ends and is reported in the run's order, halts included",
                defaultValue = "1")
        int jobs;

        @Option(names = "--waivers", description = "waivers file: failures an approver accepted (item, justification,"
                + " approver, expires); a waived failure shows as waived, an expired waiver fails the run")
        Path waiversFile;

        @Option(names = "--read-only", description = "apply no fault: leave every destructive (@disruptive) scenario out;"
                + " the default for any zone not marked simulated")
        boolean readOnly;

        @Option(names = "--allow-destructive", description = "on a live zone, run the destructive scenarios whose faults the"
                + " environment file lists under drills.allowed (both are needed)")
        boolean allowDestructive;

        @Option(names = "--dry-run", description = "print the plan and touch no host: every command each host would run,"
                + " every fault with its heal, in order")
        boolean dryRun;

        @Option(names = "--provision", paramLabel = "PLAYBOOK", description = "converge the simulated zone with this Ansible"
                + " playbook before the first scenario (as the environment's simulation.provision.playbook), run twice: the"
                + " second run must change nothing")
        Path provision;

        @Option(names = "--reference", paramLabel = "bare|keep", description = "with --provision: 'bare' nodes get only the"
                + " zone's identity material (default), 'keep' provisions on top of the profile's reference configuration")
        String reference;

        @Option(names = "--sign-with", paramLabel = "KEY|agent", description = "sign the run's manifest (MANIFEST.sha256.sig,"
                + " OpenSSH's SSHSIG) with this private key file, or 'agent' (the ssh-agent of SSH_AUTH_SOCK: its first key),"
                + " or 'agent:KEY.pub' (the agent's key of that public key file). Default: a live zone's run is signed with"
                + " the key the harness logs in with (ssh.identity_file, else the agent); a simulated zone's run is unsigned"
                + " unless asked. 'none' leaves the run unsigned. Also TRIAD_SIGN_WITH.")
        String signWith;

        /**
         * Who signs the run's manifest, settled before anything runs (a key that cannot sign is bad
         * input, not a surprise at the end of a drill): empty when the run is to stay unsigned.
         */
        private java.util.Optional<io.triad.report.SshSig.Signer> signer(Environment environment) {
            String asked = signWith != null ? signWith : System.getenv("TRIAD_SIGN_WITH");
            String agentSocket = System.getenv("SSH_AUTH_SOCK");
            if (asked == null || asked.isBlank()) {
                if (environment.simulated()) {
                    return java.util.Optional.empty();
                }
                if (environment.ssh().identityFile().isPresent()) {
                    if (!Files.isReadable(environment.ssh().identityFile().get())) {
                        return java.util.Optional.empty(); // the login names the unreadable key, before any scenario
                    }
                    asked = environment.ssh().identityFile().get().toString();
                } else if (agentSocket != null && !agentSocket.isBlank()) {
                    asked = "agent";
                } else {
                    return java.util.Optional.empty();
                }
            }
            if (asked.equals("none")) {
                return java.util.Optional.empty();
            }
            if (asked.equals("agent") || asked.startsWith("agent:")) {
                if (agentSocket == null || agentSocket.isBlank()) {
                    throw new InputError("--sign-with " + asked + ": no ssh-agent (SSH_AUTH_SOCK is not set)");
                }
                java.util.Optional<Path> pub = asked.startsWith("agent:") ? java.util.Optional.of(Path.of(asked.substring(6)))
                        : java.util.Optional.empty();
                if (pub.isPresent() && !Files.isReadable(pub.get())) {
                    throw new InputError("--sign-with " + asked + ": " + pub.get() + " does not exist or cannot be read");
                }
                return java.util.Optional.of(io.triad.report.SshSig.ofAgent(Path.of(agentSocket), pub));
            }
            return java.util.Optional.of(io.triad.report.SshSig.ofKeyFile(Path.of(asked)));
        }

        /** The environment with --provision's playbook as its simulation.provision (as it is when no --provision is given). */
        private Environment provisioned(Environment loaded) {
            if (provision == null) {
                return loaded;
            }
            if (!Files.isRegularFile(provision)) {
                throw new InputError("--provision: " + provision + " is not a file (an Ansible playbook)");
            }
            if (!loaded.simulated()) {
                throw new InputError("--provision: " + envOption.env + " is not a simulated zone (a live zone is provisioned by its owners)");
            }
            return EnvironmentLoader.load(envOption.env, root -> {
                com.fasterxml.jackson.databind.node.ObjectNode p = root.with("simulation").putObject("provision");
                p.put("playbook", provision.toAbsolutePath().toString());
                if (reference != null) {
                    p.put("reference", reference);
                }
            });
        }

        @Override
        public Integer call() {
            Progress progress = Progress.stderr();
            if (reference != null && provision == null) {
                throw new InputError("--reference needs --provision");
            }
            if (jobs < 1 || jobs > 16) {
                throw new InputError("--jobs " + jobs + ": give a number from 1 (one scenario after the other) to 16");
            }
            Environment environment = provisioned(EnvironmentLoader.load(envOption.env));
            if (features == null) {
                features = Path.of(environment.profile().featuresDir());
            }
            if (!Files.isDirectory(features)) {
                throw new InputError("features directory " + features + " does not exist");
            }
            Runbook runbook = Runbook.forProfile(environment.profile().name());
            FeatureIndex index = FeatureIndex.of(features);
            unknownCapabilities(environment, features, index).ifPresent(message -> {
                throw new InputError(message);
            });
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            Waivers waivers = Waivers.none();
            if (waiversFile != null) {
                java.util.Set<String> known = new java.util.LinkedHashSet<>();
                runbook.items().forEach(i -> known.add(i.id()));
                known.addAll(index.drills().keySet());
                waivers = Waivers.load(waiversFile, known);
                for (Waivers.Waiver w : waivers.all()) {
                    progress.note("waiver for " + w.item() + (w.expired(today) ? ": EXPIRED on " + w.expires()
                            + " (counts as a failure)" : ": " + w.describe()));
                }
            }
            io.triad.zone.Safety safety = io.triad.zone.Safety.of(environment, readOnly, allowDestructive);
            io.triad.zone.Safety.Selection selection = safety.select(index, tags);
            java.util.Optional<io.triad.report.SshSig.Signer> signer = signer(environment);
            progress.step("environment " + envOption.env + ": zone " + environment.zone() + " (" + environment.kind().name().toLowerCase()
                    + ", " + environment.hosts().size() + " hosts)");
            progress.step(selection.describe() + (safety.readOnly() ? "" : "; faults allowed: "
                    + String.join(", ", new java.util.TreeSet<>(safety.allowedFaults()))
                    + "; dead-man switch on the hosts: " + environment.drills().deadMan().toSeconds() + " s"));
            for (FeatureIndex.Scenario s : selection.leftOut()) {
                progress.note("left out (destructive; " + (safety.readOnly() ? (environment.simulated() ? "--read-only"
                        : "a live zone is read-only without --allow-destructive") : "its faults are not in drills.allowed")
                        + "): " + s.name());
            }
            if (dryRun) {
                return io.triad.plan.DryRun.print(environment, safety, features, selection.tags(), System.out, progress);
            }
            java.util.Optional<Path> previous = previousRun(reports);
            Path runDir = runDirectory(reports);
            progress.step("reports: " + runDir);
            RunRecord.write(runDir, environment, tags, continuePastHalt, safety, selection);
            java.time.Instant started = java.time.Instant.now();
            RunTimings timings = new RunTimings();
            CucumberRun.Result result;
            java.util.Optional<String> stopped;
            Zone opened;
            try {
                opened = timings.time("zone_up", () -> Zone.open(environment, progress));
            } catch (io.triad.sim.Provisioning.Failed failed) {
                // The user's provisioning did not converge the zone: a verdict on the change, not a run of scenarios.
                keepProvisioning(runDir, failed.result());
                provisioningJunit(runDir, failed.result(), failed.getMessage());
                System.err.println("VERDICT: FAILED: " + failed.getMessage() + " (its output: " + runDir.resolve("provisioning") + ")");
                return ExitCodes.FAILED;
            }
            opened.provisioning().ifPresent(p -> keepProvisioning(runDir, p));
            try (Zone zone = opened) {
                zone.safety(safety);
                zone.settleTimes().stream().findFirst().ifPresent(took -> timings.record("zone_settle", took));
                zone.logCommandsTo(runDir.resolve(COMMAND_LOG));
                try (io.triad.run.OnExit ignored = io.triad.run.OnExit.register("heal-on-exit", () -> {
                    System.err.println("triad: interrupted: healing faults and removing what the run started");
                    zone.stopRun("the run was interrupted");
                    zone.close();
                })) {
                    java.util.Set<String> valid = waivers.valid(today);
                    result = timings.time("scenarios", () -> CucumberRun.run(zone, features, selection.tags(), runDir, progress,
                            continuePastHalt, valid, jobs));
                    stopped = zone.stopReason();
                    timings.start("teardown");
                }
            }
            timings.stop("teardown");
            progress.step(String.format("%d scenario(s): %d passed, %d failed, %d skipped",
                    result.scenarios().size(), result.passed(), result.failed(), result.skipped()));
            for (CucumberRun.ScenarioResult s : result.scenarios()) {
                if (!s.passed() && !s.status().equals("FAILED")) { // failures are listed with the verdict
                    System.err.println("  " + s.status() + "  " + s.name() + (s.message().isEmpty() ? "" : "\n          " + s.message()));
                }
            }
            for (io.triad.runbook.Ledger.Halt halt : result.halts()) {
                System.err.println((result.continuedPastHalt() ? "HALT (continued past it): " : "HALTED: ") + halt.item().id()
                        + " " + halt.item().title() + " failed in \"" + halt.scenario() + "\": " + halt.reason());
            }
            if (result.halted() && !result.continuedPastHalt()) {
                System.err.println("  later sections were not run (--continue-past-halt runs them for diagnosis)");
            }
            if (result.scenarios().isEmpty()) {
                System.err.println("triad: no scenario matched" + (tags == null ? "" : " the tags " + tags));
            }
            Acceptance acceptance = Acceptance.judge(runbook, index, result.ledger().scenarios(), waivers, today,
                    selection.tags() != null && !selection.tags().isBlank());
            for (Waivers.Waiver w : acceptance.waiversUsed()) {
                System.err.println("  WAIVED  " + w.item() + ": its failure is " + w.describe());
            }
            boolean reported = timings.time("report", () -> report(runDir, acceptance, result, runbook, environment, started,
                    previous, progress));
            timings.write(runDir, result.scenarios().size());
            signer.ifPresent(s -> io.triad.report.Manifest.declareSigning(runDir, s, java.time.Instant.now()));
            int listed = io.triad.report.Manifest.write(runDir);
            progress.step("tamper evidence: " + runDir.resolve(io.triad.report.Manifest.FILE) + " (" + listed
                    + " files; 'make verify-report' checks it)");
            if (signer.isPresent()) {
                String key = io.triad.report.Manifest.sign(runDir, signer.get());
                progress.step("signed: " + runDir.resolve(io.triad.report.Manifest.SIGNATURE) + " by key " + key
                        + " ('triad verify-report --allowed-signers FILE' says who)");
            } else {
                progress.step("unsigned (--sign-with KEY|agent signs the manifest with an SSH key)");
            }
            int code = stopped.isPresent() || !acceptance.passed() || !reported ? ExitCodes.FAILED : ExitCodes.PASSED;
            boolean whole = io.triad.report.AcceptanceDocument.whole(acceptance);
            System.err.println("outcome: " + io.triad.report.AcceptanceDocument.verdictWords(acceptance));
            if (!acceptance.failures().isEmpty()) {
                System.err.println("What fails this run:");
                acceptance.failures().forEach(f -> System.err.println("  " + f));
            }
            if (Files.isRegularFile(runDir.resolve(io.triad.report.AcceptanceDocument.FILE))) {
                System.err.println("acceptance: " + runDir.resolve(io.triad.report.AcceptanceDocument.FILE)
                        + (Files.isRegularFile(runDir.resolve(io.triad.report.AcceptancePdf.FILE))
                        ? " (PDF: " + runDir.resolve(io.triad.report.AcceptancePdf.FILE) + ")" : ""));
            }
            if (code == ExitCodes.PASSED && !whole && requireFull) {
                System.err.println("VERDICT: INCOMPLETE (nothing failed; not every runbook item was checked, and"
                        + " --require-full-acceptance asks for every one)");
                return ExitCodes.INCOMPLETE;
            }
            System.err.println(code == ExitCodes.PASSED ? "VERDICT: PASSED" + (acceptance.waiversUsed().isEmpty() ? ""
                    : " WITH " + acceptance.waiversUsed().size() + " WAIVED FAILURE(S)")
                    : stopped.map(r -> r.startsWith(io.triad.zone.Safety.SafetyStop.PREFIX)
                            ? "VERDICT: STOPPED BY A SAFETY RULE (" + r.substring(io.triad.zone.Safety.SafetyStop.PREFIX.length())
                            + "); every fault healed" : "VERDICT: INTERRUPTED (not every scenario ran)").orElse("VERDICT: FAILED"));
            return code;
        }
    }

    /**
     * The capabilities a step asks the environment about itself, not through a scenario's
     * {@code @needs:} tag (BSFG 1.5's time source, PlasmaCloud 4.1's serial numbers).
     */
    static final java.util.Set<String> CAPABILITIES_STEPS_ASK = java.util.Set.of("ntp-upstream", "hardware-serials");

    /**
     * A key under {@code not_applicable:} that no scenario of the features needs ({@code @needs:})
     * and no step asks about would be accepted and recorded as if it applied, while nothing is
     * skipped for it: refused, naming the keys that mean something for this profile.
     */
    static java.util.Optional<String> unknownCapabilities(Environment environment, Path features, FeatureIndex index) {
        java.util.Set<String> known = new java.util.TreeSet<>(CAPABILITIES_STEPS_ASK);
        java.util.List<FeatureIndex> read = new java.util.ArrayList<>(java.util.List.of(index));
        Path own = Path.of(environment.profile().featuresDir()); // a run of some features only knows the profile's too
        if (Files.isDirectory(own) && !own.toAbsolutePath().normalize().equals(features.toAbsolutePath().normalize())) {
            read.add(FeatureIndex.of(own));
        }
        read.forEach(i -> i.scenarios().forEach(s -> s.tags().stream().filter(t -> t.startsWith("@needs:"))
                .forEach(t -> known.add(t.substring(7)))));
        java.util.List<String> unknown = environment.acceptance().notApplicable().keySet().stream().filter(k -> !known.contains(k)).sorted().toList();
        if (unknown.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(environment.file() + ": not_applicable names " + (unknown.size() == 1 ? "a capability" : "capabilities")
                + " no scenario of profile " + environment.profile().name() + " needs: " + String.join(", ", unknown)
                + " (it would be recorded as declared while nothing is skipped for it); known: " + String.join(", ", known));
    }

    /** Runs the mutant catalog: every broken variant must be caught by its expected scenario. */
    @Command(name = "mutants", mixinStandardHelpOptions = true,
            description = "Run every mutant of the catalog against the scenarios that must catch it; print a table."
                    + " Exit 0 when every mutant is caught, 1 otherwise.")
    static final class MutantsCommand implements Callable<Integer> {
        @Option(names = "--catalog", description = "mutant catalog (default: every catalog, fixtures/mutants/catalog.yaml and"
                + " fixtures/<profile>/mutants/catalog.yaml)")
        Path catalog;

        @Option(names = "--only", split = ",", description = "run only these mutants (names, comma-separated)")
        java.util.List<String> only;

        @Option(names = "--features", description = "features directory (default: features/<the environment's profile>)")
        Path features;

        @Option(names = "--reports", description = "reports directory (default: ${DEFAULT-VALUE})", defaultValue = "reports")
        Path reports;

        @Option(names = "--queue", description = "the mutants of the selected catalogs as one queue in this directory, shared by"
                + " several lanes (bin/mutant-lanes): with --fill, write it (the longest measured first); with --lane, take"
                + " mutants from it until none is left; with --summary, print every catalog's table and the verdict")
        Path queue;

        @Option(names = "--fill", description = "with --queue: write the queue and exit")
        boolean fill;

        @Option(names = "--lane", description = "with --queue: work as lane N (N from 1): its zones moved 20+10N subnets up, beside"
                + " every other lane's and the tests'")
        Integer lane;

        @Option(names = "--max-cpu-share", description = "with --lane: a light lane, taking only mutants that kept at most this share"
                + " of a core busy when measured (their zone's and the harness's CPU seconds per second, in the measured times of"
                + " --fill), and ending when none is left; make test mutants runs one beside the tests (TRIAD_LIGHT_LANE_SHARE)")
        Double maxCpuShare;

        @Option(names = "--summary", description = "with --queue: the tables and the verdict of a queue the lanes have worked")
        boolean summary;

        @Option(names = "--times", description = "measured times to order the queue by, the longest first (default: the project's"
                + " fixtures/measured-times.json, wherever the command runs from; a mutant not in it: its catalog's lane_seconds shared"
                + " by its mutants, else 60 s)")
        Path times;

        @Override
        public Integer call() {
            Progress progress = Progress.stderr();
            if (queue != null && lane == null && !fill && !summary) {
                throw new InputError("--queue needs --fill, --lane N or --summary");
            }
            if (maxCpuShare != null && (queue == null || lane == null)) {
                throw new InputError("--max-cpu-share needs --queue DIR --lane N (a light lane of a queue)");
            }
            if (maxCpuShare != null && !(maxCpuShare > 0 && maxCpuShare <= 4)) {
                throw new InputError("--max-cpu-share must be a share of a core above 0 and at most 4, not " + maxCpuShare);
            }
            if (queue != null && lane != null) {
                return work(progress);
            }
            if (queue != null && summary) {
                return summarize();
            }
            java.util.List<Path> catalogs = catalog != null ? java.util.List.of(catalog)
                    : io.triad.mutants.Mutants.catalogs(io.triad.sim.SimulatedTriad.root().resolve("fixtures"));
            record Selected(io.triad.mutants.Mutants catalogue, io.triad.mutants.Mutants.Mutant mutant) { }
            java.util.List<Selected> selected = new java.util.ArrayList<>();
            java.util.Set<String> names = new java.util.HashSet<>();
            for (Path c : catalogs) {
                io.triad.mutants.Mutants catalogue = io.triad.mutants.Mutants.load(c);
                catalogue.mutants().forEach(m -> names.add(m.name()));
                catalogue.mutants().stream().filter(m -> only == null || only.contains(m.name()))
                        .forEach(m -> selected.add(new Selected(catalogue, m)));
            }
            if (only != null) {
                for (String name : only) {
                    if (!names.contains(name)) {
                        throw new InputError("no mutant named '" + name + "' in " + catalogs);
                    }
                }
            }
            if (queue != null) {
                java.util.List<io.triad.mutants.MutantQueue.Entry> entries = new java.util.ArrayList<>();
                if (times != null && !Files.isRegularFile(times)) {
                    throw new InputError("--times " + times + ": no such file (measured times are written by bin/triad time-split)");
                }
                Measured measured = Measured.read(times != null ? times
                        : io.triad.sim.SimulatedTriad.root().resolve("fixtures/measured-times.json"));
                for (Selected sel : selected) {
                    entries.add(new io.triad.mutants.MutantQueue.Entry("", sel.catalogue().path(), sel.mutant().name(),
                            measured.seconds(sel.catalogue(), sel.mutant().name()), sel.mutant().inPlace(),
                            measured.cpuShare(sel.catalogue(), sel.mutant().name()), sel.mutant().inPlaceGroup()));
                }
                entries.sort(java.util.Comparator.comparingDouble(io.triad.mutants.MutantQueue.Entry::seconds).reversed());
                io.triad.mutants.MutantQueue.fill(queue, entries);
                double total = entries.stream().mapToDouble(io.triad.mutants.MutantQueue.Entry::seconds).sum();
                System.out.printf(java.util.Locale.ROOT, "mutant queue %s: %d mutants of %d catalog(s), %.0f s measured in all"
                        + " (the longest first; %s)%n", queue, entries.size(), catalogs.size(), total, measured.describe());
                return ExitCodes.PASSED;
            }
            Path runDir = runDirectory(reports).resolve("mutants");
            java.util.List<io.triad.mutants.Mutants.Outcome> outcomes = new java.util.ArrayList<>();
            int i = 0;
            for (Selected sel : selected) {
                io.triad.mutants.Mutants.Mutant m = sel.mutant();
                progress.step("mutant " + (++i) + "/" + selected.size() + ": " + m.name() + " (" + m.broken() + ")");
                io.triad.mutants.Mutants.Outcome o = sel.catalogue().run(m, features, runDir, progress);
                progress.step("mutant " + m.name() + (o.caught() ? " caught by " + o.scenario() : " NOT CAUGHT: " + o.message())
                        + " (" + o.took().toSeconds() + " s)");
                outcomes.add(o);
            }
            String table = io.triad.mutants.Mutants.table(outcomes);
            io.triad.mutants.Mutants.write(runDir.resolve("mutants.md"), table);
            System.out.println(table);
            int listed = io.triad.report.Manifest.write(runDir.getParent());
            progress.step("tamper evidence: " + runDir.getParent().resolve(io.triad.report.Manifest.FILE) + " (" + listed + " files)");
            boolean all = outcomes.stream().allMatch(io.triad.mutants.Mutants.Outcome::caught);
            System.err.println(all ? "VERDICT: every mutant caught" : "VERDICT: FAILED: a mutant was not caught");
            return all ? ExitCodes.PASSED : ExitCodes.FAILED;
        }

        /** The subnet offset of lane N: 30, 40, ... (10 is every item alone's; the files' own are the tests'). */
        static int laneOffset(int lane) {
            return 20 + 10 * lane;
        }

        /** One lane of a shared queue: takes mutants until none is left, each on a zone moved to the lane's subnets. */
        private Integer work(Progress progress) {
            if (lane < 1 || 82 + laneOffset(lane) > 255) {
                throw new InputError("--lane must be from 1 to " + ((255 - 82 - 20) / 10) + " (its zones are moved 20+10N subnets up"
                        + " from 10.213.77-82.x), not " + lane);
            }
            int offset = laneOffset(lane);
            String name = String.valueOf(lane);
            System.setProperty("triad.time.owner", "mutant lane " + lane);
            Path runDir = runDirectory(reports).resolve("mutants");
            java.util.Map<Path, io.triad.mutants.Mutants> loaded = new java.util.HashMap<>();
            int n = 0;
            int caught = 0;
            io.triad.mutants.InPlace inPlace = new io.triad.mutants.InPlace(progress);
            // the mutants this lane can lay on the zone for mutants in place it holds (null: it holds none)
            java.util.function.Predicate<io.triad.mutants.MutantQueue.Entry> held = null;
            if (maxCpuShare != null) {
                progress.step("lane " + lane + " is light: it takes only mutants measured at most " + maxCpuShare
                        + " of a core busy, and ends when none is left");
            }
            // a light lane claims no zone for mutants in place: the lanes that follow it would leave that zone's mutants to it
            String claimer = maxCpuShare != null ? null : name;
            for (var next = io.triad.mutants.MutantQueue.takeForLane(queue, claimer, held, maxCpuShare); next.isPresent();
                 next = io.triad.mutants.MutantQueue.takeForLane(queue, claimer, held, maxCpuShare)) {
                var entry = next.get();
                io.triad.mutants.Mutants catalogue = loaded.computeIfAbsent(entry.catalog(), io.triad.mutants.Mutants::load);
                io.triad.mutants.Mutants.Mutant m = catalogue.mutant(entry.mutant());
                n++;
                progress.step("lane " + lane + ", mutant " + n + " (queue " + entry.file() + "): " + catalogue.name() + "/" + m.name()
                        + " (" + m.broken() + "), on subnets " + offset + " up" + (m.inPlace() ? ", laid in place" : ", on a fresh zone"));
                if (!m.inPlace() && held != null) {
                    inPlace.close(); // no mutant in place of its catalog is left to take: its zone is not kept idle
                    held = null;
                }
                if (claimer != null) {
                    // its claims on zones other than this mutant's given up (the take claimed this one's)
                    io.triad.mutants.MutantQueue.releaseBut(queue, claimer, m.inPlace() ? entry : null);
                }
                io.triad.mutants.Mutants.Outcome o = catalogue.run(m, features, runDir.resolve(catalogue.name()), progress, offset, inPlace);
                held = m.inPlace() ? e -> e.inPlace() && inPlace.holds(e.catalog(), e.group()) : null;
                io.triad.mutants.MutantQueue.done(queue, entry, catalogue.name(), o, name);
                if (o.caught()) {
                    caught++;
                }
                progress.step("mutant " + catalogue.name() + "/" + m.name() + (o.caught() ? " caught by " + o.scenario() : " NOT CAUGHT: " + o.message())
                        + " (" + o.took().toSeconds() + " s, measured before " + Math.round(entry.seconds()) + " s)");
            }
            inPlace.close();
            if (claimer != null) {
                io.triad.mutants.MutantQueue.release(queue, claimer);
            }
            progress.step("lane " + lane + ": " + (maxCpuShare != null ? "no light mutant is left" : "the queue is empty") + "; "
                    + caught + " of " + n + " mutants it ran caught");
            int listed = io.triad.report.Manifest.write(runDir.getParent());
            progress.step("tamper evidence: " + runDir.getParent().resolve(io.triad.report.Manifest.FILE) + " (" + listed + " files)");
            return caught == n ? ExitCodes.PASSED : ExitCodes.FAILED;
        }

        /** Every catalog's table from the queue's outcomes, and the verdict. */
        private Integer summarize() {
            var byCatalog = io.triad.mutants.MutantQueue.outcomes(queue);
            boolean all = true;
            java.util.List<String> lines = new java.util.ArrayList<>();
            for (var e : byCatalog.entrySet()) {
                String table = io.triad.mutants.Mutants.table(e.getValue());
                System.out.println("## " + e.getKey() + "\n\n" + table);
                io.triad.mutants.Mutants.write(queue.resolve(e.getKey() + ".md"), table);
                long caught = e.getValue().stream().filter(io.triad.mutants.Mutants.Outcome::caught).count();
                long seconds = e.getValue().stream().mapToLong(o -> o.took().toSeconds()).sum();
                StringBuilder line = new StringBuilder(e.getKey() + ": " + caught + " of " + e.getValue().size() + " caught, " + seconds + " s of lanes");
                for (var o : e.getValue()) {
                    if (!o.caught()) {
                        line.append("\n    NOT CAUGHT ").append(o.mutant().name()).append(": ").append(o.message());
                    }
                }
                lines.add(line.toString());
                all &= caught == e.getValue().size();
            }
            System.out.println("[mutants] by catalog:");
            lines.forEach(l -> System.out.println("  " + l));
            System.out.println(all ? "VERDICT: every mutant of every catalog caught"
                    : "VERDICT: FAILED: a mutant was not caught or not run (see 'by catalog' above)");
            return all ? ExitCodes.PASSED : ExitCodes.FAILED;
        }
    }

    /** Measured times of earlier runs (bin/triad time-split's JSON): how long each mutant took, to order a queue by. */
    record Measured(java.util.Map<String, Double> seconds, java.util.Map<String, Double> cpu, Path file) {
        static Measured read(Path file) {
            java.util.Map<String, Double> s = new java.util.HashMap<>();
            java.util.Map<String, Double> cpu = new java.util.HashMap<>();
            if (file != null && Files.isRegularFile(file)) {
                try {
                    for (var item : new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile()).path("items")) {
                        if (item.path("kind").asText().equals("mutant")) {
                            s.put(item.path("name").asText(), item.path("seconds").asDouble());
                            if (item.path("phases").path("cpu").isNumber()) {
                                cpu.put(item.path("name").asText(), item.path("phases").path("cpu").asDouble());
                            }
                        }
                    }
                } catch (IOException e) {
                    throw new InputError("cannot read the measured times " + file + ": " + e.getMessage());
                }
            }
            return new Measured(s, cpu, file);
        }

        /** The share of a core the mutant kept busy when measured (CPU seconds per second), negative when not measured. */
        double cpuShare(io.triad.mutants.Mutants catalog, String mutant) {
            String name = catalog.name() + "/" + mutant;
            Double c = cpu.get(name);
            Double s = seconds.get(name);
            return c != null && s != null && c > 0 && s > 0 ? c / s : -1;
        }

        double seconds(io.triad.mutants.Mutants catalog, String mutant) {
            Double measured = seconds.get(catalog.name() + "/" + mutant);
            if (measured != null) {
                return measured;
            }
            return catalog.laneSeconds().map(l -> (double) l / catalog.mutants().size()).orElse(60.0);
        }

        String describe() {
            return seconds.isEmpty() ? "no measured times: each catalog's lane_seconds shared by its mutants"
                    : seconds.size() + " mutants' times from " + file;
        }
    }

    /** The environment file option every command that reaches a zone takes. */
    static final class EnvOption {
        @Option(names = "--env", description = "environment file (default: ${DEFAULT-VALUE})",
                defaultValue = "environments/bsfg-triad/simulated.yaml")
        Path env;
    }

    /** Starts a simulated zone and leaves it running, reachable as a live zone. */
    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start the simulated zone of an environment, wait until it has settled, and leave it running:"
                    + " write an environment file of kind live that reaches it (.triad/up/<zone>.yaml, with its key and"
                    + " known_hosts) and print how to use it. 'triad down' removes it.")
    static final class Up implements Callable<Integer> {
        @CommandLine.Mixin
        EnvOption envOption;

        @Override
        public Integer call() {
            Progress progress = Progress.stderr();
            Environment environment = EnvironmentLoader.load(envOption.env);
            if (!environment.simulated()) {
                throw new InputError(envOption.env + " is kind " + environment.kind().name().toLowerCase() + ": 'triad up' starts"
                        + " a simulated zone; a live zone is already up (run 'triad drill --env " + envOption.env + "')");
            }
            Path written;
            try (Zone zone = Zone.open(environment, progress, true)) {
                io.triad.sim.SimulatedTriad triad = zone.simulation().orElseThrow();
                written = io.triad.sim.KeptZone.write(environment, triad);
                triad.release(); // closing the zone now leaves the containers running
            }
            Path shown = io.triad.sim.SimulatedTriad.root().relativize(written.toAbsolutePath());
            System.out.println("zone " + environment.zone() + " is up (kept running), reached as a live zone through " + shown);
            System.out.println("  bin/triad drill --env " + shown + "                        read-only audit, no bring-up");
            System.out.println("  bin/triad drill --env " + shown + " --allow-destructive    the drills its drills.allowed lists");
            System.out.println("  make down   (bin/triad down)                                 remove it");
            return ExitCodes.PASSED;
        }
    }

    /** Removes the zones 'triad up' kept running. */
    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Remove the simulated zones 'triad up' kept running (and anything a killed run of the simulated"
                    + " zone left): their containers, networks, volumes, and the environment files and keys under .triad/up/."
                    + " The zone of another harness run still in progress on this machine is left alone.")
    static final class Down implements Callable<Integer> {
        @Override
        public Integer call() {
            int removed = io.triad.sim.SimulatedTriad.sweepAll(Progress.stderr()); // says which live runs it left alone
            io.triad.sim.KeptZone.forget();
            System.out.println(removed == 0 ? "no simulated zone was up; nothing to remove"
                    : "removed " + removed + " container(s), network(s) and volume(s); " + io.triad.sim.SimulatedTriad.root()
                    .relativize(io.triad.sim.KeptZone.dir()) + "/ removed");
            return ExitCodes.PASSED;
        }
    }

    /** Undoes any fault the harness may have left on the hosts of a zone. */
    @Command(name = "heal", mixinStandardHelpOptions = true,
            description = "Undo every fault the harness may have left on the zone's hosts (after a harness that died or"
                    + " lost its network): run each dead-man switch's undo now and disarm it, delete the harness's nftables"
                    + " tables. Exit 0 when nothing is left, 1 when something could not be healed.")
    static final class Heal implements Callable<Integer> {
        @CommandLine.Mixin
        EnvOption envOption;

        @Override
        public Integer call() {
            Progress progress = Progress.stderr();
            Environment environment = EnvironmentLoader.load(envOption.env);
            if (environment.simulated()) {
                System.out.println("zone " + environment.zone() + " is simulated: its triad lives for one run and is removed"
                        + " with it; nothing to heal");
                return ExitCodes.PASSED;
            }
            int left = 0;
            try (Zone zone = Zone.open(environment, progress)) {
                zone.safety(io.triad.zone.Safety.of(environment, true, false));
                for (io.triad.host.Host h : zone.hosts()) {
                    progress.step("healing " + h.name());
                    java.util.List<String> done = io.triad.zone.Leftovers.heal(h);
                    done.forEach(d -> System.out.println(h.name() + ": " + d));
                    java.util.List<String> still = new java.util.ArrayList<>(io.triad.zone.Leftovers.deadMen(h));
                    still.addAll(io.triad.zone.Leftovers.tables(h));
                    if (done.isEmpty()) {
                        System.out.println(h.name() + ": nothing left by the harness");
                    }
                    for (String s : still) {
                        System.out.println(h.name() + ": STILL THERE: " + s);
                        left++;
                    }
                }
            }
            System.err.println(left == 0 ? "healed: nothing of the harness is left on zone " + environment.zone()
                    : "triad: " + left + " thing(s) of the harness could not be healed; see above");
            return left == 0 ? ExitCodes.PASSED : ExitCodes.FAILED;
        }
    }

    /** Checks a run directory against its SHA-256 manifest and the manifest's SSH signature. */
    @Command(name = "verify-report", mixinStandardHelpOptions = true,
            description = "Check a run directory against its MANIFEST.sha256 and the manifest's SSH signature"
                    + " (MANIFEST.sha256.sig): exit 0 when every file is as written and the signature (if any) is good and,"
                    + " with --allowed-signers, made by a key listed there for namespace triad-report@triad-acceptance;"
                    + " 1 when a file was changed, removed or added, the signature does not match the manifest, the signer is"
                    + " not allowed, or (with --require-signature) the run is unsigned; 2 when there is no such directory or"
                    + " manifest, or the allowed-signers file cannot be read.")
    static final class VerifyReport implements Callable<Integer> {
        @picocli.CommandLine.Parameters(index = "0", arity = "0..1", description = "run directory (default: ${DEFAULT-VALUE})",
                defaultValue = "reports/latest")
        Path dir;

        @Option(names = "--allowed-signers", paramLabel = "FILE", description = "who may sign runs: ssh-keygen's allowed-signers"
                + " format (principals [namespaces=\"triad-report@triad-acceptance\"] key); also TRIAD_ALLOWED_SIGNERS")
        Path allowedSigners;

        @Option(names = "--require-signature", description = "an unsigned run fails (exit 1)")
        boolean requireSignature;

        @Override
        public Integer call() {
            java.util.List<String> problems = io.triad.report.Manifest.verify(dir);
            Path allowedFile = allowedSigners != null ? allowedSigners
                    : System.getenv("TRIAD_ALLOWED_SIGNERS") == null ? null : Path.of(System.getenv("TRIAD_ALLOWED_SIGNERS"));
            java.util.Optional<io.triad.report.SshSig.AllowedSigners> allowed = allowedFile == null ? java.util.Optional.empty()
                    : java.util.Optional.of(io.triad.report.SshSig.AllowedSigners.read(allowedFile));
            io.triad.report.Manifest.Signature signature = io.triad.report.Manifest.signature(dir, allowed);
            problems.forEach(p -> System.out.println("TAMPERED " + p));
            if (problems.isEmpty()) {
                System.out.println("files: every file of " + dir + " is as its " + io.triad.report.Manifest.FILE + " lists it");
            }
            System.out.println("signature: " + signature.describe());
            var status = signature.status();
            boolean signatureFails = status == io.triad.report.Manifest.Signature.Status.INVALID
                    || status == io.triad.report.Manifest.Signature.Status.UNKNOWN_SIGNER
                    || (requireSignature && status == io.triad.report.Manifest.Signature.Status.UNSIGNED);
            if (!problems.isEmpty() || signatureFails) {
                System.err.println("triad: " + dir + " is NOT verified" + (problems.isEmpty() ? "" : ": it does not match its "
                        + io.triad.report.Manifest.FILE + " (" + problems.size() + " difference(s))")
                        + (signatureFails ? (problems.isEmpty() ? ": " : "; ") + "its signature fails" : ""));
                return ExitCodes.FAILED;
            }
            System.out.println(status == io.triad.report.Manifest.Signature.Status.UNSIGNED
                    ? "VERIFIED FILES ONLY: the run is unsigned"
                    : allowed.isPresent() ? "VERIFIED: files and signature" : "VERIFIED: files and signature (signer not checked: no --allowed-signers)");
            return ExitCodes.PASSED;
        }
    }

    /** Where the time of make test mutants went: test classes, zones, mutants, lanes; the ten most expensive printed. */
    @Command(name = "time-split", mixinStandardHelpOptions = true,
            description = "Read Surefire's reports and the time records of make test and make mutants (TRIAD_TIME_SPLIT) and write"
                    + " where the time went (<out>.md, <out>.json): each test class with the zones it started, each mutant's zone"
                    + " up, settle, scenarios and teardown, each lane's wall time. Prints the totals and the ten most expensive items.")
    static final class TimeSplitCommand implements Callable<Integer> {
        @picocli.CommandLine.Parameters(arity = "0..*", paramLabel = "PATH", description = "Surefire report directories and"
                + " directories or files of records (default: target/surefire-reports, target/surefire-reports-side, target/time-split)")
        java.util.List<Path> paths;

        @Option(names = "--out", description = "the files to write, without extension (default: ${DEFAULT-VALUE})",
                defaultValue = "target/time-split")
        Path out;

        @Override
        public Integer call() throws java.io.IOException {
            java.util.List<Path> from = paths == null || paths.isEmpty() ? java.util.List.of(Path.of("target/surefire-reports"),
                    Path.of("target/surefire-reports-side"), Path.of("target/time-split")) : paths;
            TimeSplitReport report = TimeSplitReport.read(from);
            if (report.items.isEmpty() && report.lanes.isEmpty()) {
                System.out.println("time split: nothing measured under " + from);
                return ExitCodes.PASSED;
            }
            Path md = Path.of(out + ".md");
            Path json = Path.of(out + ".json");
            if (md.toAbsolutePath().getParent() != null) {
                Files.createDirectories(md.toAbsolutePath().getParent());
            }
            Files.writeString(md, report.markdown());
            Files.writeString(json, report.json());
            System.out.println("time split (" + md + ", " + json + "):");
            report.lanes.forEach((k, v) -> System.out.printf(java.util.Locale.ROOT, "  lane %s: %.0f s%n", k, v));
            System.out.printf(java.util.Locale.ROOT, "  %d test classes %.0f s; %d mutants %.0f s (zone up %.0f, settle %.0f, scenarios %.0f,"
                    + " teardown %.0f); %d zones started%n", report.count("test"), report.total("test"), report.count("mutant"),
                    report.total("mutant"), report.mutantPhase("up"), report.mutantPhase("settle"), report.mutantPhase("scenarios"),
                    report.mutantPhase("teardown"), report.zoneCount);
            System.out.println("  the ten most expensive items:");
            report.topTen().forEach(l -> System.out.println("    " + l));
            return ExitCodes.PASSED;
        }
    }

    /** One page for many zones: the last acceptance of each, from the runs under the given directories. */
    @Command(name = "fleet", mixinStandardHelpOptions = true,
            description = "Write the fleet page (fleet.html) from the runs under the given directories: one row per zone of any"
                    + " profile, its last run linked to its acceptance document, the verdict, the age, the items failing, when"
                    + " every drill last passed, waivers ending within 30 days, overdue zones marked. Exit 0 when every zone's"
                    + " last run accepted it and none is overdue, 1 otherwise, 2 when no run is found.")
    static final class FleetCommand implements Callable<Integer> {
        @picocli.CommandLine.Parameters(arity = "0..*", paramLabel = "DIR", description = "directories of runs (default: reports)")
        java.util.List<Path> dirs;

        @Option(names = "--out", description = "the page to write (default: <the first directory>/fleet.html)")
        Path out;

        @Option(names = "--overdue-days", description = "a zone whose last run is older than this is overdue (default: ${DEFAULT-VALUE})",
                defaultValue = "90")
        int overdueDays;

        @Override
        public Integer call() {
            java.util.List<Path> roots = dirs == null || dirs.isEmpty() ? java.util.List.of(Path.of("reports")) : dirs;
            if (overdueDays < 1) {
                throw new InputError("--overdue-days must be at least 1, not " + overdueDays);
            }
            java.time.Instant now = java.time.Instant.now();
            java.time.Duration overdue = java.time.Duration.ofDays(overdueDays);
            long t0 = System.nanoTime();
            java.util.List<io.triad.report.Fleet.Zone> zones = io.triad.report.Fleet.zones(roots, overdue, now);
            if (zones.isEmpty()) {
                throw new InputError("fleet: no run with an acceptance.json under " + roots);
            }
            Path page = io.triad.report.Fleet.write(zones, out != null ? out : roots.get(0).resolve(io.triad.report.Fleet.FILE), overdue, now);
            long bad = zones.stream().filter(z -> !z.runs().get(0).outcome().equals("ACCEPTED") || z.overdue()).count();
            System.out.println("fleet: " + zones.size() + " zone(s), " + zones.stream().mapToInt(z -> z.runs().size()).sum() + " run(s), "
                    + bad + " not accepted or overdue; written " + page + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            return bad == 0 ? ExitCodes.PASSED : ExitCodes.FAILED;
        }
    }

    /** The benchmark of the harness itself, on the simulated triad. */
    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Measure the harness on the simulated triad, several times each: image build cold and warm,"
                    + " bring-up to zone is up, SSH commands per second, the read-only audit and the whole acceptance run"
                    + " (each drill's wall time, measured failover and overhead, the recorder's sampling rate and its VIP"
                    + " move against the nodes' own logs), report generation. Prints a table; writes bench.json and"
                    + " bench.txt under reports/bench/<id>/. Exit 0 when every run it made passed; aims do not change it.")
    static final class BenchCommand implements Callable<Integer> {
        @CommandLine.Mixin
        EnvOption envOption;

        @Option(names = "--reps", description = "repetitions of every warm measure (default: ${DEFAULT-VALUE})", defaultValue = "3")
        int reps;

        @Option(names = "--cold-reps", description = "cold image builds: each rebuilds the node image with no cache, minutes"
                + " (default: ${DEFAULT-VALUE}; 0 leaves them out)", defaultValue = "1")
        int coldReps;

        @Option(names = "--ssh-seconds", description = "how long the SSH throughput is measured each time (default: ${DEFAULT-VALUE})",
                defaultValue = "10")
        int sshSeconds;

        @Option(names = "--out", description = "where the benchmark is written (default: ${DEFAULT-VALUE})", defaultValue = "reports/bench")
        Path out;

        @Option(names = "--stages", split = ",", description = "the stages to run, in their order: images, triad, peer (the read-only"
                + " audit of a kept zone against Testinfra replaying its commands), read-only, full (default: all)")
        java.util.List<String> stages;

        @Option(names = "--profiles", split = ",", description = "the profiles the profiles stage runs (default: every profile"
                + " but the environment's)")
        java.util.List<String> profiles;

        @Override
        public Integer call() {
            Environment environment = EnvironmentLoader.load(envOption.env);
            for (String p : profiles == null ? java.util.List.<String>of() : profiles) {
                if (!io.triad.env.Profile.names().contains(p)) {
                    throw new InputError("--profiles: unknown profile '" + p + "' (profiles: " + String.join(", ", io.triad.env.Profile.names()) + ")");
                }
            }
            java.util.List<String> known = io.triad.bench.Bench.Options.STAGES;
            java.util.List<String> chosen = stages == null ? known : stages;
            for (String stage : chosen) {
                if (!known.contains(stage)) {
                    throw new InputError("--stages: unknown stage '" + stage + "' (stages: " + String.join(", ", known) + ")");
                }
            }
            io.triad.bench.Bench bench = new io.triad.bench.Bench(new io.triad.bench.Bench.Options(out, reps, coldReps,
                    sshSeconds, java.time.Duration.ofMinutes(30), java.util.Set.copyOf(chosen),
                    profiles == null ? java.util.Set.of() : java.util.Set.copyOf(profiles)), environment,
                    io.triad.sim.SimulatedTriad.root(), Progress.stderr());
            int code = bench.run(System.out::print);
            System.err.println(code == ExitCodes.PASSED ? "benchmark done: " + bench.directory()
                    : "triad: the benchmark is incomplete: a run it made failed (see PROBLEM lines above)");
            return code == 0 ? ExitCodes.PASSED : ExitCodes.FAILED;
        }
    }

    /** The audit trail of a run: every command run on the zone's hosts. */
    static final String COMMAND_LOG = "commands.log";

    /** Writes the single-file report; a report that cannot be made is said, and fails the run. */
    static boolean report(Path runDir, Acceptance acceptance, CucumberRun.Result result, Runbook runbook, Environment env,
                          java.time.Instant started, java.util.Optional<Path> previous, Progress progress) {
        try {
            AcceptanceReport.Inputs inputs = new AcceptanceReport.Inputs(runDir, acceptance, result.ledger().scenarios(),
                    runbook.name(), env.acceptance().signoff(), runbook.signoffRoles(), started, java.time.Instant.now(), previous);
            // the auditor's document reads the Allure results as the engineers' report completes them: after it
            Path file = AcceptanceReport.write(inputs, AllureCommandline.under(io.triad.sim.SimulatedTriad.root()));
            progress.step("report: " + file + " (one file, opens offline)");
            Path document = io.triad.report.AcceptanceDocument.write(inputs, runbook);
            Path pdf = io.triad.report.AcceptancePdf.write(document);
            progress.step("acceptance document: " + document + " and " + pdf.getFileName()
                    + " (the runbook in its order, for the auditor to sign)");
            return true;
        } catch (RuntimeException e) {
            System.err.println("triad: the report was not written: " + e.getMessage());
            return false;
        }
    }

    /** The run reports/latest points at before this run makes a new one: its report carries the trend. */
    static java.util.Optional<Path> previousRun(Path reports) {
        Path latest = reports.resolve("latest");
        try {
            return Files.isDirectory(latest) ? java.util.Optional.of(latest.toRealPath()) : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    static Path runDirectory(Path reports) {
        String id = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        try {
            Files.createDirectories(reports);
            // a directory of its own, also when another run (another terminal, a mutant lane) starts in the same second
            Path dir = reports.resolve(id);
            for (int n = 2; ; n++) {
                try {
                    Files.createDirectory(dir);
                    break;
                } catch (java.nio.file.FileAlreadyExistsException taken) {
                    dir = reports.resolve(id + "-" + n);
                }
            }
            Path latest = reports.resolve("latest");
            Path link = reports.resolve(".latest-" + ProcessHandle.current().pid());
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, dir.getFileName());
            Files.move(link, latest, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the reports directory under " + reports, e);
        }
    }
}
