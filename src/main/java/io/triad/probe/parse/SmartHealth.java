package io.triad.probe.parse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code smartctl -H DEVICE}: the verdict line of ATA/SATA and NVMe drives
 * ({@code SMART overall-health self-assessment test result: PASSED} or {@code FAILED!}) or of SCSI/SAS drives
 * ({@code SMART Health Status: OK}, anything else being an informational-exception failure).
 */
public final class SmartHealth {

    /** The verdict; {@code device} is whatever the caller passed (smartctl -H does not print it), possibly empty. */
    public record Result(String device, boolean passed, String verdictLine) { }

    private static final Pattern ATA_NVME = Pattern.compile("^SMART overall-health self-assessment test result:\\s*(\\S+)\\s*$");
    private static final Pattern SCSI = Pattern.compile("^SMART Health Status:\\s*(.+?)\\s*$");

    private SmartHealth() { }

    public static Result parse(String output) {
        return parse("", output);
    }

    /** As {@link #parse(String)}, recording which device the output was taken from. */
    public static Result parse(String device, String output) {
        for (String raw : output.split("\r?\n")) {
            String line = raw.trim();
            Matcher m = ATA_NVME.matcher(line);
            if (m.matches()) {
                return new Result(device, m.group(1).equals("PASSED"), line);
            }
            m = SCSI.matcher(line);
            if (m.matches()) {
                return new Result(device, m.group(1).equals("OK"), line);
            }
        }
        throw new IllegalArgumentException("no SMART health verdict in smartctl output" + firstMessage(output));
    }

    /** The first line after smartctl's banner, e.g. "/dev/vda: Unable to detect device type". */
    private static String firstMessage(String output) {
        for (String raw : output.split("\r?\n")) {
            String line = raw.trim();
            if (!line.isEmpty() && !line.startsWith("smartctl ") && !line.startsWith("Copyright")) {
                return ": " + line;
            }
        }
        return " (empty output)";
    }
}
