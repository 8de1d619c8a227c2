package io.triad.profile.threephoenix;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * IV.1's schedule, "Weekly (Sunday 03:00 UTC)": a CronJob as kubectl get cronjob -o json prints it
 * (batch/v1), and a timer's next run; each with the broken variants the check must name.
 */
class ScheduleTest {

    static Schedule.CronJob recordedWith(String schedule, String timeZone, boolean suspend) throws IOException {
        Schedule.CronJob c = Schedule.cronJob(ViewsTest.recorded("kubectl-get-cronjob.json"));
        return new Schedule.CronJob(c.name(), schedule == null ? c.schedule() : schedule, timeZone == null ? c.timeZone() : timeZone,
                suspend || c.suspend());
    }

    @Test
    void theSeedsScheduleAsACronJobPasses() throws IOException {
        Schedule.CronJob c = Schedule.cronJob(ViewsTest.recorded("kubectl-get-cronjob.json"));
        assertEquals(new Schedule.CronJob("phoenix-maintenance", "0 3 * * 0", "Etc/UTC", false), c);
        assertEquals(List.of(), Schedule.cronProblems(c));
        assertEquals(List.of(), Schedule.cronProblems(recordedWith("0 3 * * SUN", "", false)));
        assertEquals(List.of(), Schedule.cronProblems(recordedWith("00 03 * * 7", "UTC", false)));
    }

    @Test
    void aSuspendedDailyOrShiftedCronJobIsNamed() throws IOException {
        assertTrue(Schedule.cronProblems(recordedWith(null, null, true)).get(0).contains("is suspended"));
        for (String wrong : List.of("0 3 * * *", "0 3 1 * 0", "30 3 * * 0", "0 2 * * 0", "@weekly", "0 3 * * 1", "*/5 * * * *", "")) {
            List<String> p = Schedule.cronProblems(recordedWith(wrong, null, false));
            assertEquals(1, p.size(), wrong + ": " + p);
            assertTrue(p.get(0).contains("is not weekly on Sunday at 03:00"), p.get(0));
        }
        assertTrue(Schedule.cronProblems(recordedWith(null, "Europe/Berlin", false)).get(0).contains("not UTC"));
    }

    @Test
    void aTimersNextRunMustBeASundayAt0300UtcWithinAWeek() {
        Instant now = Instant.parse("2026-11-25T14:20:00Z"); // a Wednesday
        assertEquals(List.of(), Schedule.nextRunProblems("t", Instant.parse("2026-11-29T03:00:00Z"), now));
        assertTrue(Schedule.nextRunProblems("t", null, now).get(0).contains("has no next run"));
        // a timer with no calendar, kept alive by a distant monotonic trigger (the catalog's mutant)
        List<String> far = Schedule.nextRunProblems("t", Instant.parse("2036-11-22T14:20:00Z"), now);
        assertTrue(far.get(0).contains("a weekly job runs within 7 days"), far.toString());
        // daily at 03:00, or Sunday at 04:00: within the week, at the wrong time
        assertTrue(Schedule.nextRunProblems("t", Instant.parse("2026-11-26T03:00:00Z"), now).get(0).contains("not on a Sunday at 03:00 UTC"));
        assertTrue(Schedule.nextRunProblems("t", Instant.parse("2026-11-29T04:00:00Z"), now).get(0).contains("not on a Sunday at 03:00 UTC"));
    }

    private static String real(String name) throws java.io.IOException {
        try (java.io.InputStream in = ScheduleTest.class.getResourceAsStream("/io/triad/profile/threephoenix/real/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** The CronJob's Jobs as the API server gave them (see real/README.md): status, times, and the runner's record. */
    @org.junit.jupiter.api.Test
    void theJobsOfACronJobAreReadWithTheirStatusAndRecord() throws java.io.IOException {
        java.util.List<Schedule.Job> jobs = Schedule.jobsOf(real("jobs-of-cronjob.json"), "phoenix-maintenance");
        org.junit.jupiter.api.Assertions.assertEquals(1, jobs.size());
        Schedule.Job j = jobs.get(0);
        org.junit.jupiter.api.Assertions.assertEquals("Completed", j.status());
        org.junit.jupiter.api.Assertions.assertEquals("phoenix-b", j.node());
        org.junit.jupiter.api.Assertions.assertTrue(j.started() != null && j.finished() != null && !j.finished().isBefore(j.started()), j.toString());
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(), Schedule.jobsOf(real("jobs-of-cronjob.json"), "another-cronjob"),
                "a Job another CronJob controls is not this one's");

        java.util.List<Schedule.Job> later = Schedule.jobsOf(real("jobs-last-failed.json"), "phoenix-maintenance");
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("Completed", "Failed"), later.stream().map(Schedule.Job::status).toList());
        org.junit.jupiter.api.Assertions.assertEquals("no primary answers", later.get(1).message());
        org.junit.jupiter.api.Assertions.assertTrue(later.get(1).finished() != null, "a Failed Job ends when its Failed condition came");
    }
}
