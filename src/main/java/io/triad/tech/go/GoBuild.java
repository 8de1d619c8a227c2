package io.triad.tech.go;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a running Go program was built as, read on its host without Go: the executable the process
 * runs ({@code /proc/<pid>/exe}, not a file that may have been replaced since), its SHA-256, the
 * build settings Go embeds in every binary built in module mode ({@code build\tGOOS=linux} and the
 * like: the lines {@code go version -m} prints) and whether it needs a dynamic loader ({@code ldd}).
 */
public record GoBuild(String exe, String sha256, Map<String, String> settings, String ldd) {

    /**
     * The command that prints it for a systemd unit's main process: lines {@code exe}, {@code sha256},
     * the build settings as grep finds them, {@code ldd}. Exit 3 when the unit has no main process.
     */
    public static String command(String unit) {
        String u = io.triad.host.Shell.quote(unit);
        return "pid=$(systemctl show -p MainPID --value " + u + "); [ -n \"$pid\" ] && [ \"$pid\" != 0 ] || exit 3; e=/proc/$pid/exe;"
                + " echo \"exe $(readlink \"$e\")\"; echo \"sha256 $(sha256sum < \"$e\" | cut -d' ' -f1)\";"
                + " grep -a -o -E 'build\t(CGO_ENABLED|GOARCH|GOOS)=[A-Za-z0-9_]+' \"$e\" | sort -u;"
                + " echo \"ldd $(ldd \"$e\" 2>&1 | tr '\\n' ' ')\"";
    }

    /** The output of {@link #command}. */
    public static GoBuild parse(String out) {
        String exe = "";
        String sha = "";
        String ldd = "";
        Map<String, String> settings = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("exe ")) {
                exe = line.substring(4).strip();
            } else if (line.startsWith("sha256 ")) {
                sha = line.substring(7).strip();
            } else if (line.startsWith("ldd ")) {
                ldd = line.substring(4).strip();
            } else if (line.startsWith("build\t") && line.contains("=")) {
                String kv = line.substring(6);
                settings.putIfAbsent(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1).strip());
            }
        }
        return new GoBuild(exe, sha, Map.copyOf(settings), ldd);
    }

    /** ldd's answer for a binary that needs no loader: "not a dynamic executable" (glibc) or "statically linked". */
    public boolean isStatic() {
        return ldd.contains("not a dynamic executable") || ldd.contains("statically linked");
    }

    /** How this build differs from one for {@code goos}/{@code goarch} with CGO_ENABLED=0 (a static binary); empty when it does not. */
    public List<String> problems(String goos, String goarch) {
        List<String> problems = new ArrayList<>();
        if (settings.isEmpty()) {
            problems.add(exe + " holds no Go build information (not a Go program built in module mode, or stripped of it)");
        } else {
            expect(problems, "GOOS", goos);
            expect(problems, "GOARCH", goarch);
            expect(problems, "CGO_ENABLED", "0");
        }
        if (!isStatic()) {
            problems.add(exe + " needs a dynamic loader and the C library (ldd: " + ldd + ")");
        }
        return problems;
    }

    private void expect(List<String> problems, String key, String want) {
        String got = Optional.ofNullable(settings.get(key)).orElse("not recorded");
        if (!got.equals(want)) {
            problems.add(exe + " was built with " + key + "=" + got + ", not " + want);
        }
    }
}
