package io.triad.steps.common;

import io.cucumber.java.After;
import io.cucumber.java.Before;
import io.cucumber.java.Scenario;
import io.triad.history.History;
import io.triad.host.Evidence;
import io.triad.report.Timeline;
import io.triad.run.Run;
import io.triad.run.LedgerPlugin;
import io.triad.runbook.Runbook;
import io.triad.zone.Zone;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Per scenario: it is not run after an interruption or under a halt of an earlier section, and
 * skipped with the environment's reason when it needs what the zone does not have
 * ({@code @needs:<capability>} and {@code not_applicable} in the environment). Evidence starts
 * empty; afterwards every fault is healed (also after a failed step), the zone is left settled
 * ({@link Zone#settle}: the next scenario starts from a steady zone) and the evidence attached. A
 * zone removed right after its run settles before the next scenario instead
 * ({@link Zone#settleBeforeTheNextScenarioOnly}): after the last, nothing waits for it.
 */
public class Hooks {

    static final String NEEDS = "@needs:";

    /** The run this scenario is part of, injected ({@link RunProvider}). */
    private final Run run;

    public Hooks(Run run) {
        this.run = run;
    }

    @Before(order = 0)
    public void gate(Scenario scenario) {
        run.zone().stopReason().ifPresent(reason -> {
            throw new TestAbortedException(LedgerPlugin.NOT_RUN + " " + reason);
        });
        Zone zone = run.zone();
        List<String> items = Runbook.idsIn(scenario.getSourceTagNames());
        zone.beginScenario(scenario.getSourceTagNames(), run.turns().besideOthers());
        zone.evidence().drain();
        run.ledger().haltFor(items).ifPresent(halt -> {
            if (!run.ledger().continuePastHalt()) {
                throw new TestAbortedException(halt.notRunMessage());
            }
            zone.evidence().note("run past a halt", "The runbook says to halt here: " + halt.item().id() + " ("
                    + halt.item().title() + ") failed: " + halt.reason() + ".\nThis scenario ran anyway because the operator"
                    + " chose --continue-past-halt, for diagnosis; its verdict does not make the zone acceptable.");
        });
        for (String tag : scenario.getSourceTagNames()) {
            if (tag.startsWith(NEEDS)) {
                String capability = tag.substring(NEEDS.length());
                zone.env().notApplicable(capability).ifPresent(reason -> {
                    throw new TestAbortedException("not applicable to zone " + zone.env().zone() + " (" + capability + "): " + reason);
                });
            }
        }
        if (zone.settlesBeforeTheNextScenarioOnly()) {
            zone.settle("the heal of the scenario before"); // a zone removed after its run: see Zone#settleBeforeTheNextScenarioOnly
        }
    }

    @After(order = 0)
    public void healAndAttach(Scenario scenario) {
        Zone zone = run.zone();
        try {
            healAndAttach(zone, scenario);
        } finally {
            zone.endScenario();
            // beside others, it ends in the run's order (io.triad.run.Turns): its result is recorded once every
            // scenario before it is done; if a halt of one of those applies to it, it says so (an optimistic run
            // is then made again one scenario after the other)
            io.triad.run.Turns turns = run.turns();
            boolean beside = turns.besideOthers();
            turns.awaitEarlier();
            if (beside && !run.ledger().continuePastHalt()
                    && run.ledger().haltFor(Runbook.idsIn(scenario.getSourceTagNames())).isPresent()) {
                turns.ranUnderHalt(scenario.getName());
            }
        }
    }

    private void healAndAttach(Zone zone, Scenario scenario) {
        try {
            zone.faults().healAll(zone.evidence());
        } finally {
            zone.stopRecording().ifPresent(r -> {
                r.readNodeLogs();
                zone.evidence().note("history (JSON lines)", r.history().toJsonLines());
                keep(scenario, r.history());
                if (scenario.isFailed() && !zone.planning()) {
                    journals(zone, r.started());
                }
            });
            if (!zone.settlesBeforeTheNextScenarioOnly()) {
                zone.settle("the heal of this scenario's faults"); // the next scenario starts from a settled zone
            }
            for (Evidence.Item item : zone.evidence().drain()) {
                scenario.attach(item.body(), "text/plain", item.title());
            }
        }
    }

    /** The file name a drill's history and timeline get in the run directory: its drill name, else its line. */
    static String drillName(Scenario scenario) {
        return scenario.getSourceTagNames().stream().filter(t -> t.startsWith("@drill:")).map(t -> "drill-" + t.substring(7))
                .findFirst().orElse("scenario-line-" + scenario.getLine());
    }

    /** The drill's failover timeline, attached to the scenario; history and timeline also kept as files of the run. */
    private void keep(Scenario scenario, History history) {
        io.triad.env.Profile profile = run.zone().env().profile();
        String svg = Timeline.svg(history, profile.exclusive(), profile.serving(), profile.logLabels(), "Failover timeline: " + scenario.getName());
        scenario.attach(svg.getBytes(StandardCharsets.UTF_8), Timeline.MEDIA_TYPE, Timeline.ATTACHMENT);
        run.runDirectory().ifPresent(dir -> {
            try {
                Path drills = Files.createDirectories(dir.resolve("drills"));
                history.write(drills.resolve(drillName(scenario) + ".jsonl"));
                Files.writeString(drills.resolve(drillName(scenario) + ".svg"), svg);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot keep the drill's history under " + dir, e);
            }
        });
    }

    /**
     * A failed drill's diagnosis: what the zone's services logged since the recording began (on
     * every node, the journals of the services it runs; read-only), so that the reason is in the
     * report, not lost with the zone.
     */
    private static void journals(Zone zone, java.time.Instant since) {
        for (io.triad.host.Host h : zone.hosts()) {
            StringBuilder units = new StringBuilder();
            zone.env().services().values().stream().filter(svc -> svc.roles().contains(h.role()))
                    .forEach(svc -> units.append(" -u ").append(Support.q(svc.unit())));
            if (!units.isEmpty()) {
                h.exec(h.asRoot("journalctl --no-pager -o short-iso-precise --since @" + since.getEpochSecond() + units));
            }
        }
    }
}
