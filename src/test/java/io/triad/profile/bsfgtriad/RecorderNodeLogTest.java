package io.triad.profile.bsfgtriad;

import io.triad.history.History;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The nodes' own record of their transitions, from a journal printed with {@code journalctl -o short-unix}. */
class RecorderNodeLogTest {

    /** As recorded on beta of the simulated triad in a crash drill (keepalived 2.2, the lease agent), with lines added around. */
    static final String JOURNAL = """
            1795275701.204511 beta Keepalived_vrrp[412]: (BSFG_SIM) Entering BACKUP STATE (init)
            1795275706.910342 beta Keepalived_vrrp[412]: (BSFG_SIM) Receive advertisement timeout
            1795275706.910377 beta Keepalived_vrrp[412]: (BSFG_SIM) Entering MASTER STATE
            1795275706.913020 beta bsfg-notify[3021]: vrrp BSFG_SIM entered MASTER
            1795275707.120003 beta bsfg-lease[388]: 2026-11-21T15:41:47.119Z bsfg-lease lease=expired revision=41 (no renewal for 6002 ms)
            1795275709.877245 beta bsfg-lease[388]: 2026-11-21T15:41:49.876Z bsfg-lease lease=acquired revision=43 how="taken over from 'alpha', unrenewed for 6011 ms"
            1795275709.879801 beta bsfg-lease[388]: 2026-11-21T15:41:49.879Z bsfg-lease vip=added address=10.99.0.10/24 lifetime_s=4
            1795275710.004000 beta bsfg-promote[3110]: health gate passed: starting controller
            1795275712.5 beta systemd[1]: Started keepalived.service - LVS and VRRP High Availability Monitor.
            1795275713.100001 beta bsfg-controller[3120]: 2026-11-21T15:41:53.1Z bsfg-controller state=lease-lost reason="the lease ran out 20 ms ago": exiting
            1795275713.130002 beta systemd[1]: bsfg-controller.service: Main process exited, code=exited, status=75/n/a
            1795275713.130100 beta systemd[1]: bsfg-controller.service: Failed with result 'exit-code'.
            not a journal line
            """;

    @Test
    void keepsTheTransitionsFromTheRecordingsStartWithTheJournalsTime() {
        List<History.Log> logs = Recorder.parseNodeLog("beta", JOURNAL, Instant.ofEpochSecond(1795275706));
        assertEquals(List.of("(BSFG_SIM) Entering MASTER STATE", "vrrp BSFG_SIM entered MASTER",
                "2026-11-21T15:41:47.119Z bsfg-lease lease=expired revision=41 (no renewal for 6002 ms)",
                "2026-11-21T15:41:49.876Z bsfg-lease lease=acquired revision=43 how=\"taken over from 'alpha', unrenewed for 6011 ms\"",
                "2026-11-21T15:41:49.879Z bsfg-lease vip=added address=10.99.0.10/24 lifetime_s=4",
                "Started keepalived.service - LVS and VRRP High Availability Monitor.",
                "2026-11-21T15:41:53.1Z bsfg-controller state=lease-lost reason=\"the lease ran out 20 ms ago\": exiting",
                "bsfg-controller.service: Main process exited, code=exited, status=75/n/a"),
                logs.stream().map(History.Log::message).toList());
        assertEquals(Instant.ofEpochSecond(1795275706, 910377000), logs.get(0).at());
        assertEquals("Keepalived_vrrp", logs.get(0).source());
        assertEquals("beta", logs.get(0).node());
        assertEquals("bsfg-notify", logs.get(1).source());
    }

    @Test
    void aTransitionBeforeTheRecordingIsNotKept() {
        assertEquals(4, Recorder.parseNodeLog("beta", JOURNAL, Instant.ofEpochSecond(1795275709, 879000000)).size());
    }

