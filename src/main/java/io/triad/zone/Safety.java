package io.triad.zone;

import io.cucumber.tagexpressions.Expression;
import io.cucumber.tagexpressions.TagExpressionException;
import io.cucumber.tagexpressions.TagExpressionParser;
import io.triad.env.Environment;
import io.triad.env.InputError;
import io.triad.report.FeatureIndex;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a run may do to its zone, decided before any host is touched.
 *
 * <p>A scenario tagged {@code @disruptive} applies faults, and names each with a
 * {@code @fault:<name>} tag. On a simulated zone (built by the harness) every fault the
 * environment allows may run. On any other zone a run is <b>read-only</b> unless both the
 * environment file lists the scenario's faults under {@code drills.allowed} and the operator passes
 * {@code --allow-destructive}; {@code --read-only} makes any run read-only. A run whose selection
 * names a destructive scenario it may not run is refused, with both conditions named; a run
 * without a selection leaves such scenarios out and says so. At run time {@link Nemesis} asks again
 * before every fault ({@link #requireAllowed}), so a scenario cannot apply a fault it did not
 * declare.
 */
public final class Safety {

    static final String DISRUPTIVE = "@disruptive";
    static final String FAULT = "@fault:";

    private final Environment env;
    private final boolean readOnly;
    private final boolean operatorAllows;
    private final Set<String> allowed;

    private Safety(Environment env, boolean readOnly, boolean operatorAllows, Set<String> allowed) {
        this.env = env;
        this.readOnly = readOnly;
        this.operatorAllows = operatorAllows;
        this.allowed = allowed;
    }

    /**
     * The policy of a run: {@code readOnlyFlag} is {@code --read-only}, {@code allowDestructive}
     * is {@code --allow-destructive}. An unknown fault name in {@code drills.allowed} is bad input.
     */
    public static Safety of(Environment env, boolean readOnlyFlag, boolean allowDestructive) {
        Set<String> listed = env.drills().allowed();
        Set<String> known = env.profile().faults().faults(); // the profile's catalogue
        Set<String> namedOnLive = env.profile().faults().namedOnLive();
        Set<String> unknown = new TreeSet<>(listed);
        unknown.removeAll(known);
        unknown.remove("all");
        if (!unknown.isEmpty()) {
            throw new InputError(env.file() + ": drills.allowed names no fault the harness knows: " + String.join(", ", unknown)
                    + " (known: all, " + String.join(", ", new TreeSet<>(known)) + ")");
        }
        if (readOnlyFlag && allowDestructive) {
            throw new InputError("--read-only and --allow-destructive contradict each other: pass one of them");
        }
        Set<String> allowed = new TreeSet<>();
        for (String f : listed) {
            if (f.equals("all")) {
                allowed.addAll(known);
                if (!env.simulated()) {
                    allowed.removeAll(namedOnLive); // a live zone names them, or they are not allowed
                }
            } else {
                allowed.add(f);
            }
        }
        boolean operator = env.simulated() || allowDestructive;
        return new Safety(env, readOnlyFlag || !operator, operator, allowed);
    }

    /** No fault at all may be applied. */
    public boolean readOnly() {
        return readOnly;
    }

    /** The faults this run may apply (empty when read-only). */
    public Set<String> allowedFaults() {
        return readOnly ? Set.of() : Set.copyOf(allowed);
    }

    /** What a run selected, and what it may run of that. */
    public record Selection(String tags, List<FeatureIndex.Scenario> leftOut, List<FeatureIndex.Scenario> destructive) {
        /** One line for the progress output. */
        public String describe() {
            return (destructive.isEmpty() ? "read-only run" : "destructive run: " + destructive.size() + " scenario(s) apply faults")
                    + (leftOut.isEmpty() ? "" : "; " + leftOut.size() + " destructive scenario(s) left out");
        }
    }

    /**
     * Decides which scenarios run: the operator's {@code tags} (null: all) with every destructive
     * scenario this run may not run left out. When the operator's tags select such a scenario by
     * name the run is refused instead ({@link InputError}, naming the conditions), so that nobody
     * believes a drill ran that did not.
     */
    public Selection select(FeatureIndex index, String tags) {
        boolean chosen = tags != null && !tags.isBlank();
        Expression wanted;
        try {
            wanted = chosen ? TagExpressionParser.parse(tags) : t -> true;
        } catch (TagExpressionException e) {
            throw new InputError("--tags '" + tags + "' is not a tag expression: " + e.getMessage());
        }
        List<FeatureIndex.Scenario> destructive = new ArrayList<>();
        List<FeatureIndex.Scenario> leftOut = new ArrayList<>();
        Set<String> excluded = new LinkedHashSet<>();
        for (FeatureIndex.Scenario s : index.scenarios()) {
            if (!wanted.evaluate(s.tags()) || !s.tags().contains(DISRUPTIVE)) {
                continue;
            }
            Set<String> faults = faults(s.tags());
            if (faults.isEmpty()) {
                throw new InputError("scenario \"" + s.name() + "\" (" + s.file() + ") is tagged " + DISRUPTIVE
                        + " but names no fault (" + FAULT + "<name>): the harness cannot tell whether it may run it");
            }
            Set<String> missing = new TreeSet<>(faults);
            missing.removeAll(allowedFaults());
            if (missing.isEmpty()) {
                destructive.add(s);
                continue;
            }
            if (chosen) {
                throw new InputError(refusal(s, missing));
            }
            leftOut.add(s);
            if (readOnly) {
                excluded.add(DISRUPTIVE);
            } else {
                missing.forEach(f -> excluded.add(FAULT + f));
            }
        }
        String effective = tags;
        if (!excluded.isEmpty()) {
            String not = "not (" + String.join(" or ", excluded) + ")";
            effective = chosen ? "(" + tags + ") and " + not : not;
        }
        return new Selection(effective, leftOut, destructive);
    }

    /** The faults of {@code notListed} that a live zone's "all" does not cover, said when "all" is what was listed. */
    private String namedOnly(Set<String> notListed) {
        Set<String> named = new TreeSet<>(notListed);
        named.retainAll(env.profile().faults().namedOnLive());
        return named.isEmpty() || !env.drills().allowed().contains("all") ? ""
                : "; 'all' does not cover " + String.join(", ", named) + " on a live zone: name " + (named.size() == 1 ? "it" : "them");
    }

    /** Why a destructive scenario may not run, naming both conditions and which of them is missing. */
    String refusal(FeatureIndex.Scenario s, Set<String> missing) {
        String listed = env.drills().allowed().isEmpty() ? "none" : String.join(", ", new TreeSet<>(env.drills().allowed()));
        StringBuilder m = new StringBuilder("refused: scenario \"" + s.name() + "\" (" + s.file() + ") is destructive (faults: "
                + String.join(", ", faults(s.tags())) + ")");
        if (readOnly && operatorAllows) {
            return m.append(" and this run is --read-only").toString();
        }
        m.append("; on zone ").append(env.zone()).append(" (").append(env.kind().name().toLowerCase())
                .append(") it runs only when (1) the environment file ").append(env.file())
                .append(" lists its faults under drills.allowed");
        Set<String> notListed = new TreeSet<>(missing);
        notListed.removeAll(allowed);
        m.append(notListed.isEmpty() ? " (it does)" : " (missing: " + String.join(", ", notListed) + "; listed: " + listed
                + namedOnly(notListed) + ")");
        m.append(" and (2) the operator passes --allow-destructive").append(operatorAllows ? " (passed)" : " (not passed)");
        return m.toString();
    }

    /**
     * Asked before every fault: refuses ({@link SafetyStop}) a fault when the run is read-only, the
     * environment does not allow it, or the scenario applying it did not declare it.
     */
    public void requireAllowed(String fault, Collection<String> scenarioTags) {
        if (readOnly) {
            throw new SafetyStop("the fault '" + fault + "' was about to be applied in a read-only run of zone " + env.zone());
        }
        if (!allowed.contains(fault)) {
            throw new SafetyStop("the drill needs the fault '" + fault + "', which environment zone " + env.zone()
                    + " does not allow (drills.allowed: " + (env.drills().allowed().isEmpty() ? "none"
                    : String.join(", ", new TreeSet<>(env.drills().allowed()))) + ")");
        }
        if (scenarioTags != null && !scenarioTags.contains(FAULT + fault)) {
            throw new SafetyStop("the scenario applies the fault '" + fault + "' but does not declare it (" + FAULT + fault
                    + "): only declared faults are checked against drills.allowed before the run");
        }
    }

    static Set<String> faults(Collection<String> tags) {
        return tags.stream().filter(t -> t.startsWith(FAULT)).map(t -> t.substring(FAULT.length()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** A safety rule would have been broken: the fault is not applied and the run stops. */
    public static final class SafetyStop extends AssertionError {
        public static final String PREFIX = "SAFETY STOP: ";

        public SafetyStop(String message) {
            super(PREFIX + message);
        }
    }
}
