package io.triad.steps.threephoenix;

import io.triad.tech.postgres.Db;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cucumber.java.en.Then;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.profile.threephoenix.Schedule;
import io.triad.profile.threephoenix.Settings;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** IV. Phoenix Mechanics: the rotation's last job, and every instance's age. */
public class PhoenixSteps extends PhoenixSupport {
    public PhoenixSteps(io.triad.run.Run run) {
        super(run);
    }

    @Then("the last phoenix-maintenance job in the job history is Completed, not Failed")
    public void lastJob() {
        Settings.JobSchedule js = settings.jobSchedule();
        if (js.cronJob() != null) {
            lastJobOfCronJob(js);
            return;
        }
        Host repo = zone.supportHost(settings.repositoryHost());
        CommandResult r = repo.exec(repo.asRoot("tail -n 1 " + q(settings.jobHistory())));
        check(r.ok() && !r.stdout().isBlank(), "no phoenix-maintenance job is recorded in " + settings.jobHistory() + " on " + repo.name()
                + (r.stderr().isBlank() ? "" : ": " + Db.firstLine(r.stderr())));
        JsonNode job;
        try {
            job = new ObjectMapper().readTree(r.stdout());
        } catch (java.io.IOException e) {
            throw new AssertionError("the last line of " + settings.jobHistory() + " is not a job record: " + r.stdout().strip());
        }
        String status = job.path("status").asText();
        zone.evidence().figure("last phoenix-maintenance job", job.path("job").asText() + ": " + status + " (" + job.path("step").asText()
                + ", finished " + job.path("finished").asText() + ")");
        check(status.equals("Completed"), "the last phoenix-maintenance job " + job.path("job").asText() + " is " + status + ": "
                + job.path("message").asText());
        didItsWork(job);
    }

    /**
     * The runbook's own reading: {@code kubectl get jobs}, the CronJob's Jobs. The last one over
     * decides (one still running is noted, not judged); its work is then read on the nodes between
     * the Job's start and end, as for a job history's record.
     */
    private void lastJobOfCronJob(Settings.JobSchedule js) {
        String json = kubectl("get jobs -n " + q(js.namespace()));
        if (planning()) {
            return;
        }
        List<Schedule.Job> jobs = Schedule.jobsOf(json, js.cronJob());
        zone.evidence().figure("Jobs of the CronJob " + js.namespace() + "/" + js.cronJob(), jobs.isEmpty() ? "none"
                : jobs.stream().map(j -> j.name() + " " + j.status()).collect(java.util.stream.Collectors.joining(", ")));
        List<Schedule.Job> over = jobs.stream().filter(Schedule.Job::over).toList();
        check(!over.isEmpty(), "kubectl get jobs -n " + js.namespace() + " shows no finished Job of the CronJob " + js.cronJob()
                + (jobs.isEmpty() ? "" : " (" + jobs.size() + " running)") + ": the job history is empty");
        Schedule.Job last = over.get(over.size() - 1);
        if (jobs.get(jobs.size() - 1) != last) {
            zone.evidence().note("a Job still running", jobs.get(jobs.size() - 1).name() + " (not judged: the last one over is " + last.name() + ")");
        }
        zone.evidence().figure("last phoenix-maintenance job", last.name() + ": " + last.status() + " (" + (last.step().isEmpty() ? "no step recorded"
                : last.step()) + ", finished " + last.finished() + ")");
        check(last.status().equals("Completed"), "the last Job of the CronJob " + js.cronJob() + ", " + last.name() + ", is " + last.status()
                + (last.message().isEmpty() ? "" : ": " + last.message()));
        com.fasterxml.jackson.databind.node.ObjectNode record = new ObjectMapper().createObjectNode().put("job", last.name())
                .put("step", last.step()).put("node", last.node());
        if (last.started() != null && last.finished() != null) {
            record.put("started", last.started().toString()).put("finished", last.finished().toString());
        }
        didItsWork(record);
    }

    /** How far the job's clock and a node's may differ when a data directory's making is set against the job's run. */
    private static final Duration CLOCKS = Duration.ofSeconds(1);

