package io.triad.profile.threephoenix;

import io.triad.probe.parse.OsRelease;

import java.util.Optional;

/**
 * The architecture's 2.1, "3 Ubuntu Server nodes", judged from a node's {@code /etc/os-release}:
 * its ID must be {@code ubuntu}. A derivative that names Ubuntu only as ID_LIKE (Linux Mint, Pop!_OS)
 * is another operating system; os-release does not tell Server from Desktop, which the check does
 * not pretend to.
 */
public final class UbuntuNodes {
    private UbuntuNodes() { }

    /** Why a node's os-release is not Ubuntu's, or empty when it is. */
    public static Optional<String> problem(String node, OsRelease os) {
        if (os.id().equals("ubuntu")) {
            return Optional.empty();
        }
        return Optional.of(node + " runs " + os.prettyName() + " (ID=" + os.id()
                + os.get("ID_LIKE").map(like -> ", ID_LIKE=" + like).orElse("") + "), not Ubuntu");
    }
}
