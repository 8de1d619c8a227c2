package io.triad.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Allure single-file report: one HTML file whose data files are embedded as
 * {@code d('data/test-cases/<uid>.json','<base64>')} calls. Read to take a previous run's history
 * out of it and to point links at the uids Allure gave the scenarios; written back as it was
 * apart from the entries replaced.
 */
public final class SingleFile {

    private static final Pattern ENTRY = Pattern.compile("d\\('([^']+)','([A-Za-z0-9+/=]*)'\\)");

    private String html;

    private SingleFile(String html) {
        this.html = html;
    }

    public static SingleFile read(Path file) throws IOException {
        return new SingleFile(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** The embedded files whose names start with {@code prefix}, decoded. */
    public Map<String, byte[]> entries(String prefix) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        Matcher m = ENTRY.matcher(html);
        while (m.find()) {
            if (m.group(1).startsWith(prefix)) {
                out.put(m.group(1), Base64.getDecoder().decode(m.group(2)));
            }
        }
        return out;
    }

    /** Replaces the content of one embedded file. */
    void replace(String name, byte[] content) {
        Matcher m = ENTRY.matcher(html);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                html = html.substring(0, m.start(2)) + Base64.getEncoder().encodeToString(content) + html.substring(m.end(2));
                return;
            }
        }
        throw new IllegalArgumentException("the report embeds no " + name);
    }

    void write(Path file) throws IOException {
        Files.writeString(file, html, StandardCharsets.UTF_8);
    }
}
