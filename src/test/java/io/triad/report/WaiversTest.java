package io.triad.report;

import io.triad.env.InputError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The waivers file: read as written, and every mistake named in one message. */
class WaiversTest {

    static final List<String> KNOWN = List.of("3.7", "4.1", "drill:crash");

    @TempDir
    Path dir;

    Waivers load(String yaml) throws Exception {
        return Waivers.load(Files.writeString(dir.resolve("waivers.yaml"), yaml), KNOWN);
    }

    void refused(String yaml, String message) {
        InputError e = assertThrows(InputError.class, () -> load(yaml));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void aWaiverAsWritten() throws Exception {
        Waivers w = load("""
                waivers:
                  - item: "3.7"
                    justification: chrony's upstream is replaced on 2026-12-01 (change CHG-1)
                    approver: Jane Roe, platform lead
                    expires: 2026-12-31
                  - { item: "drill:crash", justification: j, approver: a, expires: 2026-11-01 }
                """);
        assertEquals(2, w.all().size());
        Waivers.Waiver clock = w.of("3.7").orElseThrow();
        assertEquals(LocalDate.parse("2026-12-31"), clock.expires());
        assertEquals("Jane Roe, platform lead", clock.approver());
        assertEquals(java.util.Set.of("3.7"), w.valid(LocalDate.parse("2026-11-21")));
        assertEquals(List.of("drill:crash"), w.expired(LocalDate.parse("2026-11-21")).stream().map(Waivers.Waiver::item).toList());
    }

    @Test
    void mistakesAreNamed() {
        refused("waivers: {}\n", "must hold a list 'waivers'");
        refused("waivers:\n  - {item: \"9.99\", justification: j, approver: a, expires: 2026-12-31}\n",
                "waiver 1: item '9.99' is neither a runbook item nor a drill of the features");
        refused("waivers:\n  - {item: \"3.7\", approver: a, expires: 2026-12-31}\n", "waiver 1: 'justification' is missing or empty");
        refused("waivers:\n  - {item: \"3.7\", justification: j, approver: \" \", expires: 2026-12-31}\n",
                "waiver 1: 'approver' is missing or empty");
        refused("waivers:\n  - {item: \"3.7\", justification: j, approver: a, expires: 31/12/2026}\n",
                "waiver 1 (item 3.7): expires '31/12/2026' is not a date (YYYY-MM-DD)");
        refused("waivers:\n  - {item: \"3.7\", justification: j, approver: a, expires: 2026-12-31}\n"
                + "  - {item: \"3.7\", justification: j, approver: b, expires: 2026-12-31}\n", "waiver 2: item 3.7 is waived twice");
        refused("waivers: [\n", "is not valid YAML at line");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("none.yaml");
        InputError e = assertThrows(InputError.class, () -> Waivers.load(missing, KNOWN));
        assertEquals("waivers file " + missing + " does not exist", e.getMessage());
    }
}
