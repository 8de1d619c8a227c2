package io.triad.runbook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a run has proven so far, item by item, and whether a halt rule has stopped it. Fed by the
 * scenario hooks; read by the handoff criteria (the items derived from others), which are derived from it, and by the
 * halt rule: when a scenario proving an item with a "Halt if" fails, the later sections are not
 * run and say so, unless the operator chose to continue past halts for diagnosis.
 */
public final class Ledger {

    public enum Status { PASSED, FAILED, SKIPPED, NOT_RUN }

    /** One scenario's outcome for one item. {@code reason} is the failure or the skip reason. */
    public record Outcome(String item, String scenario, Status status, String reason) { }

    /**
     * One finished scenario, whether or not it proves a runbook item: where it is ({@code location}
     * is the feature file's name and the line, e.g. "04-service-installation.feature:8"), its tags,
     * how it ended (strictly: undefined and pending steps fail it) and why.
     */
    public record Scenario(String name, String location, List<String> tags, Status status, String reason) { }

    /** The halt in force: the item whose failure stopped the run, the scenario and why. */
    public record Halt(Runbook.Item item, String scenario, String reason) {
        public String notRunMessage() {
            return "not run: halted by " + item.id() + " (" + item.title() + "): " + reason;
        }
    }

    private final Runbook runbook;
    private final boolean continuePastHalt;
    private final Map<String, List<Outcome>> outcomes = new LinkedHashMap<>();
    private final List<Halt> halts = new ArrayList<>();
    private final List<Scenario> scenarios = new ArrayList<>();

    private final java.util.Set<String> waived;

    public Ledger(Runbook runbook, boolean continuePastHalt) {
        this(runbook, continuePastHalt, java.util.Set.of());
    }

    /**
     * {@code waived}: the items with a waiver in force. An approver accepted their failure, so it
     * does not put their halt rule in force (it still shows as a waived failure).
     */
    public Ledger(Runbook runbook, boolean continuePastHalt, java.util.Set<String> waived) {
        this.runbook = runbook;
        this.continuePastHalt = continuePastHalt;
        this.waived = java.util.Set.copyOf(waived);
    }

    public Runbook runbook() {
        return runbook;
    }

    public boolean continuePastHalt() {
        return continuePastHalt;
    }

    /** Keeps every finished scenario, for the report. */
    public synchronized void finished(Scenario scenario) {
        scenarios.add(scenario);
    }

    public synchronized List<Scenario> scenarios() {
        return List.copyOf(scenarios);
    }

    /** Records a finished scenario; a failure of a halting item puts a halt in force. */
    public synchronized void record(String scenario, List<String> items, Status status, String reason) {
        for (String id : items) {
            outcomes.computeIfAbsent(id, k -> new ArrayList<>()).add(new Outcome(id, scenario, status, reason));
            if (status == Status.FAILED && !waived.contains(id)) {
                runbook.item(id).filter(i -> i.halt().isPresent()).ifPresent(i -> halts.add(new Halt(i, scenario, firstLine(reason))));
            }
        }
    }

    /**
     * The halt that applies to a scenario proving these items, if any: a halt raised in an earlier
     * section. Items of the halting section itself still run (section 1 is checked in full before
     * it halts, as the runbook says). The caller does not run the scenario unless the operator
     * chose to {@link #continuePastHalt() continue past halts}.
     */
    public synchronized Optional<Halt> haltFor(List<String> items) {
        if (halts.isEmpty()) {
            return Optional.empty();
        }
        Halt first = halts.get(0);
        for (String id : items) {
            String section = runbook.item(id).map(Runbook.Item::section).orElse(id.split("\\.")[0]);
            if (runbook.compareSections(section, first.item().section()) > 0) {
                return Optional.of(first);
            }
        }
        return Optional.empty();
    }

    public synchronized List<Halt> halts() {
        return List.copyOf(halts);
    }

    public synchronized List<Outcome> outcomes(String item) {
        return List.copyOf(outcomes.getOrDefault(item, List.of()));
    }

    /**
     * A handoff criterion's verdict derived from the items it rests on: it holds when every
     * scenario of those items passed or was skipped as not applicable and at least one passed.
     * Returns the problems, empty when the criterion holds.
     */
    public synchronized List<String> derive(List<String> sources) {
        Derivation d = derivation(sources);
        List<String> problems = new ArrayList<>(d.failed());
        problems.addAll(d.unproven());
        return problems;
    }

    /**
     * A handoff criterion's evidence, sorted: what disproves it ({@code failed}: an item it rests
     * on failed, or a halt kept it from running) and what leaves it unproven in this run
     * ({@code unproven}: an item it rests on was not run, or only skipped). A read-only audit that
     * leaves the drills out has unproven criteria, not failed ones.
     */
    public record Derivation(List<String> failed, List<String> unproven) {
        public boolean holds() {
            return failed.isEmpty() && unproven.isEmpty();
        }
    }

    public synchronized Derivation derivation(List<String> sources) {
        List<String> failed = new ArrayList<>();
        List<String> unproven = new ArrayList<>();
        for (String id : sources) {
            List<Outcome> list = outcomes.getOrDefault(id, List.of());
            String title = runbook.item(id).map(Runbook.Item::title).orElse("");
            if (list.isEmpty()) {
                unproven.add(id + " (" + title + ") was not run in this run: no evidence");
                continue;
            }
            for (Outcome o : list) {
                switch (o.status()) {
                    case FAILED -> failed.add(id + " (" + title + ") failed in \"" + o.scenario() + "\": " + firstLine(o.reason()));
                    case NOT_RUN -> failed.add(id + " (" + title + ") was not run: " + firstLine(o.reason()));
                    default -> { }
                }
            }
            if (list.stream().noneMatch(o -> o.status() == Status.PASSED) && list.stream().allMatch(o -> o.status() == Status.SKIPPED)) {
                unproven.add(id + " (" + title + ") has no passing scenario, only skipped ones: "
                        + list.stream().map(o -> firstLine(o.reason())).distinct().collect(Collectors.joining("; ")));
            }
        }
        return new Derivation(List.copyOf(failed), List.copyOf(unproven));
    }

    /** The items derived evidence rests on: the outcomes, one line each, for the report. */
    public synchronized String evidenceOf(List<String> sources) {
        StringBuilder out = new StringBuilder();
        for (String id : sources) {
            for (Outcome o : outcomes.getOrDefault(id, List.of())) {
                out.append(id).append("  ").append(o.status()).append("  ").append(o.scenario());
                if (o.status() != Status.PASSED && !o.reason().isEmpty()) {
                    out.append("  (").append(firstLine(o.reason())).append(')');
                }
                out.append('\n');
            }
            if (!outcomes.containsKey(id)) {
                out.append(id).append("  NO EVIDENCE IN THIS RUN\n");
            }
        }
        return out.toString();
    }

    /** The first line of a message, stripped. */
    public static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        String t = text.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
