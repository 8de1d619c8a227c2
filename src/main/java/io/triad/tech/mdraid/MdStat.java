package io.triad.tech.mdraid;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code /proc/mdstat} (Linux md software RAID): one {@code mdN : state [(qualifier)] level dev[i][(F|S|W)]...}
 * line per array, then indented lines with the blocks, {@code [expected/working] [UU]} and, while running, a
 * progress line such as {@code recovery = 12.6% (...)} or {@code resync=PENDING}.
 */
public final class MdStat {

    /**
     * One array. {@code level} is empty for an inactive array; {@code expected}, {@code working} and {@code status}
     * are 0/0/"" for levels without redundancy (raid0, linear) and inactive arrays. {@code devices} are member names
     * without their role index or flags.
     */
    public record Array(String name, String state, String level, List<String> devices, int expected, int working,
                        String status, Optional<String> operation, OptionalDouble progressPercent) { }

    private static final Pattern HEADER = Pattern.compile("^(md\\w*)\\s*:\\s*(active|inactive)\\s+(.*)$");
    private static final Pattern MEMBER = Pattern.compile("([^\\s\\[]+)\\[(\\d+)\\]((?:\\([A-Z]\\))*)");
    private static final Pattern COUNTS = Pattern.compile("\\[(\\d+)/(\\d+)\\]\\s+\\[([U_]+)\\]");
    private static final Pattern PROGRESS = Pattern.compile("\\b(recovery|resync|reshape|check|repair)\\s*=\\s*(?:([\\d.]+)%|(\\w+))");

    private final List<Array> arrays;
    private final List<String> problems;

    private MdStat(List<Array> arrays, List<String> problems) {
        this.arrays = List.copyOf(arrays);
        this.problems = List.copyOf(problems);
    }

    public static MdStat parse(String text) {
        String[] lines = text.split("\r?\n");
        if (lines.length == 0 || !lines[0].startsWith("Personalities")) {
            throw new IllegalArgumentException("not /proc/mdstat output: the first line is not 'Personalities : ...' but '"
                    + (lines.length == 0 ? "" : lines[0].trim()) + "'");
        }
        List<Array> arrays = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            Matcher h = HEADER.matcher(lines[i]);
            if (!h.matches()) {
                if (lines[i].startsWith("md")) {
                    throw new IllegalArgumentException("line " + (i + 1) + ": unreadable array line '" + lines[i] + "'");
                }
                continue;
            }
            String name = h.group(1);
            String state = h.group(2);
            List<String> words = new ArrayList<>(List.of(h.group(3).trim().split("\\s+")));
            words.removeIf(w -> w.startsWith("(") && w.endsWith(")")); // (auto-read-only), (read-only)
            String level = !words.isEmpty() && !MEMBER.matcher(words.get(0)).matches() ? words.remove(0) : "";
            List<String> devices = new ArrayList<>();
            for (String w : words) {
                Matcher m = MEMBER.matcher(w);
                if (!m.matches()) {
                    throw new IllegalArgumentException("line " + (i + 1) + ": " + name + ": unreadable member '" + w + "'");
                }
                devices.add(m.group(1));
                if (m.group(3).contains("(F)")) {
                    problems.add(name + ": member " + m.group(1) + " is marked faulty (F)");
                }
            }
            // The indented lines that follow belong to this array.
            StringBuilder body = new StringBuilder();
            int j = i + 1;
            for (; j < lines.length && !lines[j].isBlank() && Character.isWhitespace(lines[j].charAt(0)); j++) {
                body.append(lines[j]).append('\n');
            }
            if (!body.toString().contains("blocks")) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + name + " has no 'blocks' line after it");
            }
            int expected = 0;
            int working = 0;
            String status = "";
            Matcher c = COUNTS.matcher(body);
            if (c.find()) {
                expected = Integer.parseInt(c.group(1));
                working = Integer.parseInt(c.group(2));
                status = "[" + c.group(3) + "]";
            }
            Optional<String> operation = Optional.empty();
            OptionalDouble progress = OptionalDouble.empty();
            String progressText = "";
            Matcher p = PROGRESS.matcher(body);
            if (p.find()) {
                progressText = p.group(0).replaceAll("\\s+", " ");
                operation = Optional.of(p.group(1));
                progress = p.group(2) != null ? OptionalDouble.of(Double.parseDouble(p.group(2))) : OptionalDouble.empty();
            }
            Array a = new Array(name, state, level, List.copyOf(devices), expected, working, status, operation, progress);
            arrays.add(a);
            problems.addAll(problemsOf(a, progressText));
            i = j - 1;
        }
        return new MdStat(arrays, problems);
    }

    public List<Array> arrays() {
        return arrays;
    }

    /**
     * Why the RAID is not healthy, each message naming the array: inactive, degraded (fewer working members than
     * expected or a '_' in the status), a member marked faulty, or a recovery/resync/reshape/check under way or pending.
     * Empty when all is well.
     */
    public List<String> problems() {
        return problems;
    }

    private static List<String> problemsOf(Array a, String progressText) {
        List<String> out = new ArrayList<>();
        if (!a.state().equals("active")) {
            out.add(a.name() + " is " + a.state());
        }
        if (a.working() < a.expected() || a.status().contains("_")) {
            out.add(a.name() + " is degraded: " + a.working() + " of " + a.expected() + " members working " + a.status());
        }
        if (a.operation().isPresent()) {
            out.add(a.name() + ": " + progressText + (a.progressPercent().isPresent() ? " in progress" : ""));
        }
        return out;
    }
}