    /**
     * Completed is the job's own word: its work is read on the nodes. Every step of the rotation
     * destroys an instance and clones it again, so the node the record names (any database node
     * when it names none) has a data directory made while the job ran. A record with no start or
     * end cannot be set against the nodes: said so in the evidence.
     */
    private void didItsWork(JsonNode job) {
        Instant started;
        Instant finished;
        try {
            started = Instant.parse(job.path("started").asText());
            finished = Instant.parse(job.path("finished").asText());
        } catch (java.time.format.DateTimeParseException e) {
            zone.evidence().note("the last job's work not read on the nodes", "its record gives no start and end: " + job);
            return;
        }
        String named = job.path("node").asText("");
        List<Host> rebuilt = named.isEmpty() ? nodes() : nodes().stream().filter(h -> h.name().equals(named)).toList();
        check(!rebuilt.isEmpty(), "the last phoenix-maintenance job names the node " + named + ", not one of the zone's database nodes");
        List<String> made = new java.util.ArrayList<>();
        boolean during = false;
        for (Host h : rebuilt) {
            Instant at = instanceMade(h);
            check(at.isAfter(Instant.EPOCH), h.name() + "'s data directory (" + settings.dataDirectory() + "/PG_VERSION) cannot be read");
            made.add(h.name() + "'s made " + at);
            during |= !at.isBefore(started.minus(CLOCKS)) && !at.isAfter(finished.plus(CLOCKS));
        }
        zone.evidence().figure("last phoenix-maintenance job's work", "ran " + started + " to " + finished + "; data directory "
                + String.join(", ", made));
        check(during, "the last phoenix-maintenance job " + job.path("job").asText() + " says Completed (" + job.path("step").asText()
                + ", " + started + " to " + finished + "), but no instance was cloned again while it ran: " + String.join(", ", made)
                + " (data directory, PG_VERSION)");
    }

    @Then("the phoenix-maintenance job is scheduled weekly, on Sunday at 03:00 UTC, its next run within 7 days")
    public void jobScheduled() {
        Settings.JobSchedule js = settings.jobSchedule();
        List<String> problems;
        if (js.cronJob() != null) {
            Schedule.CronJob c = Schedule.cronJob(kubectl("get cronjob -n " + q(js.namespace()) + " " + q(js.cronJob())));
            zone.evidence().figure("CronJob " + js.namespace() + "/" + c.name(), "schedule \"" + c.schedule() + "\""
                    + (c.timeZone().isEmpty() ? "" : " in " + c.timeZone()) + (c.suspend() ? ", suspended" : ""));
            problems = Schedule.cronProblems(c);
        } else {
            Host repo = zone.supportHost(settings.repositoryHost());
            TimerNext t = timerNext(repo, js.timer());
            zone.evidence().figure(js.timer() + " on " + repo.name(), t.next() == null ? "no next run" : "next run " + t.next());
            problems = Schedule.nextRunProblems(js.timer() + " on " + repo.name(), t.next(), t.now());
        }
        none(problems, "the phoenix-maintenance schedule");
    }

    @Then("every database instance's data directory was made less than 22 days ago, and its server started since")
    public void instanceAge() {
        Duration bound = settings.maxInstanceAge();
        List<String> problems = onEachHost(nodes(), (h, found) -> {
            CommandResult r = h.exec(h.asRoot("stat -c %Y " + q(settings.dataDirectory() + "/PG_VERSION") + " && date +%s && "
                    + Db.psql("postgres", "SELECT extract(epoch FROM pg_postmaster_start_time())::bigint")));
            String[] f = r.stdout().strip().split("\\s+");
            if (!r.ok() || f.length != 3) {
                found.add(h.name() + ": its instance's age cannot be read (" + Db.firstLine(r.stderr()) + ")");
                return;
            }
            Instant made = Instant.ofEpochSecond(Long.parseLong(f[0]));
            Instant now = Instant.ofEpochSecond(Long.parseLong(f[1]));
            Instant started = Instant.ofEpochSecond(Long.parseLong(f[2]));
            Duration age = Duration.between(made, now);
            zone.evidence().figure(h.name() + " instance", "data directory made " + made + " (" + age.toDays() + " days "
                    + age.toHoursPart() + " h ago), server started " + started);
            if (age.compareTo(bound) > 0) {
                found.add(h.name() + "'s instance is " + age.toDays() + " days old (data directory made " + made + "), older than "
                        + bound.toDays() + " days: the rotation has not replaced it");
            }
            if (started.isBefore(made.minusSeconds(60))) {
                found.add(h.name() + "'s server started " + started + ", before its data directory was made " + made);
            }
        });
        none(problems, "database instances' age");
    }
}
