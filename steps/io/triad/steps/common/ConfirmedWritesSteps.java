package io.triad.steps.common;

import io.cucumber.java.en.Then;
import io.triad.check.AsyncLostWrites;
import io.triad.check.FailoverWindow;
import io.triad.check.LostWrites;
import io.triad.history.History;
import io.triad.run.Run;

import java.time.Duration;
import java.util.Optional;

/**
 * The sentences of the database drills, bound once for every profile whose zone confirms writes
 * through PostgreSQL (three-phoenix's repmgr, SFA's Patroni): judged on the ledger and the fault
 * the profile's steps hand over ({@link ConfirmedWrites}).
 */
public class ConfirmedWritesSteps extends Support {

    private final ConfirmedWrites writes;

    public ConfirmedWritesSteps(Run run, ConfirmedWrites writes) {
        super(run);
        this.writes = writes;
    }

    /**
     * A write confirmed by a node other than the faulted one, sent after the fault took effect,
     * within the environment's failover window; the figure from the fault to it, and the writes
     * refused meanwhile. A failover that does not come quotes the HA manager's own lines on the
     * candidates; one faster than the HA manager's settings allow fails as a measurement error.
     */
    @Then("another node confirms writes within the failover window, measured")
    public void failover() {
        ConfirmedWrites.Source s = writes.source();
        Duration window = zone.env().thresholds().failoverWindow();
        String faulted = writes.faultedNode().name();
        withinOrWhy((int) window.toSeconds(), "a write confirmed by another node than " + faulted, s.haManager(), writes.faultedNode(),
                writes.faultAt(), () -> check(firstElsewhere(s).isPresent(), "none yet"));
        firstElsewhere(s).ifPresent(first -> {
            long refused = s.ledger().history().ops("write").stream().filter(o -> !o.ok() && !o.invoke().isBefore(writes.faultAt())
                    && o.complete().isBefore(first.complete())).count();
            zone.evidence().figure("writes not confirmed during the failover", String.valueOf(refused));
        });
        verdict(FailoverWindow.measured(s.ledger().history(), "write", writes.faultAt(), window, faulted, s.floor().get()));
    }

    private Optional<History.Op> firstElsewhere(ConfirmedWrites.Source s) {
        return FailoverWindow.firstAfter(s.ledger().history(), "write", writes.faultAt(), writes.faultedNode().name());
    }

    @Then("no confirmed write was lost")
    public void noLostWrite() {
        ConfirmedWrites.Source s = finalRead();
        verdict(LostWrites.check(s.ledger().history()));
    }

    /** Asynchronous replication may lose what the faulted primary confirmed last, within the lag bound; nothing else. */
    @Then("confirmed writes lost are counted against the lag bound, none lost from before it or after the failover")
    public void lostWrites() {
        ConfirmedWrites.Source s = finalRead();
        verdict(AsyncLostWrites.check(s.ledger().history(), writes.lossFrom(), s.lagBound()));
    }

    /** The ledger stopped and its last read made on the primary of now. */
    private ConfirmedWrites.Source finalRead() {
        ConfirmedWrites.Source s = writes.source();
        s.ledger().stop();
        s.ledger().finalRead(s.primary().get());
        return s;
    }
}
