package io.triad.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.triad.env.Environment;
import io.triad.env.InputError;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A simulated zone kept up by {@code triad up} for iterating on items or auditing it again: the
 * environment file of kind live that reaches it (its own key and known_hosts beside it) under
 * {@code .triad/up/} in the project, removed with the zone by {@code triad down}.
 */
public final class KeptZone {

    private KeptZone() { }

    /** Where kept zones' environment files and credentials live. */
    public static Path dir() {
        return SimulatedTriad.root().resolve(".triad/up");
    }

    /** The environment file of a kept zone. */
    public static Path environmentFile(String zone) {
        return dir().resolve(zone + ".yaml");
    }

    /**
     * Writes the live environment that reaches {@code triad}: the simulated environment's own file
     * with kind live, no simulation section, and the triad's key and known_hosts copied beside it
     * (the key 0600). Everything else, drills.allowed included, is the simulated environment's.
     */
    public static Path write(Environment simulated, SimulatedTriad triad) {
        Path creds = dir().resolve(simulated.zone());
        try {
            Files.createDirectories(creds);
            Files.setPosixFilePermissions(creds, PosixFilePermissions.fromString("rwx------"));
            Path key = Files.copy(triad.identityFile(), creds.resolve("id_ecdsa"), StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            Path known = Files.copy(triad.knownHosts(), creds.resolve("known_hosts"), StandardCopyOption.REPLACE_EXISTING);
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
            ObjectNode env = (ObjectNode) yaml.readTree(simulated.file().toFile());
            env.put("kind", "live");
            env.remove("simulation");
            ObjectNode ssh = env.has("ssh") && env.get("ssh").isObject() ? (ObjectNode) env.get("ssh") : env.putObject("ssh");
            ssh.put("identity_file", key.toString());
            ssh.put("known_hosts", known.toString());
            if (!triad.clientFiles().isEmpty()) { // the harness's client identity in the zone (a client certificate, its key, the CA)
                ObjectNode client = env.putObject("client");
                for (var f : triad.clientFiles().entrySet()) {
                    Path copy = Files.copy(f.getValue(), creds.resolve("client-" + f.getKey()), StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-------"));
                    client.put(f.getKey(), copy.toString());
                }
            }
            Path file = environmentFile(simulated.zone());
            Files.writeString(file, "# Written by 'triad up' from " + simulated.file() + ": the simulated zone " + simulated.zone()
                    + ", kept running,\n# reached as a live zone (read-only unless --allow-destructive). 'triad down' removes both.\n"
                    + yaml.writeValueAsString(env));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the kept zone's environment under " + dir(), e);
        }
    }

    /** Removes every kept zone's environment file and credentials. */
    public static void forget() {
        if (!Files.exists(dir())) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir())) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new InputError("cannot remove " + dir() + ": " + e.getMessage());
        }
    }
}
