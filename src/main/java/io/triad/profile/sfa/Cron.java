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

    /**
     * A job found: the table it is in, the user it runs as (a system table's user field; root for
     * root's own crontab) and the path of the script it runs. {@code user} is null when a system
     * table's line has no user field: cron then takes the script's path for the user and runs nothing.
     */
    public record Job(Table table, String user, String script) {

        /** Why cron does not run this job as written, or empty when it does: the table's reasons and the line's. */
        public List<String> notRunBecause() {
            List<String> why = new ArrayList<>(table.ignoredBecause());
            lineIgnoredBecause().ifPresent(why::add);
            return why;
        }

        /** Why cron does not run this line of a table it reads: a system table's line without its user field. */
        public java.util.Optional<String> lineIgnoredBecause() {
            return user != null ? java.util.Optional.empty() : java.util.Optional.of("its line in " + table.path() + " has no user field: cron takes "
                    + script + " for the user and runs nothing (a system table's line is: minute hour day month weekday user command)");
        }
    }

    /**
     * The first line, in any table, with {@code schedule} running {@code script} (with
     * {@code argument} when not null), not commented out. A system table ({@code /etc/crontab},
     * {@code /etc/cron.d}) names the user between the schedule and the command; root's own crontab
     * does not. A system table's line without the user field is found too, with no user.
     */
    public static java.util.Optional<Job> find(List<Table> tables, String schedule, String script, String argument) {
        String fields = "(?m)^\\s*" + schedule.trim().replaceAll("\\s+", "\\\\s+").replace("*", "\\*");
        String command = "(\\S*" + Pattern.quote(script) + ")" + (argument == null ? "" : "\\s+" + argument) + "\\b";
        Pattern withUser = Pattern.compile(fields + "\\s+(\\S+)\\s+" + command);
        Pattern withoutUser = Pattern.compile(fields + "\\s+" + command);
        for (Table t : tables) {
            boolean system = !t.path().equals("crontab-l");
            if (system) {
                Matcher m = withUser.matcher(t.text());
                if (m.find()) {
                    return java.util.Optional.of(new Job(t, m.group(1), m.group(2)));
                }
            }
            Matcher m = withoutUser.matcher(t.text());
            if (m.find()) {
                return java.util.Optional.of(new Job(t, system ? null : "root", m.group(1)));
            }
        }
        return java.util.Optional.empty();
    }
}
