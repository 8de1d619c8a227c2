package io.triad.zone;

import java.util.List;
import java.util.function.Function;

/**
 * One part of a profile's steady state ("the zone is healthy enough to take a fault"): a name the
 * steps use to say which parts they check themselves, and what is wrong (one problem each; empty
 * when this part holds). A {@code gate} part that finds a problem hides the later parts: there is
 * no point asking a host that does not answer about its services. A gate is what the harness
 * needs to audit the zone at all (its hosts answer, its database accepts the harness's
 * credentials): a live zone whose gate fails is not audited ({@link Zone#open}, bad input, exit 2).
 */
public record SteadyPart(String name, boolean gate, Function<Zone, List<String>> problems) {

    /**
     * A part of the steady state that belongs to one part of the zone ({@code part}, a key a zone may
     * declare under {@code not_applicable:} with its reason, as its scenarios' {@code @needs:} tag
     * names it): not looked at in a zone that declares that part absent, since nothing of it is
     * there to settle (issue 35: a zone built by others has only some of the profile's parts).
     */
    public static SteadyPart unlessAbsent(String part, SteadyPart p) {
        return new SteadyPart(p.name(), p.gate(), zone -> zone.env().notApplicable(part).isPresent() ? List.of() : p.problems().apply(zone));
    }
}
