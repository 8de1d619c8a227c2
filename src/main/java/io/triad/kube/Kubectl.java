package io.triad.kube;

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
