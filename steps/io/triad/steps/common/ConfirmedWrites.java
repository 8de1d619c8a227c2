package io.triad.steps.common;

import io.triad.host.Host;
import io.triad.tech.postgres.Ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Per scenario (PicoContainer makes one for each and gives it to every step class that asks): the
 * write ledger of a database drill and the fault it is judged against, for the sentences the
 * profiles whose zones confirm writes through PostgreSQL share ({@link ConfirmedWritesSteps}: the
 * failover within the window, no confirmed write lost, the writes lost counted against the lag
 * bound). A profile's drill steps say once how their ledger is read ({@link #recordedBy}) and when
 * the fault took effect ({@link #faulted}); the sentences are the same for every such profile.
 */
public final class ConfirmedWrites {

    /**
     * What the profile says once: its ledger, how to find the primary now (the final read is made
     * there), the lag bound its replication promises, its HA manager (the service whose log on the
     * candidates says why a failover did not come) and the least a failover can take under its
     * settings (an answer sooner is a measurement error).
     */
    public record Source(Ledger ledger, Supplier<Host> primary, Duration lagBound, String haManager, Supplier<Duration> floor) { }

    private Source source;
    private Host faulted;
    private Instant faultAt;
    private Instant lossFrom;

    public void recordedBy(Source s) {
        source = s;
    }

    /** The fault the failover and the writes lost are judged from: the node it struck and when it took effect. */
    public void faulted(Host node, Instant at) {
        faulted = node;
        faultAt = at;
        lossFrom = at;
    }

    /**
     * From when a write the faulted node confirmed may be lost with it (default: the fault's
     * instant), e.g. when its kill had returned: no process of it confirms anything after that.
     */
    public void lossCountsFrom(Instant at) {
        lossFrom = at;
    }

    Source source() {
        if (source == null) {
            throw new AssertionError("no ledger was started in this scenario: a step that starts the ledger client comes first");
        }
        return source;
    }

    Host faultedNode() {
        if (faulted == null) {
            throw new AssertionError("no fault was applied in this scenario: a step that crashes, kills or stops a node comes first");
        }
        return faulted;
    }

    Instant faultAt() {
        faultedNode();
        return faultAt;
    }

    Instant lossFrom() {
        faultedNode();
        return lossFrom;
    }
}