    /** What each kept line says of the VIP and the controller, under a lease and without (keepalived carries the VIP). */
    @Test
    void eachLineSaysWhatItTellsOfTheVipAndTheController() {
        List<History.Log> logs = Recorder.parseNodeLog("beta", JOURNAL, Instant.ofEpochSecond(1795275706));
        java.util.function.Function<Boolean, List<String>> read = lease -> logs.stream()
                .flatMap(l -> Recorder.changes(l, lease, "keepalived.service", "bsfg-controller.service").stream()
                        .map(c -> l.source() + " " + c.resource() + (c.holds() ? " taken" : " given up")))
                .toList();
        assertEquals(List.of("bsfg-lease vip taken", "bsfg-controller controller given up", "systemd controller given up"), read.apply(true));
        assertEquals(List.of("Keepalived_vrrp vip taken", "bsfg-controller controller given up", "systemd controller given up"),
                read.apply(false));
        History.Log stopped = new History.Log("alpha", Instant.EPOCH, "systemd", "Stopped keepalived.service - LVS and VRRP High Availability Monitor.");
        assertEquals(List.of(new io.triad.check.LogClaims.Change("vip", false)), Recorder.changes(stopped, false, "keepalived.service", null));
        assertEquals(List.of(), Recorder.changes(stopped, true, "keepalived.service", null), "under a lease keepalived holds no VIP");
        History.Log started = new History.Log("alpha", Instant.EPOCH, "systemd", "Started bsfg-controller.service - BSFG controller.");
        assertEquals(List.of(new io.triad.check.LogClaims.Change("controller", true)),
                Recorder.changes(started, true, "keepalived.service", "bsfg-controller.service"));
        History.Log removed = new History.Log("alpha", Instant.EPOCH, "bsfg-demote", "VIP 10.99.0.10/24 removed (lease-lost)");
        assertEquals(List.of(new io.triad.check.LogClaims.Change("vip", false)), Recorder.changes(removed, true, "keepalived.service", null));
    }

    /**
     * The controller's own lines open and end its claim whoever started it: two lines of the
     * controller's program run by a unit of another name on gamma (a canary, bsfg-canary.service,
     * started under timeout(1)), as that node's journal had them on the simulated triad, 2026-11-28.
     */
    @Test
    void theControllersOwnLinesCountUnderWhateverUnit() {
        String journal = """
                1795836199.862883 sim-gamma timeout[160]: 2026-11-28T03:23:19.862257691Z bsfg-controller state=serving bind=10.213.77.13:9445
                1795836196.499286 sim-gamma timeout[129]: 2026-11-28T03:23:16.498830849Z bsfg-controller state=stopping
                1795836196.502208 sim-gamma timeout[129]: 2026-11-28T03:23:16.502020576Z bsfg-controller state=stopped
                1795836188.954238 sim-gamma timeout[129]: 2026-11-28T03:23:08.954137357Z bsfg-controller state=quorum detail="quorum" leader=sim-gamma
                """;
        List<History.Log> logs = Recorder.parseNodeLog("gamma", journal, Instant.ofEpochSecond(1795836180));
        assertEquals(3, logs.size(), "serving, stopping, stopped kept; the quorum line is no transition: " + logs);
        List<List<io.triad.check.LogClaims.Change>> said = logs.stream()
                .map(l -> Recorder.changes(l, true, "keepalived.service", "bsfg-controller.service")).toList();
        assertEquals(List.of(List.of(new io.triad.check.LogClaims.Change("controller", true)),
                List.of(new io.triad.check.LogClaims.Change("controller", false)),
                List.of(new io.triad.check.LogClaims.Change("controller", false))), said);
        assertEquals("timeout", logs.get(0).source(), "not the controller's unit: its starter's identifier");
    }

