package io.triad.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a drill saw, in the order it happened: samples of every node's state, client operations
 * through the VIP (each with its invoke and complete instants and an outcome of ok, fail or
 * unknown), the faults with their start and end, the nodes' own log of their transitions, and the
 * final read after the heal. Appended to from several threads while recording; the checkers read it
 * afterwards. Stored as JSON lines.
 */
public final class History {

    /** What one node looked like at some instant between {@code start} and {@code end} (the node's clock). */
    public record Sample(String node, Instant start, Instant end, Map<String, String> states) {
        public Sample {
            states = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(states));
        }

        /** Whether the node held {@code resource} (its state reads "true"): the VIP, the active controller, a leadership. */
        public boolean holds(String resource) {
            return "true".equals(states.get(resource));
        }

        /** A named state as sampled ("" when the sample has none). */
        public String state(String name) {
            return states.getOrDefault(name, "");
        }

        /** The sampled states as written in the history, in order: "name=value ...". */
        public String describeStates() {
            StringBuilder out = new StringBuilder();
            states.forEach((k, v) -> out.append(out.length() == 0 ? "" : " ").append(k).append('=').append(v));
            return out.toString();
        }
    }

    /**
     * A resource at most one node may hold at any instant (the VIP, the active controller, a
     * primary, a leader), named as the samples name its state; {@code lane} names it in a
     * timeline ("VIP"), {@code held} its bars ("VIP held"), {@code two} a violation ("two VIP
     * holders").
     */
    public record Resource(String name, String lane, String held, String two) { }

    /**
     * How the timeline shows the zone serving its clients: the client operations of type {@code op}
     * that were answered, on a lane per answering node ({@code lane}, bars labelled {@code answered}),
     * and those no node answered well on one lane of their own ({@code noneLane}, {@code none}).
     */
    public record Serving(String op, String lane, String answered, String noneLane, String none) { }

    /** The outcome of a client operation: a timeout after sending is unknown, not failed. */
    public enum Outcome { OK, FAIL, UNKNOWN }

    /**
     * One client operation: a write or a health probe through the VIP. {@code node} is the node that
     * answered (from the answer's body), {@code status} the HTTP status or -1.
     */
    public record Op(String kind, String id, Instant invoke, Instant complete, Outcome outcome, int status, String node,
                     String detail) {
        public boolean ok() {
            return outcome == Outcome.OK;
        }

        public Duration latency() {
            return Duration.between(invoke, complete);
        }
    }

    /** A fault, from the instant it was applied to the instant its undo began (null while applied). */
    public record Fault(String name, String target, Instant start, Instant end) {
        public boolean covers(Instant t) {
            return !t.isBefore(start) && (end == null || t.isBefore(end));
        }
    }

    /**
     * A line a node's own services logged (keepalived's VRRP transitions, the lease agent's grants
     * and VIP moves), stamped by the node's journal: the zone's own record, next to what the
     * harness measured.
     */
    public record Log(String node, Instant at, String source, String message) { }

    /** The write ids found in the stream after the heal; {@code complete} is false when the read could not finish. */
    public record FinalRead(Instant at, Set<String> ids, boolean complete, String detail) { }

    private final List<Sample> samples = new ArrayList<>();
    private final List<Op> ops = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();
    private final List<Log> logs = new ArrayList<>();
    private final Set<Log> logsKept = new java.util.HashSet<>();
    private FinalRead finalRead;

    public synchronized void add(Sample s) {
        samples.add(s);
    }

    public synchronized void add(Op op) {
        ops.add(op);
    }

    /** Records a fault as applied now; returns its index for {@link #healed}. */
    public synchronized int faultStarted(String name, String target, Instant at) {
        faults.add(new Fault(name, target, at, null));
        return faults.size() - 1;
    }

    public synchronized void healed(int index, Instant at) {
        Fault f = faults.get(index);
        if (f.end() == null) {
            faults.set(index, new Fault(f.name(), f.target(), f.start(), at));
        }
    }

    public synchronized void add(Fault f) {
        faults.add(f);
    }

    /** Keeps a node's log line; a line already kept (a log read again: same node, instant, source and text) is kept once. */
    public synchronized void add(Log l) {
        if (logsKept.add(l)) {
            logs.add(l);
        }
    }

    /** Every node log line kept, ordered by its journal time. */
    public synchronized List<Log> logs() {
        List<Log> out = new ArrayList<>(logs);
        out.sort(Comparator.comparing(Log::at));
        return out;
    }

    public synchronized void finalRead(FinalRead read) {
        this.finalRead = read;
    }

    /** Every sample, ordered by its start. */
    public synchronized List<Sample> samples() {
        List<Sample> out = new ArrayList<>(samples);
        out.sort(Comparator.comparing(Sample::start));
        return out;
    }

    /** Every operation, ordered by its invoke instant. */
    public synchronized List<Op> ops() {
        List<Op> out = new ArrayList<>(ops);
        out.sort(Comparator.comparing(Op::invoke));
        return out;
    }

    public List<Op> ops(String kind) {
        return ops().stream().filter(o -> o.kind().equals(kind)).toList();
    }

    public synchronized List<Fault> faults() {
        return List.copyOf(faults);
    }

    /** The most recent fault of that name, if it was applied during the recording. */
    public Optional<Fault> fault(String name) {
        List<Fault> all = faults();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).name().equals(name)) {
                return Optional.of(all.get(i));
            }
        }
        return Optional.empty();
    }

    public synchronized Optional<FinalRead> finalRead() {
        return Optional.ofNullable(finalRead);
    }

    // ---- JSON lines --------------------------------------------------------------------------

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One JSON object per line, in time order: samples, operations, faults, then the final read. */
    public String toJsonLines() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Fault f : faults()) {
            Map<String, Object> m = row("fault", f.start());
            m.put("name", f.name());
            m.put("target", f.target());
            m.put("end", f.end() == null ? null : f.end().toString());
            rows.add(m);
        }
        for (Sample s : samples()) {
            Map<String, Object> m = row("sample", s.start());
            m.put("node", s.node());
            m.put("end", s.end().toString());
            s.states().forEach((k, v) -> m.put(k, v.equals("true") || v.equals("false") ? (Object) Boolean.valueOf(v) : v));
            rows.add(m);
        }
        for (Op o : ops()) {
            Map<String, Object> m = row(o.kind(), o.invoke());
            m.put("id", o.id());
            m.put("complete", o.complete().toString());
            m.put("outcome", o.outcome().name().toLowerCase());
            m.put("status", o.status());
            m.put("node", o.node());
            m.put("detail", o.detail());
            rows.add(m);
        }
        for (Log l : logs()) {
            Map<String, Object> m = row("log", l.at());
            m.put("node", l.node());
            m.put("source", l.source());
            m.put("message", l.message());
            rows.add(m);
        }
        rows.sort(Comparator.comparing(m -> Instant.parse((String) m.get("at"))));
        finalRead().ifPresent(r -> {
            Map<String, Object> m = row("final-read", r.at());
            m.put("complete", r.complete());
            m.put("ids", List.copyOf(r.ids()));
            m.put("detail", r.detail());
            rows.add(m);
        });
        StringBuilder out = new StringBuilder();
        try {
            for (Map<String, Object> m : rows) {
                out.append(JSON.writeValueAsString(m)).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static Map<String, Object> row(String type, Instant at) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("at", at.toString());
        return m;
    }

    public void write(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, toJsonLines(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write history " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a history written by {@link #write}; a malformed line is named with its number. */
    public static History read(Path file) {
        History h = new History();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read history " + file + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(lines.get(i));
                Instant at = Instant.parse(n.get("at").asText());
                switch (n.get("type").asText()) {
                    case "fault" -> h.add(new Fault(n.get("name").asText(), n.get("target").asText(), at,
                            n.get("end").isNull() ? null : Instant.parse(n.get("end").asText())));
                    case "sample" -> {
                        Map<String, String> states = new LinkedHashMap<>();
                        n.fields().forEachRemaining(e -> {
                            if (!Set.of("type", "at", "node", "end").contains(e.getKey())) {
                                states.put(e.getKey(), e.getValue().asText());
                            }
                        });
                        h.add(new Sample(n.get("node").asText(), at, Instant.parse(n.get("end").asText()), states));
                    }
                    case "log" -> h.add(new Log(n.get("node").asText(), at, n.get("source").asText(),
                            n.get("message").asText()));
                    case "final-read" -> {
                        Set<String> ids = new LinkedHashSet<>();
                        n.get("ids").forEach(x -> ids.add(x.asText()));
                        h.finalRead(new FinalRead(at, ids, n.get("complete").asBoolean(), n.get("detail").asText()));
                    }
                    default -> h.add(new Op(n.get("type").asText(), n.get("id").asText(), at,
                            Instant.parse(n.get("complete").asText()), Outcome.valueOf(n.get("outcome").asText().toUpperCase()),
                            n.get("status").asInt(), n.get("node").asText(), n.get("detail").asText()));
                }
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + " is not a history record: " + e.getMessage(), e);
            }
        }
        return h;
    }
}
