package io.triad.profile.sfa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The MongoDB replica set as its members tell it, from mongosh's relaxed Extended JSON
 * ({@code EJSON.stringify(rs.status())}, {@code EJSON.stringify(db.hello())},
 * {@code EJSON.stringify(db.getReplicationInfo())}), and the runbook's health check on it: what
 * {@code rs.status()} says is cross-checked against what each member says of itself. A member's
 * row in another member's {@code rs.status()} comes from heartbeats; its own {@code hello()} and
 * its own optime are read on it. A secondary whose own last operation is from an older term than
 * the primary's has not replicated the primary's election (MongoDB's counterpart of a standby on
 * an old timeline), whatever its row says.
 */
public final class Mongo {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Mongo() { }

    /** A member's row in {@code rs.status()}: its name, health (1 up), state, its newest operation's time and term, its sync source. */
    public record Member(String name, int health, String state, Instant optime, long term, String syncSource, boolean self) { }

    /** {@code rs.status()} as one member answers it. */
    public record Status(String set, long term, List<Member> members) {

        public Member self() {
            return members.stream().filter(Member::self).findFirst().orElse(null);
        }

        public List<Member> primaries() {
            return members.stream().filter(m -> m.state().equals("PRIMARY")).toList();
        }
    }

    /** {@code db.hello()} on one member: the set it belongs to, itself, whether it takes writes, the primary it knows. */
    public record Hello(String setName, String me, boolean writablePrimary, boolean secondary, String primary) { }

