package io.triad.profile.sfa;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The MongoDB replica set as its members tell it, from mongosh's relaxed Extended JSON
 * ({@code EJSON.stringify(rs.status())}, {@code EJSON.stringify(db.hello())},
 * {@code EJSON.stringify(db.getReplicationInfo())}) or the shell's own printed form of the same
 * documents (what {@code rs.status()} prints when typed at the prompt; see {@link #tree}), and the
 * runbook's health check on it: what
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

    /** Lenient reading for the shell's printed form: unquoted keys and single quotes (mongosh), a trailing comma. */
    private static final ObjectMapper SHELL = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES, JsonReadFeature.ALLOW_SINGLE_QUOTES, JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build();

    /** A shell error line in place of a document: "MongoServerError: ..." (mongosh 2 adds the code name: "MongoServerError[NotYetInitialized]: ..."). */
    private static final Pattern SHELL_ERROR = Pattern.compile("^(Mongo\\w*Error(\\[\\w+])?|MongoError|Error): .*");

    /**
     * The document an answer holds: Extended JSON as {@code EJSON.stringify} prints it, or the
     * shell's own printed form (the legacy mongo shell's {@code ISODate("...")},
     * {@code NumberLong(1)}, {@code Timestamp(1572598224, 1)}, or mongosh's unquoted keys and
     * {@code Long('1')}), read as the same Extended JSON. A refusal ({@code ok: 0}) or a shell
     * error line is refused with MongoDB's own words.
     */
    static JsonNode tree(String json, String what) {
        String text = json == null ? "" : json.strip();
        String first = firstLine(text);
        if (SHELL_ERROR.matcher(first).matches()) {
            throw new IllegalArgumentException(what + ": " + first);
        }
        JsonNode n;
        try {
            n = JSON.readTree(text.isEmpty() ? "null" : text);
        } catch (IOException strict) {
            try {
                n = SHELL.readTree(extendedJson(text));
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(what + ": not Extended JSON (" + first + ")");
            }
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(what + ": no document (" + first + ")");
        }
        if (n.has("ok") && n.path("ok").asDouble(1) == 0) {
            throw new IllegalArgumentException(what + ": " + n.path("errmsg").asText("refused") + " (" + n.path("codeName").asText("") + ")");
        }
        return n;
    }

    /**
     * The shell's printed form rewritten as Extended JSON: each constructor the shells print
     * ({@code ISODate}, {@code Date}, {@code NumberLong}, {@code Long}, {@code NumberInt},
     * {@code Int32}, {@code Double}, {@code NumberDecimal}, {@code Decimal128}, {@code Timestamp},
     * {@code ObjectId}, {@code BinData}, {@code UUID}, with or without {@code new}) becomes its
     * Extended JSON value; quoted text is copied as it is. An unknown constructor becomes a string
     * of its text.
     */
    static String extendedJson(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                int end = stringEnd(text, i);
                out.append(text, i, end);
                i = end;
            } else if (Character.isJavaIdentifierStart(c)) {
                int j = i;
                while (j < text.length() && (Character.isJavaIdentifierPart(text.charAt(j)) || text.charAt(j) == '.')) {
                    j++;
                }
                String name = text.substring(i, j);
                int k = j;
                while (k < text.length() && text.charAt(k) == ' ') {
                    k++;
                }
                if (name.equals("new") && k > j) {
                    i = k;
                } else if (k < text.length() && text.charAt(k) == '(') {
                    int close = closing(text, k);
                    out.append(constructor(name, text.substring(k + 1, close).strip()));
                    i = close + 1;
                } else {
                    out.append(name);
                    i = j;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int stringEnd(String text, int start) {
        char quote = text.charAt(start);
        int i = start + 1;
        while (i < text.length() && text.charAt(i) != quote) {
            i += text.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i + 1, text.length());
    }

    private static int closing(String text, int open) {
        int depth = 0;
        int i = open;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                i = stringEnd(text, i);
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
            i++;
        }
        throw new IllegalArgumentException("unbalanced " + text.substring(open, Math.min(text.length(), open + 40)));
    }

    private static String unquote(String arg) {
        String a = arg.strip();
        return a.length() >= 2 && (a.charAt(0) == '"' || a.charAt(0) == '\'') ? a.substring(1, a.length() - 1) : a;
    }

    private static String quoted(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String constructor(String name, String args) {
        switch (name) {
            case "ISODate", "Date":
                return "{\"$date\": " + quoted(unquote(args)) + "}";
            case "NumberLong", "Long", "NumberInt", "Int32", "Double", "NumberDecimal", "Decimal128":
                return unquote(args);
            case "Timestamp": {
                if (args.startsWith("{")) {
                    return "{\"$timestamp\": " + args + "}";
                }
                String[] ti = args.split(",");
                return "{\"$timestamp\": {\"t\": " + ti[0].strip() + ", \"i\": " + (ti.length > 1 ? ti[1].strip() : "0") + "}}";
            }
            case "ObjectId":
                return "{\"$oid\": " + quoted(unquote(args)) + "}";
            case "BinData": {
                String[] st = args.split(",", 2);
                return "{\"$binary\": {\"base64\": " + quoted(unquote(st.length > 1 ? st[1] : "")) + ", \"subType\": "
                        + quoted(String.format("%02x", Integer.parseInt(st[0].strip()))) + "}}";
            }
            case "UUID":
                return "{\"$uuid\": " + quoted(unquote(args)) + "}";
            default:
                return quoted(name + "(" + args + ")");
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
            // syncSourceHost since 4.0 (3.6.6, 3.4.16), syncingTo before it (and beside it up to 4.2);
            // the asked member's own sync source is also at the top of its answer
            String source = syncSource(m);
            members.add(new Member(m.path("name").asText(), (int) number(m.path("health")), m.path("stateStr").asText(""),
                    m.has("optimeDate") ? date(m.path("optimeDate")) : null, optime.has("t") ? number(optime.path("t")) : -1,
                    source.isEmpty() && self ? syncSource(n) : source, self));
        }
        return new Status(n.path("set").asText(""), number(n.path("term")), List.copyOf(members));
    }

    private static String syncSource(JsonNode n) {
        String host = n.path("syncSourceHost").asText("");
        return host.isEmpty() ? n.path("syncingTo").asText("") : host;
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
     * What one member's {@code rs.status()} shows wrong on its own: not the inventory's members,
     * a member down or neither primary nor secondary, not exactly one primary.
     */
    public static List<String> viewProblems(String asked, Status s, Set<String> inventory) {
        List<String> out = new ArrayList<>();
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
        return out;
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
            out.addAll(viewProblems(asked, s, inventory));
            List<Member> p = s.primaries();
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
