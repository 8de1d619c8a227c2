package io.triad.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Allure 2 commandline, as Maven unpacked it from Maven Central into
 * {@code target/allure-commandline/allure-<version>} (pom.xml pins the version), run in a JVM of
 * its own (its libraries are not the harness's) with analytics off: nothing leaves the machine.
 */
public final class AllureCommandline {

    private final Path home;

    private AllureCommandline(Path home) {
        this.home = home;
    }

    /** The commandline under the project's {@code target/}; a clear error when the build has not unpacked it. */
    public static AllureCommandline under(Path projectRoot) {
        Path dir = projectRoot.resolve("target/allure-commandline");
        try (Stream<Path> homes = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
            Path home = homes.filter(p -> p.getFileName().toString().startsWith("allure-") && Files.isDirectory(p.resolve("lib")))
                    .max(Comparator.naturalOrder())
                    .orElseThrow(() -> new IllegalStateException("the Allure commandline is not unpacked under " + dir
                            + " ('make build' unpacks it)"));
            return new AllureCommandline(home);
        } catch (IOException e) {
            throw new IllegalStateException("cannot look for the Allure commandline under " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path home() {
        return home;
    }

    /**
     * The class-data archive of the commandline's JVM for this Java (written by its first run,
     * beside the unpacked commandline): with it, C1 only and the serial collector, a report of a
     * read-only audit takes 2.1 s instead of 3.1 s (measured on the simulated triad's 590 result
     * files). A JVM that cannot use it runs without it.
     */
    Path classArchive() {
        return home.getParent().resolve("allure-" + System.getProperty("java.vm.version").replaceAll("[^A-Za-z0-9.+_-]", "_") + ".jsa");
    }

    /** Generates the single-file report of {@code results} as {@code out}. */
    public void singleFile(Path results, Path out, String name) throws IOException {
        Path work = Files.createTempDirectory(out.getParent(), ".allure-");
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
            Path archive = classArchive();
            Path archiving = null;
            if (Files.isRegularFile(archive)) {
                command.add("-XX:SharedArchiveFile=" + archive);
            } else {
                archiving = Files.createTempFile(archive.getParent(), ".allure-", ".jsa");
                Files.delete(archiving);
                command.add("-XX:ArchiveClassesAtExit=" + archiving);
            }
            command.addAll(List.of("-cp", home.resolve("lib") + "/*:" + home.resolve("lib/config"),
                    "io.qameta.allure.CommandLine", "generate", "--single-file", "--clean", "--name", name,
                    "-o", work.resolve("report").toString(), results.toString()));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("APP_HOME", home.toString());
            pb.environment().put("ALLURE_NO_ANALYTICS", "true");
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.isRegularFile(work.resolve("report/index.html"))) {
                p.destroyForcibly();
                throw new IOException("the Allure commandline failed to generate the report: " + output.strip());
            }
            Files.move(work.resolve("report/index.html"), out, StandardCopyOption.REPLACE_EXISTING);
            if (archiving != null && Files.isRegularFile(archiving)) {
                Files.move(archiving, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while generating the report", e);
        } finally {
            try (Stream<Path> left = Files.walk(work)) {
                left.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
