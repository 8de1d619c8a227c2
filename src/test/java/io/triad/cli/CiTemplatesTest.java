package io.triad.cli;

import io.triad.sim.SimulatedTriad;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CI templates of examples/ci are valid for the systems they are written for: checked with
 * check-jsonschema (pinned, from PyPI, into target/ci-lint) against the schemas it vendors for
 * GitHub workflows and GitLab CI, and a template broken the way people break them (a colon and a
 * space in an unquoted script line, a job with no steps) is refused by the same check.
 */
class CiTemplatesTest {

    static final Path ROOT = SimulatedTriad.root();
    static final String LINTER = "check-jsonschema==0.39.0";
    static Path checker;

    @BeforeAll
    static void install() throws Exception {
        Path venv = ROOT.resolve("target/ci-lint");
        checker = venv.resolve("bin/check-jsonschema");
        if (!Files.exists(venv.resolve("installed-" + LINTER))) {
            assertEquals(0, run(List.of("python3", "-m", "venv", "--clear", venv.toString())).exit);
            Result pip = run(List.of(venv.resolve("bin/pip").toString(), "install", "-q", "--disable-pip-version-check", LINTER));
            assertEquals(0, pip.exit, pip.output);
            Files.writeString(venv.resolve("installed-" + LINTER), "");
        }
    }

    record Result(int exit, String output) { }

    static Result run(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "timed out: " + argv);
        return new Result(p.exitValue(), out);
    }

    static Result check(String schema, Path file) throws Exception {
        return run(List.of(checker.toString(), "--builtin-schema", schema, file.toString()));
    }

    /** The template passes the schema; its text holds {@code must}; with {@code from} replaced by {@code to} it is refused. */
    static void validAndBrokenRefused(String schema, String template, String must, String from, String to) throws Exception {
        Path file = ROOT.resolve(template);
        Result ok = check(schema, file);
        assertEquals(0, ok.exit, ok.output);
        String text = Files.readString(file);
        assertTrue(text.contains(must), template + " holds " + must);
        assertTrue(text.contains(from), template + " holds " + from);
        Path broken = Files.createTempDirectory("ci").resolve("broken.yml");
        Files.writeString(broken, text.replace(from, to));
        Result refused = check(schema, broken);
        assertEquals(1, refused.exit, refused.output);
    }

    @Test
    void theGitHubWorkflowIsValidAndABrokenOneIsNot() throws Exception {
        validAndBrokenRefused("vendor.github-workflows", "examples/ci/github-actions.yml", "make gate PROVISION=",
                "runs-on: ubuntu-24.04", "runs_on: ubuntu-24.04");
    }

    @Test
    void theGitLabJobIsValidAndABrokenOneIsNot() throws Exception {
        // The mistake the linter caught in this template's first draft: ": " in an unquoted script line makes it a mapping.
        validAndBrokenRefused("vendor.gitlab-ci", "examples/ci/gitlab-ci.yml", "junit: triad-report/junit.xml",
                "- 'if [ \"$code\" -eq 2 ]; then echo \"ERROR: bad input for the gate (exit 2), see above\"; fi'",
                "- if [ \"$code\" -eq 2 ]; then echo \"ERROR: bad input for the gate (exit 2), see above\"; fi");
    }
}
