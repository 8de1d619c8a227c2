package io.triad.probe.parse;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlockDevicesTest {

    @Test
    void thisMachineWithMountpointAndWithMountpoints() {
        BlockDevices single = BlockDevices.parse(Recorded.read("lsblk-vda-mountpoint.json"));
        BlockDevices.Device vda = single.named("/dev/vda").orElseThrow();
        assertEquals(new BlockDevices.Device("vda", "disk", "256G", "", "", List.of("/"), List.of()), vda);
        assertEquals(List.of(), single.named("zram0").orElseThrow().mountpoints(), "null mountpoint");

        BlockDevices many = BlockDevices.parse(Recorded.read("lsblk-vda-mountpoints.json"));
        assertEquals(List.of("/var/lib/docker", "/"), many.named("vda").orElseThrow().mountpoints());
        assertEquals(List.of(), many.named("zram0").orElseThrow().mountpoints(), "[null] means not mounted");
    }

    @Test
    void nvmeMirrorTree() {
        BlockDevices b = BlockDevices.parse(Recorded.read("lsblk-nvme-raid1.json"));
        assertEquals(2, b.roots().size());
        assertEquals(List.of("nvme0n1", "nvme0n1p1", "nvme0n1p2", "md0", "nvme1n1", "nvme1n1p1", "nvme1n1p2"),
                b.all().stream().map(BlockDevices.Device::name).toList(), "md0 under both members is listed once");
        BlockDevices.Device md0 = b.named("/dev/md0").orElseThrow();
        assertEquals("raid1", md0.type());
        assertEquals("ext4", md0.fstype());
        assertEquals(List.of("/data", "/var/lib/nats"), md0.mountpoints());
        assertEquals("linux_raid_member", b.named("nvme1n1p2").orElseThrow().fstype());
    }

    @Test
    void missingOrUnmountedDevicesFailTheCheck() {
        BlockDevices b = BlockDevices.parse(Recorded.read("lsblk-nvme-raid1.json"));
        assertTrue(b.named("nvme1n1p1").orElseThrow().mountpoints().isEmpty(), "second ESP is not mounted");
        assertTrue(b.named("/dev/sdz").isEmpty());
        BlockDevices none = BlockDevices.parse(Recorded.read("lsblk-no-device.stdout.json"));
        assertTrue(none.all().isEmpty(), "lsblk /dev/sdz prints an empty list on stdout");
    }

    @Test
    void nonJsonIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlockDevices.parse(Recorded.read("lsblk-no-device.stderr.txt")));
        assertEquals("lsblk output is not JSON: 'lsblk: /dev/sdz: not a block device'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BlockDevices.parse("{\"filesystems\": []}"));
        assertTrue(e.getMessage().contains("blockdevices"), e.getMessage());
    }
}
