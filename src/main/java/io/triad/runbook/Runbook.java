package io.triad.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A runbook as a list of items, each with its method, expected result and halt rule, read from
 * the profile's catalogue (src/main/resources/io/triad/runbook/&lt;profile&gt;.yaml). Scenarios name
 * the items they prove with {@code @runbook:<id>} tags.
 */
public final class Runbook {

    public static final String TAG_PREFIX = "@runbook:";
    /** {@code @runbook:<section>.<item>} or {@code @runbook:<section>}; ids of letters, digits and dashes ("1.6", "stage.3"). */
    private static final Pattern TAG = Pattern.compile("@runbook:([A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)?)");

    /**
     * One item of the runbook. {@code halt} is the runbook's "Halt if" text, empty where it has none;
     * {@code notCovered} the reason the harness does not check it (the catalogue's
     * {@code not_covered}), empty for an item a scenario proves.
     */
    public record Item(String id, String section, String title, String method, String expected,
                       Optional<String> halt, List<String> derivedFrom, Optional<String> notCovered) {
        public Item(String id, String section, String title, String method, String expected, Optional<String> halt, List<String> derivedFrom) {
            this(id, section, title, method, expected, halt, derivedFrom, Optional.empty());
        }

        @Override
        public String toString() {
            return id + " " + title;
        }
    }

    /** Who signs an acceptance where the runbook names no one: the one who ran it and the one who approves it. */
    public static final List<String> DEFAULT_SIGNOFF = List.of("performed_by", "approved_by");

    private final String name;
    private final Map<String, String> sections;
    private final Map<String, Item> items;
    private final List<String> signoff;

    private Runbook(String name, Map<String, String> sections, Map<String, Item> items, List<String> signoff) {
        this.name = name;
        this.sections = sections;
        this.items = items;
        this.signoff = signoff;
    }

    /**
     * The roles that sign an acceptance, as the runbook's sign-off table names them (the catalogue's
     * {@code signoff:}, e.g. deploying_engineer, platform_lead), {@link #DEFAULT_SIGNOFF} where it
     * names none; the keys of an environment's {@code acceptance.signoff} record.
     */
    public List<String> signoffRoles() {
        return signoff;
    }

    /** The catalogue of the named profile, e.g. "bsfg-triad". */
    public static Runbook forProfile(String profile) {
        String resource = "/io/triad/runbook/" + profile + ".yaml";
        try (InputStream in = Runbook.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no runbook catalogue " + resource + " for profile " + profile);
            }
            return parse(new ObjectMapper(new YAMLFactory()).readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fields an item of a catalogue may have. */
    static final List<String> ITEM_FIELDS = List.of("id", "title", "method", "expected", "halt", "derived", "not_covered");

    /** A runbook catalogue from its YAML tree (a profile's catalogue, or one a test builds). */
    public static Runbook parse(JsonNode root) {
        Map<String, String> sections = new LinkedHashMap<>();
        root.path("sections").fields().forEachRemaining(e -> sections.put(e.getKey(), e.getValue().asText()));
        Map<String, Item> items = new LinkedHashMap<>();
        for (JsonNode n : root.path("items")) {
            String id = n.path("id").asText();
            n.fieldNames().forEachRemaining(f -> {
                if (!ITEM_FIELDS.contains(f)) { // a misspelt field would be dropped without a word
                    throw new IllegalArgumentException("runbook catalogue item " + id + ": unknown field '" + f + "' (known: " + ITEM_FIELDS + ")");
                }
            });
            String section = id.contains(".") ? id.substring(0, id.indexOf('.')) : id;
            List<String> derived = new ArrayList<>();
            n.path("derived").forEach(d -> derived.add(d.asText()));
            String halt = n.path("halt").asText("");
            String notCovered = n.path("not_covered").asText("").strip();
            if (n.has("not_covered") && notCovered.isEmpty()) {
                throw new IllegalArgumentException("runbook catalogue item " + id + ": not_covered needs its reason");
            }
            items.put(id, new Item(id, section, n.path("title").asText(), n.path("method").asText(),
                    n.path("expected").asText(), halt.isEmpty() ? Optional.empty() : Optional.of(halt), List.copyOf(derived),
                    notCovered.isEmpty() ? Optional.empty() : Optional.of(notCovered)));
        }
        List<String> signoff = new ArrayList<>();
        root.path("signoff").forEach(r -> signoff.add(r.asText()));
        return new Runbook(root.path("runbook").asText(), sections, items, signoff.isEmpty() ? DEFAULT_SIGNOFF : List.copyOf(signoff));
    }

    public String name() {
        return name;
    }

    public Collection<Item> items() {
        return items.values();
    }

    public Optional<Item> item(String id) {
        return Optional.ofNullable(items.get(id));
    }

    public String sectionTitle(String section) {
        return sections.getOrDefault(section, "");
    }

    /** The item ids named by a scenario's tags, in the order given. */
    public static List<String> idsIn(Collection<String> tags) {
        List<String> ids = new ArrayList<>();
        for (String tag : tags) {
            Matcher m = TAG.matcher(tag);
            if (m.matches()) {
                ids.add(m.group(1));
            }
        }
        return ids;
    }

    /**
     * Compares sections in the runbook's order: the order of its catalogue's {@code sections}; a
     * section the catalogue does not list comes after those it does, numbers numerically ("9"
     * before "10"), names alphabetically.
     */
    public int compareSections(String a, String b) {
        List<String> order = new ArrayList<>(sections.keySet());
        int ia = order.indexOf(a);
        int ib = order.indexOf(b);
        if (ia >= 0 || ib >= 0) {
            return Integer.compare(ia < 0 ? Integer.MAX_VALUE : ia, ib < 0 ? Integer.MAX_VALUE : ib);
        }
        boolean na = a.matches("[0-9]+");
        boolean nb = b.matches("[0-9]+");
        if (na && nb) {
            return Integer.compare(Integer.parseInt(a), Integer.parseInt(b));
        }
        return na != nb ? (na ? -1 : 1) : a.compareTo(b);
    }
}
