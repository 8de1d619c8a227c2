package io.triad.run;

import io.triad.runbook.Runbook;
import org.junit.platform.engine.TestTag;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.function.BooleanSupplier;

/**
 * When each scenario of a run may start and end, so that scenarios can run side by side
 * ({@code --jobs N}) and the run still proves what a run of one scenario after the other proves,
 * in the same order.
 * <ul>
 * <li>A scenario that needs the zone to itself (it declares a fault, {@code @fault:}, or is a
 * drill, {@code @drill:}) or that reads what earlier scenarios proved (a runbook item derived
 * from others, a handoff criterion) starts when every scenario before it is done, and no
 * scenario after it starts before it is done: it runs alone, as in a sequential run.</li>
 * <li>Any other scenario (it reads the zone) starts once every such scenario before it is done,
 * and every scenario before it whose failure would halt it (an item with a "Halt if" in an earlier
 * section), so that the halts in force when it starts are those of a run of one scenario after the
 * other; at most {@code jobs} of them run their steps at once; a place that comes free goes to the
 * one that took longest last time among those waiting that may start (then the earliest), so that
 * a long one does not start last.</li>
 * <li>Every scenario ends in the run's order: its last hook waits until every scenario before it
 * is done ({@link #awaitEarlier}), so the results are recorded in the order of a run of one
 * scenario after the other.</li>
 * </ul>
 * With one job every scenario starts when the one before it is done: a sequential run.
 * Thread-safe; the waits let the JUnit Platform's fork-join pool run other scenarios meanwhile.
 */
public final class Turns {

    /** A scenario's place in the run, on the thread that runs it. */
    public record Turn(int index, boolean alone) {
        /** It runs beside others: its evidence, tags and progress are its own (per thread). */
        public boolean besideOthers(Turns turns) {
            return !alone && turns.jobs > 1;
        }
    }

    private final int jobs;
    private final Runbook runbook;
    private int running; // scenarios beside others that hold a place
    /** How long each scenario took last time, in ms (0: not known): the longest waiting takes a free place first. */
    private long[] expected = new long[0];
    /** The scenarios waiting for a place, the longest expected first, then in the run's order. */
    private final java.util.TreeSet<Integer> waiting = new java.util.TreeSet<>(
            java.util.Comparator.comparingLong((Integer i) -> -expected[i]).thenComparingInt(i -> i));
    private final Object lock = new Object();
    private final Map<String, Integer> index = new HashMap<>();
    private final List<Boolean> alone = new ArrayList<>();
    private final List<List<String>> sections = new ArrayList<>();        // the sections of each one's items
    private final List<List<String>> haltingSections = new ArrayList<>(); // those of its items with a "Halt if"
    private boolean[] done = new boolean[0];
    private int doneBefore; // every scenario below this index is done
    private final ThreadLocal<Turn> current = new ThreadLocal<>();
    private final ThreadLocal<Boolean> holding = new ThreadLocal<>();

    /** One scenario after the other (a dry run, a run of the harness's own tests). */
    public static Turns sequential() {
        return new Turns(1, null);
    }

    public Turns(int jobs, Runbook runbook) {
        this(jobs, runbook, false);
    }

