package io.triad.zone;

import java.util.Optional;

/**
 * The role of a zone that moves between its nodes (a replicated database's primary, a consensus
 * group's leader): which node holds it, read from the nodes themselves, and the runbook's own way of
 * handing it to another (a switchover). A profile's {@link io.triad.sim.ZoneRecipe} implements it
 * when its zone has such a role: a zone that serves several mutants laid in place is proven back
 * with its role where it stood at its start, handed back when a drill moved it
 * ({@code io.triad.mutants.InPlace}), since the mutants' overlays and messages name the nodes as
 * built (the first primary's host).
 */
public interface Roles {

    /** What the role is, for messages ("the primary"). */
    String role();

    /** The node that holds the role now, read on the nodes; empty when no one node does (none, or two). */
    Optional<String> holder(Zone zone);

    /**
     * Hands the role from its holder to {@code node} the runbook's way, returning once the command
     * has ended; an AssertionError naming what failed when it did not. The caller then waits for
     * the zone to settle and reads the holder again.
     */
    void handTo(Zone zone, String node);
}