    static JsonNode tree(String json, String what) {
        try {
            JsonNode n = JSON.readTree(json == null || json.isBlank() ? "null" : json.strip());
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException(what + ": no document (" + firstLine(json) + ")");
            }
            if (n.has("ok") && n.path("ok").asDouble(1) == 0) {
                throw new IllegalArgumentException(what + ": " + n.path("errmsg").asText("refused") + " (" + n.path("codeName").asText("") + ")");
            }
            return n;
        } catch (IOException e) {
            throw new IllegalArgumentException(what + ": not Extended JSON (" + firstLine(json) + ")");
        }
    }

    private static String firstLine(String s) {
        return s == null || s.isBlank() ? "no output" : s.strip().lines().findFirst().orElse("");
    }

    /** An Extended JSON date: {"$date": "2024-05-01T10:00:00.000Z"} (relaxed), {"$date": {"$numberLong": "..."}} (canonical) or a bare ISO string. */
    static Instant date(JsonNode n) {
        JsonNode d = n.has("$date") ? n.get("$date") : n;
        if (d.isTextual()) {
            return Instant.parse(d.asText());
        }
        if (d.has("$numberLong")) {
            return Instant.ofEpochMilli(Long.parseLong(d.get("$numberLong").asText()));
        }
        if (d.isNumber()) {
            return Instant.ofEpochMilli(d.asLong());
        }
        return null;
    }

    /** An Extended JSON integer, plain (relaxed) or {"$numberLong": "..."} / {"$numberInt": "..."} (canonical). */
    static long number(JsonNode n) {
        if (n.has("$numberLong")) {
            return Long.parseLong(n.get("$numberLong").asText());
        }
        if (n.has("$numberInt")) {
            return Long.parseLong(n.get("$numberInt").asText());
        }
        if (n.has("$numberDouble")) {
            return (long) Double.parseDouble(n.get("$numberDouble").asText());
        }
        return n.asLong(-1);
    }

    /** {@code rs.status()}; a member answering that it has no replica set configuration is refused with MongoDB's own message. */
    public static Status status(String json) {
        JsonNode n = tree(json, "rs.status()");
        if (!n.path("members").isArray()) {
            throw new IllegalArgumentException("rs.status(): no members list");
        }
        List<Member> members = new ArrayList<>();
        for (JsonNode m : n.path("members")) {
            JsonNode optime = m.path("optime");
            boolean self = m.path("self").asBoolean(false);
            // the asked member's own sync source is also at the top of its answer
            String source = m.path("syncSourceHost").asText(self ? n.path("syncSourceHost").asText("") : "");
            members.add(new Member(m.path("name").asText(), (int) number(m.path("health")), m.path("stateStr").asText(""),
                    m.has("optimeDate") ? date(m.path("optimeDate")) : null, optime.has("t") ? number(optime.path("t")) : -1,
                    source.isEmpty() && self ? n.path("syncSourceHost").asText("") : source, self));
        }
        return new Status(n.path("set").asText(""), number(n.path("term")), List.copyOf(members));
    }

    public static Hello hello(String json) {
        JsonNode n = tree(json, "db.hello()");
        return new Hello(n.path("setName").asText(""), n.path("me").asText(""),
                n.path("isWritablePrimary").asBoolean(n.path("ismaster").asBoolean(false)), n.path("secondary").asBoolean(false),
                n.path("primary").asText(""));
    }

    /** {@code db.getReplicationInfo()}: the time between the oplog's first and last entries (what a member down that long can still catch up on). */
    public static Duration oplogWindow(String json) {
        JsonNode n = tree(json, "db.getReplicationInfo()");
        if (n.has("errmsg")) {
            throw new IllegalArgumentException("db.getReplicationInfo(): " + n.path("errmsg").asText());
        }
        if (!n.has("timeDiff")) {
            throw new IllegalArgumentException("db.getReplicationInfo(): no timeDiff");
        }
        return Duration.ofSeconds(number(n.path("timeDiff")));
    }

    /**
     * What is wrong with the replica set, from every member's own answers: the members each knows
     * (the inventory's, all of them), one writable primary and the rest secondaries by their own
     * word, a primary every member names alike, every member healthy in every view, each
     * secondary's own newest operation on the primary's term and within {@code lagBound} of the
     * primary's own, each secondary syncing from a member of the set. An empty list is a healthy set.
     */
    public static List<String> problems(Set<String> inventory, Map<String, Status> status, Map<String, Hello> hello, Duration lagBound) {
        List<String> out = new ArrayList<>();
        for (String member : inventory) {
            if (!status.containsKey(member) || !hello.containsKey(member)) {
                out.add(member + " did not answer");
            }
        }
        Set<String> sets = new TreeSet<>();
        status.values().forEach(s -> sets.add(s.set()));
        hello.values().forEach(h -> sets.add(h.setName()));
        if (sets.size() > 1) {
            out.add("the members name different replica sets: " + sets);
        }
        Map<String, String> primaryNamed = new TreeMap<>();
        status.forEach((asked, s) -> {
            Set<String> names = new TreeSet<>();
            s.members().forEach(m -> names.add(m.name()));
            if (!names.equals(new TreeSet<>(inventory))) {
                out.add(asked + "'s rs.status() lists " + names + ", not the inventory's " + new TreeSet<>(inventory));
            }
            for (Member m : s.members()) {
                if (m.health() != 1) {
                    out.add(asked + " sees " + m.name() + " down (health " + m.health() + ", " + m.state() + ")");
                } else if (!m.state().equals("PRIMARY") && !m.state().equals("SECONDARY")) {
                    out.add(asked + " sees " + m.name() + " in state " + m.state() + ", not PRIMARY or SECONDARY");
                }
            }
            List<Member> p = s.primaries();
            if (p.size() != 1) {
                out.add(asked + "'s rs.status() shows " + p.size() + " primaries " + p.stream().map(Member::name).toList());
            }
            primaryNamed.put(asked, p.size() == 1 ? p.get(0).name() : "");
        });
        List<String> writable = hello.entrySet().stream().filter(e -> e.getValue().writablePrimary()).map(Map.Entry::getKey).toList();
        if (writable.size() != 1) {
            out.add(writable.size() + " members say they take writes (db.hello().isWritablePrimary): " + writable);
        }
        hello.forEach((asked, h) -> {
            if (!h.writablePrimary() && !h.secondary()) {
                out.add(asked + " says it is neither primary nor secondary");
            }
            primaryNamed.merge(asked, h.primary(), (a, b) -> a.equals(b) ? a : a + " / " + b);
        });
        if (new TreeSet<>(primaryNamed.values()).size() > 1) {
            out.add("the members name different primaries: " + primaryNamed);
        }
        if (writable.size() == 1 && status.containsKey(writable.get(0))) {
            Member primary = status.get(writable.get(0)).self();
            status.forEach((asked, s) -> {
                Member self = s.self();
                if (asked.equals(writable.get(0)) || self == null || primary == null || primary.optime() == null) {
                    return;
                }
                if (self.term() < primary.term()) {
                    out.add(asked + "'s newest operation is from term " + self.term() + ", the primary's from term " + primary.term()
                            + ": it has not replicated the primary's election");
                }
                if (self.optime() == null) {
                    out.add(asked + " reports no optime of its own");
                } else {
                    Duration lag = Duration.between(self.optime(), primary.optime());
                    if (lag.compareTo(lagBound) > 0) {
                        out.add(asked + " is " + lag.toMillis() / 1000.0 + " s behind the primary (bound " + lagBound.toSeconds() + " s)");
                    }
                }
                if (self.syncSource().isEmpty() || !inventory.contains(self.syncSource())) {
                    out.add(asked + " syncs from " + (self.syncSource().isEmpty() ? "no member" : self.syncSource() + ", not a member of the inventory"));
                }
            });
        }
        return out;
    }
}