    /**
     * Recorded on gamma of the simulated triad with the mutant controller-canary-on-gamma (a copy of
     * the controller run for 3 s at a time by a timer under its own unit, with no lease), the last
     * two seconds of a kill-keepalived drill: the canary's "state=serving" line, then samples that
     * see its program run (controller-process) and gamma hold no lease (controller false), and the
     * recording ends before its "state=stopping". The samples are the sampler's by program.
     */
    @Test
    void aCopyOfTheControllerSeenRunningKeepsTheClaimItsServingLineOpened() {
        History h = History.read(java.nio.file.Path.of("src/test/resources/recorded/history/canary-on-gamma-end.jsonl"));
        java.util.function.Function<History.Log, List<io.triad.check.LogClaims.Change>> reader =
                l -> Recorder.changes(l, true, "keepalived.service", "bsfg-controller.service");
        List<io.triad.check.LogClaims.Claim> claims = io.triad.check.LogClaims.of(h, reader, java.util.Set.of("controller"),
                java.util.Map.of("controller", "controller-process"));
        assertEquals(1, claims.size(), claims.toString());
        io.triad.check.LogClaims.Claim c = claims.get(0);
        assertEquals("gamma", c.node());
        assertEquals(Instant.parse("2026-11-28T06:38:15.961802Z"), c.from(), "from its serving line");
        assertEquals(Instant.parse("2026-11-28T06:38:17.148232Z"), c.to(), "to the last sample that saw its program run");
        // judged by the lease alone, the samples' "not active" ended the claim before any sample saw it held: no claim
        assertEquals(List.of(), io.triad.check.LogClaims.of(h, reader, java.util.Set.of("controller")));
    }

    /**
     * A thawed controller: its process still runs, its node's lease gone (a hand-built history of
     * the samples the recorder takes then), and it logs no taking line: no claim; its lease-lost line
     * gives up nothing.
     */
    @Test
    void aThawedControllerStillRunningWithoutItsLeaseClaimsNothing() {
        History h = new History();
        Instant t = Instant.parse("2026-11-28T06:00:00Z");
        for (int i = 0; i < 5; i++) {
            h.add(Recorder.parseSample("alpha", "%d.%06d %d.%06d 0 active active MASTER 0".formatted(t.getEpochSecond(), i * 30_000,
                    t.getEpochSecond(), i * 30_000 + 1_000)));
        }
        h.add(new History.Log("alpha", t.plusMillis(200), "bsfg-controller", "2026-11-28T06:00:00.2Z bsfg-controller state=lease-lost"
                + " reason=\"the lease ran out 20 ms ago\": exiting"));
        assertEquals(List.of(), io.triad.check.LogClaims.of(h, l -> Recorder.changes(l, true, "keepalived.service", "bsfg-controller.service"),
                java.util.Set.of("controller"), java.util.Map.of("controller", "controller-process")));
    }

    /** A line of the node loop: its start and end as bash's EPOCHREALTIME writes them, the VIP, the units, the VRRP state. */
    @Test
    void aSampleLineIsReadWithTheNodesOwnInstants() {
        History.Sample s = Recorder.parseSample("alpha", "1795275706.910342 1795275706.910377 1 active inactive MASTER");
        assertEquals(Instant.ofEpochSecond(1795275706, 910342000), s.start());
        assertEquals(Instant.ofEpochSecond(1795275706, 910377000), s.end());
        assertEquals("true", s.state("vip"));
        assertEquals("true", s.state("controller"));
        assertEquals("inactive", s.state("keepalived"));
        assertEquals(Instant.ofEpochSecond(1795275706, 500000000), Recorder.parseSample("alpha", "1795275706,5 1795275706,6 0 inactive active BACKUP").start());
        assertEquals(null, Recorder.parseSample("alpha", "not-a-time 1795275706.9 0 inactive active BACKUP"));
        assertEquals(null, Recorder.parseSample("alpha", "1795275706.9 0 inactive"));
    }

    /**
     * Under the zone's lease a running controller is active only while its node's lease is valid:
     * a thawed node's controller, still running for a few ms before it ends itself, refuses every
     * request and is not a second active controller; its process is kept apart.
     */
    @Test
    void aControllerWithoutAValidLeaseIsNotActive() {
        History.Sample thawed = Recorder.parseSample("alpha", "1795275706.910342 1795275706.910377 0 active active MASTER 0");
        assertEquals("false", thawed.state("controller"));
        assertEquals("true", thawed.state("controller-process"));
        assertEquals("0", thawed.state("lease"));
        History.Sample serving = Recorder.parseSample("alpha", "1795275706.910342 1795275706.910377 1 active active MASTER 1");
        assertEquals("true", serving.state("controller"));
        History.Sample noLease = Recorder.parseSample("alpha", "1795275706.910342 1795275706.910377 1 active active MASTER -");
        assertEquals("true", noLease.state("controller"), "a zone without a lease: the process is the controller");
    }
}
