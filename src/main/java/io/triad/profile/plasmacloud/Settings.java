package io.triad.profile.plasmacloud;

import io.triad.env.Fields;

/**
 * The PlasmaCloud zone's own fields of an environment file (under {@code plasmacloud:}): the
 * cluster's name and the nodes' DNS domain (the runbook's initial peers are
 * {@code <node>.<domain>:<raft port>}), the services' ports as the runbook's port matrix gives
 * them, and where the runbook keeps a node's secrets (cluster-config.json, the CA, the node's
 * certificate and key) and its services' data.
 */
public record Settings(String clusterName, String domain, int chainfirePort, int chainfireRaftPort, int chainfireGossipPort,
                       int flaredbPort, int flaredbRaftPort, int iamPort, String secretsDir)
        implements io.triad.env.NamedPorts {

    @Override
    public java.util.Map<String, Integer> namedPorts() {
        return java.util.Map.of("chainfire", chainfirePort, "chainfire-raft", chainfireRaftPort, "chainfire-gossip", chainfireGossipPort,
                "flaredb", flaredbPort, "flaredb-raft", flaredbRaftPort, "iam", iamPort);
    }

    /** The node's cluster-config.json (the runbook's first-boot automation reads it). */
    public String clusterConfig() {
        return secretsDir + "/cluster-config.json";
    }

    public String caFile() {
        return secretsDir + "/ca-cert.pem";
    }

    public String certFile(String node) {
        return secretsDir + "/" + node + "-cert.pem";
    }

    public String keyFile(String node) {
        return secretsDir + "/" + node + "-key.pem";
    }

    /** The API port of a Raft service ({@code chainfire} or {@code flaredb}). */
    public int apiPort(String service) {
        return service.equals("flaredb") ? flaredbPort : chainfirePort;
    }

    /** Reads {@code plasmacloud:} from the top of an environment file (every field has the runbook's value). */
    public static Settings read(Fields top) {
        Fields u = top.object("plasmacloud");
        String cluster = u.text("cluster_name").orElse("prod-cluster");
        if (!cluster.matches("[A-Za-z0-9_-]+")) {
            throw u.error("cluster_name", "'" + cluster + "' is not a cluster name (letters, digits, - and _)");
        }
        String domain = u.text("domain").orElse("example.com");
        if (!domain.matches("[a-z0-9-]+(\\.[a-z0-9-]+)+")) {
            throw u.error("domain", "'" + domain + "' is not a DNS domain (lower-case labels separated by dots)");
        }
        Fields p = u.object("ports");
        int chainfire = p.integer("chainfire", 2379, 1, 65535);
        int chainfireRaft = p.integer("chainfire_raft", 2380, 1, 65535);
        int gossip = p.integer("chainfire_gossip", 2381, 1, 65535);
        int flaredb = p.integer("flaredb", 2479, 1, 65535);
        int flaredbRaft = p.integer("flaredb_raft", 2480, 1, 65535);
        int iam = p.integer("iam", 8080, 1, 65535);
        p.done();
        String secrets = u.absolutePath("secrets_dir", "/etc/nixos/secrets").replaceAll("/+$", "");
        u.done();
        return new Settings(cluster, domain, chainfire, chainfireRaft, gossip, flaredb, flaredbRaft, iam, secrets);
    }
}
