package io.triad.tech.kube;

import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.host.Shell;
import io.triad.zone.SteadyPart;
import io.triad.zone.Zone;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where a zone's cluster is reached: kubectl on a host of the zone, with a context (empty: the
 * kubeconfig's current one), as the profile's settings name them.
 */
public record Kubectl(String host, String context, String setting) {

    /** "kubectl" with the context, as run on the host. */
    public String command() {
        return "kubectl" + (context.isEmpty() ? "" : " --context " + Shell.quote(context));
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * The command that creates a probe pod (its name printed): {@code labels} it carries,
     * {@code nodeSelector} it asks for, an image that never runs and no grace period, so that it
     * proves only what the scheduler does with it and goes at once when deleted.
     */
    public String createProbePod(String name, String namespace, java.util.Map<String, String> labels, java.util.Map<String, String> nodeSelector) {
        var pod = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
        var meta = pod.putObject("metadata").put("name", name).put("namespace", namespace);
        labels.forEach(meta.putObject("labels")::put);
        var spec = pod.putObject("spec").put("terminationGracePeriodSeconds", 0);
        if (!nodeSelector.isEmpty()) {
            nodeSelector.forEach(spec.putObject("nodeSelector")::put);
        }
        spec.putArray("containers").addObject().put("name", "probe").put("image", "registry.invalid/triad-acceptance/never-runs:none");
        return "printf '%s' " + Shell.quote(pod.toString()) + " | " + command() + " create -f - -o name";
    }

    /** The command that deletes a pod at once, whether or not it is there. */
    public String deletePod(String name, String namespace) {
        return command() + " -n " + Shell.quote(namespace) + " delete pod " + Shell.quote(name) + " --grace-period=0 --force --ignore-not-found --wait=false";
    }

    /**
     * A gate of a live zone's steady state: the cluster answers kubectl on its host, with its
     * context ({@code /readyz}). A kubeconfig missing or unreadable, a context it does not know or
     * a cluster that does not answer ends the run before any scenario, exit 2, with kubectl's own
     * words and the setting that names them. A simulated zone's control plane is still coming up
     * when the zone opens: its steady state waits for it ({@link SimulatedControlPlane#up}).
     */
    public static SteadyPart reachable(Function<Zone, Optional<Kubectl>> target) {
        return new SteadyPart("kubernetes-reachable", true, zone -> {
            Optional<Kubectl> k = target.apply(zone);
            if (k.isEmpty() || zone.env().simulated()) {
                return List.of();
            }
            Host h = zone.supportHost(k.get().host());
            CommandResult r = h.exec(h.asRoot(k.get().command() + " get --raw /readyz"), Duration.ofSeconds(20));
            if (r.ok() && r.stdout().strip().equals("ok")) {
                return List.of();
            }
            String said = (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip().lines().filter(l -> !l.isBlank())
                    .reduce((a, b) -> b).orElse("exit " + r.exitCode());
            return List.of("kubectl on " + h.name() + (k.get().context().isEmpty() ? "" : " (context " + k.get().context() + ")")
                    + " cannot reach the cluster " + k.get().setting() + " names: " + said);
        });
    }
}
