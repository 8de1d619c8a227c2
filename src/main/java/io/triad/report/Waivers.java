package io.triad.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.triad.env.InputError;
import io.triad.env.YamlFiles;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Waivers: failures a named approver has accepted, each for one item, with a justification and
 * an expiry date. A waived failure is reported as waived, never as passed; a waiver past its
 * expiry date waives nothing and fails the run until it is renewed or removed.
 *
 * <pre>
 * waivers:
 *   - item: "3.7"                # a runbook item, or drill:&lt;name&gt; for a drill
 *     justification: "..."
 *     approver: "Jane Roe, platform lead"
 *     expires: 2026-12-31       # the last day it is valid
 * </pre>
 */
public final class Waivers {

    /** One waiver. It is valid up to and including {@code expires}. */
    public record Waiver(String item, String justification, String approver, LocalDate expires) {
        public boolean expired(LocalDate today) {
            return today.isAfter(expires);
        }

        public String describe() {
            return "waived by " + approver + " until " + expires + ": " + justification;
        }
    }

    private final List<Waiver> waivers;

    private Waivers(List<Waiver> waivers) {
        this.waivers = List.copyOf(waivers);
    }

    public static Waivers none() {
        return new Waivers(List.of());
    }

    public List<Waiver> all() {
        return waivers;
    }

    public Optional<Waiver> of(String item) {
        return waivers.stream().filter(w -> w.item().equals(item)).findFirst();
    }

    public List<Waiver> expired(LocalDate today) {
        return waivers.stream().filter(w -> w.expired(today)).toList();
    }

    /** The items with a waiver in force today. */
    public Set<String> valid(LocalDate today) {
        Set<String> out = new HashSet<>();
        waivers.stream().filter(w -> !w.expired(today)).forEach(w -> out.add(w.item()));
        return out;
    }

    /**
     * Reads a waivers file. {@code known} are the ids a waiver may name (the runbook's items and
     * drill:&lt;name&gt; of the features' drills); anything else is bad input, named.
     */
    public static Waivers load(Path file, Collection<String> known) {
        JsonNode root = YamlFiles.read(file, "waivers file");
        String where = "waivers file " + file;
        if (root == null || !root.path("waivers").isArray()) {
            throw new InputError(where + " must hold a list 'waivers' (each with item, justification, approver, expires)");
        }
        List<Waiver> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int n = 0;
        for (JsonNode w : root.path("waivers")) {
            n++;
            String at = where + ", waiver " + n;
            String item = text(w, "item", at);
            if (!known.contains(item)) {
                throw new InputError(at + ": item '" + item + "' is neither a runbook item nor a drill of the features"
                        + " (a runbook item is written like \"3.7\", a drill like \"drill:crash\")");
            }
            if (!seen.add(item)) {
                throw new InputError(at + ": item " + item + " is waived twice");
            }
            String justification = text(w, "justification", at);
            String approver = text(w, "approver", at);
            String expires = text(w, "expires", at);
            LocalDate date;
            try {
                date = LocalDate.parse(expires);
            } catch (DateTimeParseException e) {
                throw new InputError(at + " (item " + item + "): expires '" + expires + "' is not a date (YYYY-MM-DD)");
            }
            out.add(new Waiver(item, justification, approver, date));
        }
        return new Waivers(out);
    }

    private static String text(JsonNode w, String field, String at) {
        JsonNode v = w.path(field);
        if (!v.isValueNode() || v.asText().isBlank()) {
            throw new InputError(at + ": '" + field + "' is missing or empty");
        }
        return v.asText().strip();
    }
}
