package io.triad.probe.parse;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FindmntTest {

    @Test
    void oneTarget() {
        List<Findmnt.Mount> mounts = Findmnt.parse(Recorded.read("findmnt-root.json"));
        assertEquals(List.of(new Findmnt.Mount("/", "/dev/vda", "ext4",
                List.of("rw", "relatime", "discard", "resv_strict", "resuid=65534", "resgid=65534"))), mounts);
    }

    @Test
    void wholeTreeIsFlattened() {
        List<Findmnt.Mount> mounts = Findmnt.parse(Recorded.read("findmnt-tree.json"));
        assertEquals("/", mounts.get(0).target());
        assertTrue(mounts.stream().anyMatch(m -> m.target().equals("/sys/fs/cgroup/cpu") && m.fstype().equals("cgroup")));
        assertEquals(22, mounts.size());
    }

    @Test
    void notMountedPrintsNothing() {
        assertEquals(List.of(), Findmnt.parse(""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Findmnt.parse("findmnt: bad usage"));
        assertTrue(e.getMessage().startsWith("findmnt output is not JSON"), e.getMessage());
    }

    @Test
    void verifySuccessAndWarningsOnly() {
        Findmnt.Verify ok = Findmnt.parseVerify(Recorded.read("findmnt-verify-ok.txt"));
        assertEquals(new Findmnt.Verify(0, 0, 0, List.of()), ok);
        assertTrue(ok.ok());
        Findmnt.Verify warn = Findmnt.parseVerify(Recorded.read("findmnt-verify-warn.txt"));
        assertEquals(2, warn.warnings());
        assertTrue(warn.ok(), "warnings alone are ok");
        assertEquals("/srv: [W] unreachable source: /dev/sdz1: No such file or directory", warn.messages().get(0));
    }

    @Test
    void verifyErrorsFail() {
        for (String name : List.of("findmnt-verify-bad.txt", "findmnt-verify-bad-tty.txt")) {
            Findmnt.Verify v = Findmnt.parseVerify(Recorded.read(name));
            assertFalse(v.ok(), name);
            assertEquals(1, v.parseErrors());
            assertEquals(4, v.errors());
            assertEquals(4, v.warnings());
            assertTrue(v.messages().contains("findmnt: /etc/fstab: parse error at line 7 -- ignored"), name);
            assertTrue(v.messages().contains("/data: [E] unreachable on boot required source: "
                    + "UUID=0a1b2c3d-0000-4000-8000-000000000001"), name);
            assertTrue(v.messages().contains("/srv/jetstream: [W] unreachable source: /dev/sdz1: No such file or directory"), name);
            assertEquals(9, v.messages().size(), name);
        }
    }

    @Test
    void verifyWithoutSummaryIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Findmnt.parseVerify("findmnt: unrecognized option '--verify'\n"));
        assertTrue(e.getMessage().startsWith("no findmnt --verify summary line"), e.getMessage());
    }
}
