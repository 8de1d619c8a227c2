package io.triad.env;

import java.util.List;
import java.util.Set;

/**
 * A profile's faults and the guard rails every fault is checked against before it is applied, as
 * data: the names {@code drills.allowed} and {@code @fault:} tags may use, those that a live
 * zone's {@code all} does not cover (they must be named), and the rules on what may be down at
 * once.
 */
public record FaultCatalogue(Set<String> faults, Set<String> namedOnLive, List<GuardRail> guardRails) {

    public FaultCatalogue {
        faults = Set.copyOf(faults);
        namedOnLive = Set.copyOf(namedOnLive);
        guardRails = List.copyOf(guardRails);
        for (String f : namedOnLive) {
            if (!faults.contains(f)) {
                throw new IllegalArgumentException("named_on_live lists " + f + ", which is not in the catalogue");
            }
        }
        for (GuardRail r : guardRails) {
            for (String f : r.whole()) {
                if (!namedOnLive.contains(f)) {
                    throw new IllegalArgumentException("guard rail '" + r.rule() + "' lets " + f + " take the whole group down: a live zone"
                            + " must name it (named_on_live)");
                }
            }
            for (String f : r.except()) {
                if (!faults.contains(f)) {
                    throw new IllegalArgumentException("guard rail '" + r.rule() + "' excepts " + f + ", which is not in the catalogue");
                }
            }
        }
    }

    /**
     * The first guard rail {@code fault} would break, given what would then be down per group
     * (what is in place plus what the fault takes down) and how many hosts serve each group: the
     * rule, the fault on its target ("crash-node on beta"), and the hosts it would leave down.
     */
    public java.util.Optional<String> broken(String fault, String target, java.util.Map<String, Set<String>> down,
                                             java.util.Map<String, Integer> sizes) {
        for (GuardRail rail : guardRails) {
            Set<String> out = new java.util.TreeSet<>(down.getOrDefault(rail.group(), Set.of()));
            if (out.size() > rail.limit(fault, sizes.getOrDefault(rail.group(), 0))) {
                return java.util.Optional.of(rail.rule() + ": " + fault + " on " + target + " would take down " + String.join(" and ", out));
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * At most {@code maxDown} of the hosts that serve {@code group} out of it at once; a fault in
     * {@code except} may take out all but one of them, never all; a fault in {@code whole} (a
     * runbook's full-stop procedure, such as a restore that stops every node's store) may take out
     * all of them, and must be one that a live zone names. A host is out of the group when the
     * whole node is faulted (crashed, frozen, isolated) or one of {@code services} on it is
     * stopped or killed; {@code roles} are the roles of the hosts that serve the group.
     */
    public record GuardRail(String group, Set<String> roles, Set<String> services, int maxDown, Set<String> except, String rule,
                            Set<String> whole) {
        public GuardRail {
            roles = Set.copyOf(roles);
            services = Set.copyOf(services);
            except = Set.copyOf(except);
            whole = Set.copyOf(whole);
            if (maxDown < 1) {
                throw new IllegalArgumentException("guard rail '" + rule + "': max_down must be 1 or more");
            }
        }

        /** A rail no fault may take the whole group down past. */
        public GuardRail(String group, Set<String> roles, Set<String> services, int maxDown, Set<String> except, String rule) {
            this(group, roles, services, maxDown, except, rule, Set.of());
        }

        /** Whether faulting {@code service} (null: the whole node) on a host of role {@code role} takes that host out of the group. */
        public boolean takesOut(String role, String service) {
            return roles.contains(role) && (service == null || services.contains(service));
        }

        /** How many of the group's {@code size} hosts {@code fault} may leave down at once. */
        public int limit(String fault, int size) {
            return whole.contains(fault) ? size : except.contains(fault) ? Math.max(size - 1, 1) : Math.min(maxDown, Math.max(size - 1, 1));
        }
    }
}
