package io.triad.steps.common;

import io.cucumber.java.en.Then;
import io.triad.env.Environment;
import io.triad.host.CommandResult;
import io.triad.probe.parse.ChronyTracking;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * What every profile's runbook asks of its hosts and its paperwork alike: the attestations people
 * put on record (who, when, the reference, until when), and the nodes' clocks synchronised.
 */
public class RecordSteps extends Support {
    public RecordSteps(io.triad.run.Run run) {
        super(run);
    }

    @Then("the attestation {string} is on record and current")
    public void attestation(String name) {
        Environment.Attestation a = zone.env().acceptance().attestations().get(name);
        check(a != null, "no '" + name + "' attestation in " + zone.env().file() + " (attestations: who approved it, when,"
                + " the ticket or evidence, and until when)");
        if (a == null) {
            return; // a dry run goes on
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        a.problem(today).ifPresent(p -> {
            throw new AssertionError("the '" + name + "' attestation by " + a.by() + " (" + a.reference() + ") does not hold: " + p);
        });
        zone.evidence().note("attestation " + name, "by: " + a.by() + "\nat: " + a.at() + "\nreference: " + a.reference()
                + "\nexpires: " + a.expires() + "\nchecked on: " + today);
    }

    @Then("within {int} seconds every node's clock is synchronised with an offset within the threshold")
    public void clocks(int seconds) {
        Duration threshold = zone.env().thresholds().clockOffset();
        within(seconds, "clocks synchronised", () -> {
            java.util.Map<String, ChronyTracking.Tracking> tracking = new java.util.concurrent.ConcurrentSkipListMap<>();
            List<String> problems = onEachHost(zone.hosts(), (h, found) -> {
                CommandResult r = h.exec("chronyc -n tracking");
                if (!r.ok()) {
                    found.add(h.name() + ": time sync is not running (chronyc: "
                            + (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip() + ")");
                    return;
                }
                ChronyTracking.Tracking t = ChronyTracking.parse(r.stdout());
                tracking.put(h.name(), t);
                if (!t.synchronised() && io.triad.check.ClockSources.local(t) && zone.env().notApplicable("ntp-upstream").isPresent()) {
                    zone.evidence().note(h.name() + " serves its own clock", h.name() + " is the zone's time source on its local clock"
                            + " (stratum " + t.stratum() + "); accepted because ntp-upstream is not applicable: "
                            + zone.env().notApplicable("ntp-upstream").get());
                } else if (!t.synchronised()) {
                    found.add(h.name() + " is not synchronised (leap status " + t.leapStatus() + ", stratum " + t.stratum() + ")");
                } else if (Math.abs(t.systemTimeOffsetSeconds()) * 1000 > threshold.toMillis()) {
                    found.add(h.name() + "'s clock is off by " + String.format(java.util.Locale.ROOT, "%.1f", t.systemTimeOffsetSeconds() * 1000)
                            + " ms, more than " + threshold.toMillis() + " ms");
                }
            });
            if (zone.env().notApplicable("ntp-upstream").isPresent()) {
                // one node's local clock is accepted as the zone's time, not each node's own
                java.util.Map<String, String> addresses = new java.util.LinkedHashMap<>();
                zone.hosts().forEach(h -> addresses.put(h.name(), h.address()));
                problems = new java.util.ArrayList<>(problems);
                problems.addAll(io.triad.check.ClockSources.problems(tracking, addresses));
            }
            none(problems, "clock sync");
        });
    }
}
