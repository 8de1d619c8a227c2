package io.triad.probe.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code findmnt -J -o TARGET,SOURCE,FSTYPE,OPTIONS [target]} and {@code findmnt --verify}.
 */
public final class Findmnt {

    /** One mounted file system; options split on ','. */
    public record Mount(String target, String source, String fstype, List<String> options) { }

    /**
     * The {@code findmnt --verify} summary and its [E]/[W] messages (as "target: [E] text") and parse-error lines.
     */
    public record Verify(int parseErrors, int errors, int warnings, List<String> messages) {
        /** No parse errors and no errors; warnings are allowed. */
        public boolean ok() {
            return parseErrors == 0 && errors == 0;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SUMMARY = Pattern.compile("^(\\d+) parse errors?, (\\d+) errors?, (\\d+) warnings?$");
    private static final Pattern MESSAGE = Pattern.compile("^\\s+\\[([EW])\\]\\s+(.*)$");

    private Findmnt() { }

    /**
     * The mounts, children flattened depth first. findmnt prints nothing (exit 1) when the target is not a mount
     * point: blank input gives an empty list.
     */
    public static List<Mount> parse(String json) {
        if (json.isBlank()) {
            return List.of();
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("findmnt output is not JSON: " + BlockDevices.firstLine(json), e);
        }
        if (root == null || !root.path("filesystems").isArray()) {
            throw new IllegalArgumentException("findmnt JSON has no \"filesystems\" array");
        }
        List<Mount> out = new ArrayList<>();
        flatten(root.get("filesystems"), out);
        return List.copyOf(out);
    }

    /**
     * Reads {@code findmnt --verify} output. The summary ("1 parse error, 4 errors, 4 warnings" or "Success, no
     * errors or warnings detected") goes to stderr, so with {@code 2>&1} it may come first or last.
     */
    public static Verify parseVerify(String output) {
        Integer[] counts = null;
        List<String> messages = new ArrayList<>();
        String target = "";
        for (String line : output.split("\r?\n")) {
            Matcher s = SUMMARY.matcher(line.trim());
            Matcher m = MESSAGE.matcher(line);
            if (line.trim().equals("Success, no errors or warnings detected")) {
                counts = new Integer[] {0, 0, 0};
            } else if (s.matches()) {
                counts = new Integer[] {Integer.parseInt(s.group(1)), Integer.parseInt(s.group(2)), Integer.parseInt(s.group(3))};
            } else if (m.matches()) {
                messages.add(target + ": [" + m.group(1) + "] " + m.group(2));
            } else if (line.startsWith("findmnt: ")) {
                messages.add(line.trim());
            } else if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                target = line.trim();
            }
        }
        if (counts == null) {
            throw new IllegalArgumentException("no findmnt --verify summary line (\"N parse errors, N errors, N warnings\" "
                    + "or \"Success, no errors or warnings detected\") in: " + BlockDevices.firstLine(output));
        }
        return new Verify(counts[0], counts[1], counts[2], List.copyOf(messages));
    }

    private static void flatten(JsonNode filesystems, List<Mount> out) {
        for (JsonNode n : filesystems) {
            String target = n.path("target").asText("");
            if (target.isEmpty()) {
                throw new IllegalArgumentException("findmnt entry without a \"target\": " + n);
            }
            String options = n.path("options").asText("");
            out.add(new Mount(target, n.path("source").asText(""), n.path("fstype").asText(""),
                    options.isEmpty() ? List.of() : List.of(options.split(","))));
            flatten(n.path("children"), out);
        }
    }
}
