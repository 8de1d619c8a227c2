package io.triad.profile.threephoenix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The phoenix-maintenance job's schedule, "Weekly (Sunday 03:00 UTC)", as the zone runs it: a
 * Kubernetes CronJob (the seed's zone: its {@code spec.schedule}, {@code spec.timeZone} and
 * {@code spec.suspend}) or a systemd timer (its next elapse). Either way what is checked is when the
 * job will run next, not that a unit or an object exists: a timer with no calendar, a suspended
 * CronJob or a daily schedule each name the problem.
 */
public final class Schedule {

    private Schedule() { }

    /** A CronJob's schedule as kubectl get cronjob -o json gives it. */
    public record CronJob(String name, String schedule, String timeZone, boolean suspend) { }

    public static CronJob cronJob(String json) {
        try {
            JsonNode root = new ObjectMapper().readTree(json);
            if (root == null || !root.path("spec").isObject()) {
                throw new IllegalArgumentException("not a CronJob (no spec)");
            }
            JsonNode spec = root.path("spec");
            return new CronJob(root.path("metadata").path("name").asText(""), spec.path("schedule").asText(""),
                    spec.path("timeZone").asText(""), spec.path("suspend").asBoolean(false));
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
    }

    /**
     * A Job of the CronJob as {@code kubectl get jobs -o json} gives it: its status (Completed,
     * Failed, or Running while neither), its start and end (null when not set), and the job's record
     * where its runner wrote one on the Job (the simulated zone's phoenix-jobs: the node rebuilt, the
     * step, the message; empty elsewhere).
     */
    public record Job(String name, String status, Instant created, Instant started, Instant finished, String node, String step,
                      String message) {
        public boolean over() {
            return !status.equals("Running");
        }
    }

    /** The annotations a runner writes its record in (see fixtures/three-phoenix/node/rootfs/usr/local/sbin/phoenix-jobs). */
    static final String RECORD = "phoenix.triad-acceptance.io/";

    /**
     * The Jobs of the CronJob {@code cronJob} (those it controls: made at its schedule, or from it
     * with {@code kubectl create job --from=cronjob/...}), oldest first.
     */
    public static List<Job> jobsOf(String json, String cronJob) {
        List<Job> out = new ArrayList<>();
        for (JsonNode j : io.triad.tech.kube.Kube.items(json, "kubectl get jobs")) {
            boolean ours = false;
            for (JsonNode o : j.path("metadata").path("ownerReferences")) {
                ours |= o.path("kind").asText().equals("CronJob") && o.path("name").asText().equals(cronJob);
            }
            if (!ours) {
                continue;
            }
            String status = "Running";
            Instant failedAt = null;
            for (JsonNode c : j.path("status").path("conditions")) {
                if (!c.path("status").asText().equals("True")) {
                    continue;
                }
                if (c.path("type").asText().equals("Complete")) {
                    status = "Completed";
                } else if (c.path("type").asText().equals("Failed")) {
                    status = "Failed";
                    failedAt = instant(c.path("lastTransitionTime"));
                }
            }
            JsonNode a = j.path("metadata").path("annotations");
            Instant finished = status.equals("Failed") ? failedAt : instant(j.path("status").path("completionTime"));
            out.add(new Job(j.path("metadata").path("name").asText(), status, instant(j.path("metadata").path("creationTimestamp")),
                    instant(j.path("status").path("startTime")), finished, a.path(RECORD + "node").asText(""),
                    a.path(RECORD + "step").asText(""), a.path(RECORD + "message").asText("")));
        }
        out.sort(java.util.Comparator.comparing(Job::created, java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())));
        return out;
    }

    private static Instant instant(JsonNode n) {
        return n.isTextual() && !n.asText().isEmpty() ? Instant.parse(n.asText()) : null;
    }

    /**
     * What keeps a CronJob from running weekly on Sunday at 03:00 UTC: suspended, a time zone other
     * than UTC, or a schedule other than minute 0 of hour 3 of every Sunday (a day of the month or a
     * month named as well makes cron run on either, so those must be '*'). Empty when none.
     */
    public static List<String> cronProblems(CronJob c) {
        List<String> problems = new ArrayList<>();
        if (c.suspend()) {
            problems.add("the CronJob " + c.name() + " is suspended: it never runs");
        }
        if (!c.timeZone().isEmpty() && !List.of("UTC", "Etc/UTC", "Etc/UCT", "UCT", "Zulu", "Etc/Zulu").contains(c.timeZone())) {
            problems.add("the CronJob " + c.name() + " runs in time zone " + c.timeZone() + ", not UTC");
        }
        String[] f = c.schedule().strip().split("\\s+");
        boolean weekly = f.length == 5 && isZero(f[0]) && isNumber(f[1], 3) && f[2].equals("*") && f[3].equals("*")
                && List.of("0", "7", "SUN", "sun", "Sun").contains(f[4]);
        // (@weekly is Sunday 00:00, not 03:00)
        if (!weekly) {
            problems.add("the CronJob " + c.name() + "'s schedule \"" + c.schedule() + "\" is not weekly on Sunday at 03:00 (\"0 3 * * 0\")");
        }
        return problems;
    }

    private static boolean isZero(String s) {
        return isNumber(s, 0);
    }

    private static boolean isNumber(String s, int n) {
        return s.matches("\\d{1,2}") && Integer.parseInt(s) == n;
    }

    /**
     * What is wrong with a timer's next run, seen at {@code now}: none, more than a week away (a
     * weekly job elapses within 7 days), or not on a Sunday at 03:00:00 UTC.
     */
    public static List<String> nextRunProblems(String unit, Instant next, Instant now) {
        List<String> problems = new ArrayList<>();
        if (next == null) {
            problems.add(unit + " has no next run: the job is not scheduled");
            return problems;
        }
        Duration until = Duration.between(now, next);
        if (until.compareTo(Duration.ofDays(7)) > 0) {
            problems.add(unit + " runs next at " + next + ", " + until.toDays() + " days away: a weekly job runs within 7 days");
        }
        ZonedDateTime at = next.atZone(ZoneOffset.UTC);
        if (at.getDayOfWeek() != DayOfWeek.SUNDAY || at.getHour() != 3 || at.getMinute() != 0) {
            problems.add(unit + " runs next at " + at + " (" + at.getDayOfWeek() + "), not on a Sunday at 03:00 UTC");
        }
        return problems;
    }
}