    /**
     * {@code optimistic}: a scenario that reads the zone does not wait for the earlier ones whose
     * failure would halt it; it says so when, at its end, a halt applies to it
     * ({@link #ranUnderHalt(String)}), and the caller makes the run again one after the other. Only
     * for a run in which no scenario applies a fault.
     */
    public Turns(int jobs, Runbook runbook, boolean optimistic) {
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be at least 1, not " + jobs);
        }
        this.jobs = jobs;
        this.runbook = runbook;
        this.optimistic = optimistic;
    }

    private final boolean optimistic;
    private final List<String> underHalt = java.util.Collections.synchronizedList(new ArrayList<>());

    /** A scenario that ran beside others finds, at its end, that a halt applies to it: it would not have run one after the other. */
    public void ranUnderHalt(String scenario) {
        underHalt.add(scenario);
    }

    /** The scenarios that ran although a halt applies to them (an optimistic run's; the run is then made again). */
    public List<String> ranUnderHalt() {
        return List.copyOf(underHalt);
    }

    public int jobs() {
        return jobs;
    }

    /** Whether a scenario with these tags (Cucumber's, with their '@') must run alone. */
    public boolean alone(java.util.Collection<String> tags) {
        if (jobs == 1) {
            return true;
        }
        for (String tag : tags) {
            if (tag.equals("@disruptive") || tag.startsWith("@fault:") || tag.startsWith("@drill:")) {
                return true;
            }
        }
        if (runbook != null) {
            for (String id : Runbook.idsIn(tags)) {
                if (runbook.item(id).map(i -> !i.derivedFrom().isEmpty()).orElse(false)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A scenario of the run: its unique id, its tags (with their '@'), and how long it took last
     * time (ms; 0 when not known).
     */
    public record Planned(String id, java.util.Collection<String> tags, long expectedMs) { }

    /** The run's scenarios, in the order a sequential run takes them (the plan's order); {@code lastTime}: ms by unique id. */
    public void plan(TestPlan plan, java.util.Map<String, Long> lastTime) {
        List<TestIdentifier> tests = new ArrayList<>();
        for (TestIdentifier root : plan.getRoots()) {
            collect(plan, root, tests);
        }
        plan(tests.stream().map(t -> new Planned(t.getUniqueId(),
                t.getTags().stream().map(TestTag::getName).map(n -> "@" + n).toList(),
                lastTime.getOrDefault(t.getUniqueId(), 0L))).toList());
    }

    /** The run's scenarios, in the order a sequential run takes them. */
    public void plan(List<Planned> scenarios) {
        synchronized (lock) {
            index.clear();
            alone.clear();
            sections.clear();
            haltingSections.clear();
            for (Planned p : scenarios) {
                index.put(p.id(), alone.size());
                alone.add(alone(p.tags()));
                List<String> mine = new ArrayList<>();
                List<String> halting = new ArrayList<>();
                for (String id : Runbook.idsIn(p.tags())) {
                    Optional<Runbook.Item> item = runbook == null ? Optional.empty() : runbook.item(id);
                    mine.add(item.map(Runbook.Item::section).orElse(id.split("\\.")[0]));
                    item.filter(it -> it.halt().isPresent()).ifPresent(it -> halting.add(it.section()));
                }
                sections.add(mine);
                haltingSections.add(halting);
            }
            done = new boolean[scenarios.size()];
            expected = scenarios.stream().mapToLong(Planned::expectedMs).toArray();
            doneBefore = 0;
        }
    }

    private static void collect(TestPlan plan, TestIdentifier id, List<TestIdentifier> out) {
        if (id.isTest()) {
            out.add(id);
        }
        for (TestIdentifier child : plan.getChildren(id)) {
            collect(plan, child, out);
        }
    }

    /**
     * Called on the thread about to run the scenario, before any of its hooks: returns when it
     * may start (see the class's rules), holding one of the {@code jobs} places when it runs
     * beside others. Unknown tests (not in the plan) start at once.
     */
    public Optional<Turn> awaitStart(String test) {
        Integer i;
        boolean mine;
        synchronized (lock) {
            i = index.get(test);
            if (i == null) {
                return Optional.empty();
            }
            mine = alone.get(i);
        }
        int at = i;
        if (mine) {
            await(() -> doneBefore >= at, () -> { });
        } else {
            synchronized (lock) {
                waiting.add(at);
            }
            // a free place goes to the first that may start among those waiting, the longest expected first
            await(() -> running < jobs && next() == at, () -> {
                waiting.remove(at);
                running++;
                // the next one waiting may now be first: it may be waiting already, having found this one first
                lock.notifyAll();
            });
            holding.set(true);
        }
        Turn turn = new Turn(at, mine);
        current.set(turn);
        return Optional.of(turn);
    }

    /** The turn of the scenario this thread runs, if it is one of the plan's. */
    public Optional<Turn> current() {
        return Optional.ofNullable(current.get());
    }

    /** Whether the scenario on this thread runs beside others (its evidence and tags are then its own). */
    public boolean besideOthers() {
        Turn t = current.get();
        return t != null && t.besideOthers(this);
    }

    /**
     * The scenario on this thread has done its work: it gives up its place, then waits until every
     * scenario before it is done (their results recorded, their halts in force).
     */
    public void awaitEarlier() {
        Turn t = current.get();
        if (t == null) {
            return;
        }
        givePlaceBack();
        workEnded.set(System.nanoTime());
        await(() -> doneBefore >= t.index(), () -> { });
    }

    private final ThreadLocal<Long> workEnded = new ThreadLocal<>();

    /**
     * When the scenario on this thread ended its work ({@link #awaitEarlier}'s call, before its wait
     * for the scenarios before it), in {@link System#nanoTime()}'s terms; empty if it has not.
     */
    public java.util.OptionalLong workEnded() {
        Long t = workEnded.get();
        return t == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(t);
    }

    /** A scenario ran, or was skipped (also a container: every scenario under it), on any thread. */
    public void finished(TestIdentifier test, TestPlan plan) {
        List<TestIdentifier> under = new ArrayList<>();
        collect(plan, test, under);
        finished(under.stream().map(TestIdentifier::getUniqueId).toList());
    }

    /**
     * These scenarios are done (ran, or were skipped). The one this thread ran, if it is among
     * them, gives its place back.
     */
    public void finished(List<String> tests) {
        Turn t = current.get();
        synchronized (lock) {
            for (String id : tests) {
                Integer i = index.get(id);
                if (i == null) {
                    continue;
                }
                done[i] = true;
                if (t != null && t.index() == i) {
                    givePlaceBack();
                    current.remove();
                    workEnded.remove();
                }
            }
            while (doneBefore < done.length && done[doneBefore]) {
                doneBefore++;
            }
            lock.notifyAll();
        }
    }

    private void givePlaceBack() {
        if (Boolean.TRUE.equals(holding.get())) {
            holding.remove();
            synchronized (lock) {
                running--;
                lock.notifyAll();
            }
        }
    }

    /** The waiting scenario a free place goes to: the first of them (longest expected, then earliest) that may start; -1 if none. */
    private int next() {
        for (int w : waiting) {
            if (everyAloneDoneBefore(w) && (optimistic || everyHaltKnownFor(w))) {
                return w;
            }
        }
        return -1;
    }

    /**
     * Every scenario before {@code at} whose failure would halt it is done: one proving an item with
     * a "Halt if" of a section before one of {@code at}'s (see {@link io.triad.runbook.Ledger#haltFor}),
     * so the halts in force when it starts are those of a run of one scenario after the other.
     */
    private boolean everyHaltKnownFor(int at) {
        for (int j = doneBefore; j < at; j++) {
            if (!done[j] && halts(j, at)) {
                return false;
            }
        }
        return true;
    }

    private boolean halts(int j, int at) {
        for (String halting : haltingSections.get(j)) {
            for (String section : sections.get(at)) {
                if (runbook != null && runbook.compareSections(section, halting) > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean everyAloneDoneBefore(int at) {
        for (int j = doneBefore; j < at; j++) {
            if (alone.get(j) && !done[j]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits until {@code condition} holds, then runs {@code then}, both under the lock (so what the
     * condition saw is still so); a fork-join worker lets the pool run others meanwhile.
     */
    private void await(BooleanSupplier condition, Runnable then) {
        boolean[] taken = new boolean[1];
        try {
            ForkJoinPool.managedBlock(new Blocker(() -> {
                synchronized (lock) {
                    if (!taken[0] && condition.getAsBoolean()) {
                        then.run();
                        taken[0] = true;
                    }
                    return taken[0];
                }
            }, () -> {
                synchronized (lock) {
                    while (!taken[0] && !condition.getAsBoolean()) {
                        lock.wait();
                    }
                    if (!taken[0]) {
                        then.run();
                        taken[0] = true;
                    }
                    return true;
                }
            }));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the scenarios before this one", e);
        }
    }

    /** A wait the fork-join pool knows of. */
    private record Blocker(BooleanSupplier ready, Waiting waiting) implements ForkJoinPool.ManagedBlocker {
        interface Waiting {
            boolean await() throws InterruptedException;
        }

        @Override
        public boolean block() throws InterruptedException {
            return waiting.await();
        }

        @Override
        public boolean isReleasable() {
            return ready.getAsBoolean();
        }
    }
}
