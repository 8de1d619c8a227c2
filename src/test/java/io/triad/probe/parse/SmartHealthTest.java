package io.triad.probe.parse;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmartHealthTest {

    @Test
    void passingAtaNvmeAndScsi() {
        SmartHealth.Result ata = SmartHealth.parse("/dev/sda", Recorded.read("smartctl-H-ata-passed.txt"));
        assertEquals(new SmartHealth.Result("/dev/sda", true, "SMART overall-health self-assessment test result: PASSED"), ata);
        assertTrue(SmartHealth.parse(Recorded.read("smartctl-H-nvme-passed.txt")).passed());
        SmartHealth.Result scsi = SmartHealth.parse(Recorded.read("smartctl-H-scsi-ok.txt"));
        assertTrue(scsi.passed());
        assertEquals("", scsi.device());
        assertEquals("SMART Health Status: OK", scsi.verdictLine());
    }

    @Test
    void failingDrivesFail() {
        SmartHealth.Result ata = SmartHealth.parse(Recorded.read("smartctl-H-ata-failed.txt"));
        assertFalse(ata.passed());
        assertEquals("SMART overall-health self-assessment test result: FAILED!", ata.verdictLine());
        assertFalse(SmartHealth.parse(Recorded.read("smartctl-H-nvme-failed.txt")).passed());
        SmartHealth.Result scsi = SmartHealth.parse(Recorded.read("smartctl-H-scsi-failing.txt"));
        assertFalse(scsi.passed());
        assertTrue(scsi.verdictLine().contains("IMPENDING FAILURE"), scsi.verdictLine());
    }

    @Test
    void noVerdictIsAnErrorCarryingSmartctlsMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SmartHealth.parse(Recorded.read("smartctl-H-unknown-type.txt")));
        assertEquals("no SMART health verdict in smartctl output: /dev/vda: Unable to detect device type", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SmartHealth.parse(Recorded.read("smartctl-H-open-failed.txt")));
        assertTrue(e.getMessage().endsWith("Smartctl open device: /dev/vda [SAT] failed: Operation not permitted"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SmartHealth.parse(""));
        assertTrue(e.getMessage().contains("empty output"), e.getMessage());
    }
}
