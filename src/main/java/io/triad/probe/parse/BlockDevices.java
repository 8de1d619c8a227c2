package io.triad.probe.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code lsblk -J -o NAME,KNAME,TYPE,SIZE,FSTYPE,UUID,MOUNTPOINT} (a "mountpoint" string or null) or the same
 * with MOUNTPOINTS (util-linux 2.37+: a "mountpoints" array, {@code [null]} when not mounted).
 */
public final class BlockDevices {

    /** One device; absent fstype/uuid are "", no mount point is an empty list. */
    public record Device(String name, String type, String size, String fstype, String uuid, List<String> mountpoints,
                         List<Device> children) { }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Device> roots;

    private BlockDevices(List<Device> roots) {
        this.roots = List.copyOf(roots);
    }

    public static BlockDevices parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("lsblk output is not JSON: " + firstLine(json), e);
        }
        if (root == null || !root.path("blockdevices").isArray()) {
            throw new IllegalArgumentException("lsblk JSON has no \"blockdevices\" array");
        }
        List<Device> roots = new ArrayList<>();
        for (JsonNode n : root.get("blockdevices")) {
            roots.add(device(n));
        }
        return new BlockDevices(roots);
    }

    /** The top-level devices (disks, loops), with their children. */
    public List<Device> roots() {
        return roots;
    }

    /**
     * Every device, depth first. A device lsblk shows under several parents (an md array under each member) is
     * listed once.
     */
    public List<Device> all() {
        List<Device> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        flatten(roots, out, seen);
        return out;
    }

    /** By name: "nvme0n1", "/dev/nvme0n1" or, for device-mapper names, "/dev/mapper/vg-root". */
    public Optional<Device> named(String nameOrDevPath) {
        String name = nameOrDevPath.replaceFirst("^/dev/(mapper/)?", "");
        return all().stream().filter(d -> d.name().equals(name)).findFirst();
    }

    private static void flatten(List<Device> devices, List<Device> out, Set<String> seen) {
        for (Device d : devices) {
            if (seen.add(d.name())) {
                out.add(d);
            }
            flatten(d.children(), out, seen);
        }
    }

    private static Device device(JsonNode n) {
        String name = text(n, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("lsblk device without a \"name\": " + n);
        }
        List<String> mounts = new ArrayList<>();
        JsonNode many = n.get("mountpoints");
        if (many != null && many.isArray()) {
            many.forEach(m -> {
                if (!m.isNull() && !m.asText().isEmpty()) {
                    mounts.add(m.asText());
                }
            });
        } else if (!text(n, "mountpoint").isEmpty()) {
            mounts.add(text(n, "mountpoint"));
        }
        List<Device> children = new ArrayList<>();
        n.path("children").forEach(c -> children.add(device(c)));
        return new Device(name, text(n, "type"), text(n, "size"), text(n, "fstype"), text(n, "uuid"),
                List.copyOf(mounts), List.copyOf(children));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return "'" + (nl < 0 ? t : t.substring(0, nl)) + "'";
    }
}
