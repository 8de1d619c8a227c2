package io.triad.profile.sfa;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A host's cron tables as cron reads them, not only as they read: a job in a table cron ignores
 * never runs. Debian's cron (and cronie) skips a file of {@code /etc/cron.d} whose name holds a dot
 * or other characters outside {@code [A-Za-z0-9_-]} ("backup.cron" is never read; cron(8)), and
 * refuses a system table not owned by root ("WRONG FILE OWNER"), with more than one hard link
 * ("NUMBER OF HARD LINKS > 1") or writable by group or others ("INSECURE MODE (group/other
 * writable)"): the messages of Debian's cron 3.0pl1. A symlinked table is judged by its target.
 * And no daemon, no job.
 */
public final class Cron {

    private Cron() { }

    /** The shell command listing every table with its owner, mode and links (read as root). */
    public static final String LISTING = "for f in /etc/crontab /etc/cron.d/*; do [ -f \"$f\" ] || continue;"
            + " echo \"#### $f $(stat -L -c '%U %a %h' \"$f\")\"; cat \"$f\"; echo; done;"
            + " echo '#### crontab-l'; crontab -l 2>/dev/null; true";

    /** One table: its path ("crontab-l" for root's own), owner, octal mode, links, and its lines. */
    public record Table(String path, String owner, int mode, int links, String text) {

        /** Why cron does not read this table, or empty when it does. */
        public List<String> ignoredBecause() {
            List<String> why = new ArrayList<>();
            if (path.equals("crontab-l")) {
                return why; // installed by crontab(1), which keeps its own file right
            }
            if (path.startsWith("/etc/cron.d/")) {
                String name = path.substring("/etc/cron.d/".length());
                if (!name.matches("[A-Za-z0-9_-]+")) {
                    why.add(path + ": cron skips a file of /etc/cron.d whose name is not made of letters, digits, '_' and '-'");
                }
            }
            if (!owner.equals("root")) {
                why.add(path + " is owned by " + owner + ", not root (cron: WRONG FILE OWNER)");
            }
            if ((mode & 022) != 0) {
                why.add(path + " has mode " + Integer.toOctalString(mode) + ", writable by group or others (cron: INSECURE MODE)");
            }
            if (links > 1) {
                why.add(path + " has " + links + " hard links (cron: NUMBER OF HARD LINKS > 1)");
            }
            return why;
        }
    }

    /** The tables of a {@link #LISTING} output. */
    public static List<Table> parse(String listing) {
        List<Table> tables = new ArrayList<>();
        Matcher head = Pattern.compile("(?m)^#### (\\S+)(?: (\\S+) ([0-7]+) (\\d+))?$").matcher(listing);
        List<int[]> spans = new ArrayList<>();
        List<String[]> heads = new ArrayList<>();
        while (head.find()) {
            spans.add(new int[]{head.start(), head.end()});
            heads.add(new String[]{head.group(1), head.group(2), head.group(3), head.group(4)});
        }
        for (int i = 0; i < spans.size(); i++) {
            int end = i + 1 < spans.size() ? spans.get(i + 1)[0] : listing.length();
            String[] h = heads.get(i);
            String text = listing.substring(Math.min(spans.get(i)[1] + 1, end), end);
            boolean own = h[0].equals("crontab-l");
            tables.add(new Table(h[0], own ? "root" : h[1], own ? 0600 : Integer.parseInt(h[2], 8), own ? 1 : Integer.parseInt(h[3]), text));
        }
        return tables;
    }

    /** A job found: the table it is in and the path of the script it runs. */
    public record Job(Table table, String script) { }

    /**
     * The first line, in any table, with {@code schedule} running {@code script} (with
     * {@code argument} when not null), not commented out; a system table's user field allowed.
     */
    public static java.util.Optional<Job> find(List<Table> tables, String schedule, String script, String argument) {
        String fields = schedule.trim().replaceAll("\\s+", "\\\\s+");
        Pattern line = Pattern.compile("(?m)^\\s*" + fields.replace("*", "\\*")
                + "\\s+(?:\\S+\\s+)?(\\S*" + Pattern.quote(script) + ")" + (argument == null ? "" : "\\s+" + argument) + "\\b");
        for (Table t : tables) {
            Matcher m = line.matcher(t.text());
            if (m.find()) {
                return java.util.Optional.of(new Job(t, m.group(1)));
            }
        }
        return java.util.Optional.empty();
    }
}
