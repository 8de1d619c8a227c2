package io.triad.profile.threephoenix;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kill test's judgement (runbook V.1: "Site remains accessible (via other 2 pods). New pod
 * spawns and joins within 2 minutes"), on the answers the prober outside the zone got through the
 * ingress, each with the instance that served it (its {@code X-Forge-Instance}).
 */
public final class KillTest {

    /** One answer of the site, as the prober got it, timed on arrival; {@code instance} empty when none was named. */
    public record Answer(Instant at, String code, String instance) {
        public boolean ok() {
            return code.equals("200");
        }
    }

    private KillTest() { }

    /**
     * The instances of {@code others} (node to instance name: the nodes not killed) that served no
     * answer in [{@code from}, {@code to}): the site stayed up "via the other 2" only if each of them
     * carried some of it (an ingress that routes to one of them only passes a check of codes alone).
     */
    public static List<String> othersSilent(List<Answer> answers, Instant from, Instant to, Map<String, String> others) {
        List<String> silent = new ArrayList<>();
        others.forEach((node, instance) -> {
            boolean served = answers.stream().anyMatch(a -> !a.at().isBefore(from) && a.at().isBefore(to) && a.ok()
                    && a.instance().equals(instance));
            if (!served) {
                silent.add(node + " (instance " + instance + ")");
            }
        });
        return silent;
    }

    /**
     * When the new instance first served a request through the ingress after {@code since} (the
     * moment its own health endpoint first answered): it has joined. Empty while it has not.
     */
    public static Optional<Instant> joined(List<Answer> answers, String instance, Instant since) {
        return answers.stream().filter(a -> a.at().isAfter(since) && a.ok() && a.instance().equals(instance))
                .map(Answer::at).findFirst();
    }
}
