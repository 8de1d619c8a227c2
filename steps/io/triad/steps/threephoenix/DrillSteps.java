package io.triad.steps.threephoenix;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.profile.threephoenix.Ingress;
import io.triad.profile.threephoenix.Shape;
import io.triad.zone.Nemesis;
import io.triad.zone.SteadyState;
import io.triad.zone.Within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** V. The quarterly DR drill: the kill test and the restore test. */
public class DrillSteps extends PhoenixSupport {

    /** One answer of the site, as the prober outside the zone got it, timed on arrival. */
    record Answer(Instant at, String code, String instance) { }

    private final List<Answer> answers = java.util.Collections.synchronizedList(new ArrayList<>());
    private Instant killedAt;
    private Instant replacedAt;
    private String killedNode;

    @Given("within {int} seconds the zone is steady")
    public void steady(int seconds) {
        Within.settles(zone.evidence(), "the zone steady", Duration.ofSeconds(seconds), SteadyState.hold(zone),
                () -> none(SteadyState.problems(zone), "not steady"));
    }

    private Host outside() {
        return zone.supportHost(settings.repositoryHost());
    }

    /** The application's main process on a node (0: none), as systemd knows it. */
    private String mainPid(Host h) {
        return h.exec(h.asRoot("systemctl show -P MainPID " + q(zone.unit(Shape.APP)))).stdout().strip();
    }

    @When("the application's instance on {word} is killed, the site asked through the ingress from outside the zone throughout")
    public void killApp(String node) {
        Host h = zone.host(node);
        Host edge = zone.supportHost(settings.ingressHost());
        killedNode = node;
        String probe = Ingress.curl(settings, edge.address(), "https", "/", "").replace("%{redirect_url}", "%header{x-forge-instance}");
        // ends when its input does (the harness closes the stream)
        String loop = "(while :; do " + probe + " || echo '000 -'; done) & p=$!; cat >/dev/null; kill $p";
        try (Host.Stream stream = outside().stream(loop, line -> {
            String[] f = line.strip().split(" ", 2);
            answers.add(new Answer(Instant.now(), f[0], f.length > 1 ? f[1] : ""));
        })) {
            within(10, "the prober answered through the ingress", () -> check(answers.size() >= 5, answers.size() + " answers so far"));
            String before = mainPid(h);
            check(!before.equals("0") && !before.isEmpty(), node + " runs no application instance to kill");
            killedAt = new Nemesis(zone).killService("kill-app", h, Shape.APP, true);
            Duration window = settings.replacementWindow();
            // the replacement: a new process of the unit, answering its health endpoint from the ingress's side
            Duration took = within((int) window.toSeconds() + 10, "a replacement instance serves on " + node, () -> {
                String now = mainPid(h);
                check(!now.equals("0") && !now.equals(before), node + "'s instance not replaced yet (main PID " + now + ")");
                CommandResult r = edge.exec("curl -s -o /dev/null -w '%{http_code}' --max-time 2 http://" + h.address() + ":" + settings.appPort()
                        + "/healthz");
                check(r.stdout().strip().equals("200"), node + "'s new instance answers " + r.stdout().strip());
            });
            replacedAt = killedAt.plus(took);
            // a little more of the site's answers with the instance back
            Instant until = Instant.now().plusSeconds(2);
            within(10, "the prober answered after the replacement", () -> check(answers.stream().anyMatch(a -> a.at().isAfter(until)),
                    "no answer after " + until));
        }
    }

    @Then("every request to the site was answered while the instance was away")
    public void siteStayedUp() {
        check(killedAt != null, "the instance was not killed");
        List<Answer> during;
        synchronized (answers) {
            during = answers.stream().filter(a -> !a.at().isBefore(killedAt)).toList();
        }
        List<Answer> failed = during.stream().filter(a -> !a.code().equals("200")).toList();
        java.util.Map<String, Long> by = new java.util.TreeMap<>();
        during.forEach(a -> by.merge(a.instance(), 1L, Long::sum));
        zone.evidence().figure("site answers from the kill on", during.size() + " asked, " + (during.size() - failed.size())
                + " answered 200, by instance " + by);
        check(during.size() >= 5, "only " + during.size() + " requests were made while the instance was away");
        check(failed.isEmpty(), failed.size() + " of " + during.size() + " requests to the site failed while " + killedNode
                + "'s instance was away (first: " + (failed.isEmpty() ? "" : failed.get(0).code() + " at " + failed.get(0).at()) + ")");
    }

    @Then("a replacement instance served on {word} within the replacement window, measured")
    public void replaced(String node) {
        check(replacedAt != null, "no replacement instance served on " + node + " within " + settings.replacementWindow().toSeconds() + " s");
        Duration took = Duration.between(killedAt, replacedAt);
        zone.evidence().figure("replacement serving after", took.toMillis() + " ms (window " + settings.replacementWindow().toSeconds() + " s)");
        check(took.compareTo(settings.replacementWindow()) <= 0, "the replacement on " + node + " served " + took.toMillis()
                + " ms after the kill, beyond the " + settings.replacementWindow().toSeconds() + " s window");
    }
}
