package io.triad.bench;

import io.triad.env.Environment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The peer the benchmark holds the harness against: pytest-testinfra replaying, in order, the
 * commands a run of the harness sent (its {@code commands.log}), over paramiko with one connection
 * per host, with nothing parsed or judged.
 */
final class Replay {

    /** Versions installed from PyPI into the benchmark's own virtual environment. */
    static final String TESTINFRA = "10.2.2";
    static final String PARAMIKO = "5.1.0";

    /** One command as the harness sent it. */
    record Command(String host, String command) { }

    /** "2026-11-22T15:37:18.301Z alpha exit 0 17 ms $ curl ..." (or "timed out 30000 ms $ ..."); streams and tunnels are not commands. */
    private static final Pattern LINE = Pattern.compile("^\\S+ (\\S+) (?:exit -?\\d+|timed out) \\d+ ms \\$ (.*)$");

    private Replay() { }

    static List<Command> commands(Path commandsLog) {
        try {
            return parse(Files.readAllLines(commandsLog));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + commandsLog, e);
        }
    }

    static List<Command> parse(List<String> lines) {
        List<Command> out = new ArrayList<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                out.add(new Command(m.group(1), m.group(2)));
            }
        }
        return out;
    }

    /** A pytest file that connects to every host of {@code env} as it does and runs {@code commands} one after the other. */
    static Path write(Path file, Environment env, List<Command> commands) {
        StringBuilder py = new StringBuilder("""
                # Written by triad bench: Testinfra replaying the commands of a read-only audit, in order.
                import testinfra

                KEY = %s
                HOSTS = {
                """.formatted(pyString(env.ssh().identityFile().map(Path::toString).orElse(""))));
        List<Environment.HostSpec> all = new ArrayList<>(env.hosts());
        all.addAll(env.supportHosts());
        for (Environment.HostSpec h : all) {
            py.append("    ").append(pyString(h.name())).append(": ").append(pyString("paramiko://" + env.ssh().user() + "@"
                    + h.address() + ":" + h.sshPort())).append(",\n");
        }
        py.append("}\nCOMMANDS = [\n");
        for (Command c : commands) {
            py.append("    (").append(pyString(c.host())).append(", ").append(pyString(c.command())).append("),\n");
        }
        py.append("""
                ]

                def test_replay():
                    hosts = {name: testinfra.get_host(url, ssh_identity_file=KEY or None) for name, url in HOSTS.items()}
                    for name, command in COMMANDS:
                        hosts[name].run(command)
                """);
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, py.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** A Python string literal. */
    static String pyString(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c < 0x20 ? String.format("\\x%02x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }
}
