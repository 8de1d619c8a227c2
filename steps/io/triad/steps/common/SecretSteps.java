package io.triad.steps.common;

import io.cucumber.java.en.Then;
import io.triad.host.Host;
import io.triad.probe.Secrets;

import java.util.ArrayList;
import java.util.List;

/**
 * "Secrets readable by their owner only", for every profile whose runbook says it: the secrets are
 * found on each host by what they are ({@link Secrets}: private keys, files named or kept as
 * secrets), not read from the list of files the zone was built with, and each is tried as an
 * unprivileged user. The list found on each host is kept as evidence (paths only).
 */
public class SecretSteps extends Support {
    public SecretSteps(io.triad.run.Run run) {
        super(run);
    }

    /** One host's search: what it found, or why it could not be made there. */
    private record Search(Secrets.Found found, String failed) { }

    @Then("every secret on every host, found by what it is, is unreadable by an unprivileged user")
    public void everySecretUnreadable() {
        List<Host> hosts = new ArrayList<>(zone.hosts());
        hosts.addAll(zone.supportHosts());
        StringBuilder evidence = new StringBuilder();
        List<String> problems = new ArrayList<>();
        List<Search> found = zone.onEach(hosts, h -> {
            try {
                return new Search(Secrets.on(h), null);
            } catch (IllegalStateException | IllegalArgumentException e) {
                return new Search(null, e.getMessage());
            }
        });
        for (int i = 0; i < hosts.size(); i++) {
            Host h = hosts.get(i);
            if (found.get(i).failed() != null) {
                problems.add(found.get(i).failed());
                continue;
            }
            Secrets.Found f = found.get(i).found();
            evidence.append(h.name()).append(": ").append(f.secrets().size()).append(" secret(s) found\n");
            f.secrets().forEach(s -> evidence.append("  ").append(s).append(f.exposed().contains(s) ? "   READABLE by nobody" : "").append('\n'));
            if (f.secrets().isEmpty()) {
                // every host reached over SSH holds at least its SSH host key: finding nothing means the search is blind
                problems.add(h.name() + ": no secret found at all (not even the SSH host key): the search did not work there");
            } else if (!f.exposed().isEmpty()) {
                problems.add(h.name() + ": " + String.join(", ", f.exposed()) + (f.exposed().size() == 1 ? " is" : " are")
                        + " readable by the unprivileged user nobody");
            }
        }
        zone.evidence().note("secrets found on every host, by what they are, and tried as nobody", evidence.toString());
        none(problems, "secrets readable beyond their owner");
    }
}
