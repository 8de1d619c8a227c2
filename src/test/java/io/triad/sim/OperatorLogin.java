package io.triad.sim;

import io.triad.env.Environment;
import io.triad.env.EnvironmentLoader;

import java.nio.file.Path;

/**
 * A simulated environment reached as a live zone would be: logged in as the nodes' operator
 * account (triad-ops, not root) with ssh.sudo, so that every check that needs root must say so
 * (Host.asRoot) or fail on a denied read.
 */
public final class OperatorLogin {

    private OperatorLogin() { }

    public static Environment load(Path environmentFile) {
        return load(environmentFile, root -> { });
    }

    /** As {@link #load(Path)}, with another edit of the environment's tree first (a move to other subnets). */
    public static Environment load(Path environmentFile, java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> first) {
        return EnvironmentLoader.load(environmentFile, root -> {
            first.accept(root);
            com.fasterxml.jackson.databind.node.ObjectNode ssh = (com.fasterxml.jackson.databind.node.ObjectNode) root.get("ssh");
            ssh.put("user", "triad-ops");
            ssh.put("sudo", true);
        });
    }
}
