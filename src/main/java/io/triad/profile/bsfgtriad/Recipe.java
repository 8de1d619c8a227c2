package io.triad.profile.bsfgtriad;

import io.triad.env.Environment;
import io.triad.env.Environment.HostSpec;
import io.triad.sim.NodeFiles;
import io.triad.sim.ZoneRecipe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The simulated BSFG triad: the triad-node image, the runbook's configuration rendered by {@link TriadRenderer}. */
public final class Recipe implements ZoneRecipe {

    @Override
    public String imageProperty() {
        return "node.image";
    }

    @Override
    public Map<String, NodeFiles> render(Inputs in) {
        return new TriadRenderer(in.env(), in.ca(), in.authorizedKey(), in.hostKeys()).render();
    }

    /** Besides SSH access and the hostname: the zone's certificates and keys, the backup job's key and its target's host key. */
    @Override
    public boolean identity(Environment env, String path) {
        return ZoneRecipe.super.identity(env, path) || path.startsWith(Settings.of(env).paths().certDir())
                || path.startsWith("/opt/bsfg/backup/");
    }

    /** JetStream's data on every node, the artifact filesystem on the VIP nodes: disks of their own, as the runbook asks. */
    @Override
    public List<String> volumes(Environment env, HostSpec host) {
        List<String> volumes = new ArrayList<>();
        if (!host.role().equals(HostSpec.SUPPORT_ROLE)) {
            volumes.add(Settings.of(env).paths().jetstreamData());
        }
        if (env.profile().vipRoles().contains(host.role())) {
            volumes.add(Settings.of(env).paths().artifactMount());
        }
        return volumes;
    }
}
