package io.triad.report;

import io.triad.env.InputError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestTest {

    @TempDir
    Path run;

    void aRun() throws Exception {
        Files.writeString(run.resolve("junit.xml"), "<testsuite tests=\"1\"/>\n");
        Files.createDirectories(run.resolve("histories"));
        Files.writeString(run.resolve("histories/drill.jsonl"), "{\"type\":\"fault\"}\n");
    }

    @Test
    void aFreshManifestVerifies() throws Exception {
        aRun();
        assertEquals(2, Manifest.write(run));
        assertEquals(List.of(), Manifest.verify(run));
        String manifest = Files.readString(run.resolve(Manifest.FILE));
        assertTrue(manifest.contains("  histories/drill.jsonl\n") && manifest.contains("  junit.xml\n"), manifest);
        assertTrue(!manifest.contains(Manifest.FILE), "the manifest does not list itself");
    }

    @Test
    void oneChangedByteIsNamed() throws Exception {
        aRun();
        Manifest.write(run);
        byte[] bytes = Files.readAllBytes(run.resolve("junit.xml"));
        bytes[1] ^= 1;
        Files.write(run.resolve("junit.xml"), bytes);
        List<String> problems = Manifest.verify(run);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("changed: junit.xml (sha256 "), problems.toString());
    }

    @Test
    void missingAndAddedFilesAreNamed() throws Exception {
        aRun();
        Manifest.write(run);
        Files.delete(run.resolve("histories/drill.jsonl"));
        Files.writeString(run.resolve("extra.html"), "<p>not from the run</p>");
        assertEquals(List.of("missing: histories/drill.jsonl", "added: extra.html"), Manifest.verify(run));
    }

    @Test
    void aLinkToTheRunIsFollowed() throws Exception {
        aRun();
        Manifest.write(run);
        Path latest = Files.createSymbolicLink(run.resolveSibling(run.getFileName() + "-latest"), run.getFileName());
        try {
            assertEquals(List.of(), Manifest.verify(latest));
            Files.writeString(run.resolve("junit.xml"), "<testsuite tests=\"2\"/>\n");
            assertEquals(1, Manifest.verify(latest).size());
        } finally {
            Files.delete(latest);
        }
    }

    @Test
    void noManifestOrAMalformedOneIsBadInput() throws Exception {
        aRun();
        InputError none = assertThrows(InputError.class, () -> Manifest.verify(run));
        assertTrue(none.getMessage().contains("has no MANIFEST.sha256"), none.getMessage());
        Files.writeString(run.resolve(Manifest.FILE), "not a digest line\n");
        InputError bad = assertThrows(InputError.class, () -> Manifest.verify(run));
        assertTrue(bad.getMessage().contains("line 1 is not '<sha256>  <path>'"), bad.getMessage());
        assertThrows(InputError.class, () -> Manifest.verify(run.resolve("nowhere")));
    }
}
