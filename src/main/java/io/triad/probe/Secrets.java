package io.triad.probe;

import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.host.Shell;

import java.util.ArrayList;
import java.util.List;

/**
 * The secrets a host holds, found by what they are rather than from a list of the files the zone
 * was built with, and tried the way an intruder with a login would: as an unprivileged user.
 *
 * <p>A file is a secret when, under the host's configuration and data directories ({@link #ROOTS}),
 * it is a regular file of at most 1 MiB and
 * <ul>
 *   <li>holds a private key (a PEM or OpenSSH private key block), or</li>
 *   <li>its name says it is one ({@code *.key}, {@code *-key.pem}, {@code *_key}, {@code *.pass},
 *       {@code *.password}, {@code *.token}, {@code *.secret}, {@code .pgpass}), or</li>
 *   <li>it lies in a directory named {@code secrets} or {@code private} and is not a certificate
 *       (a file whose only PEM blocks are certificates is public by design).</li>
 * </ul>
 * The file systems the host mounts besides (a data disk, a volume: {@link #MOUNTS}) are searched too.
 * A secret is <em>exposed</em> when the user {@code nobody} (no group of any service) can read a
 * byte of it: the mode, the owner, the directories above it and any ACL decide together, as they do
 * for a real reader, so no reading of mode bits stands in for the try.
 */
public final class Secrets {

    /** Where a host keeps configuration and data: the places searched. */
    public static final List<String> ROOTS = List.of("/etc", "/opt", "/srv", "/root", "/home", "/var/lib", "/usr/local/etc", "/usr/local/lib");

    /**
     * Not the zone's configuration, and large on a live host: package managers' and systemd's own
     * state, container engines' layers, PostgreSQL's relation files and WAL (its data directory's
     * own files, where a server key may be, are searched).
     */
    static final List<String> PRUNED = List.of("/var/lib/dpkg", "/var/lib/apt", "/var/lib/systemd", "/var/lib/ucf", "/var/lib/pam",
            "/usr/local/lib/python3*", "/var/lib/docker", "/var/lib/containerd", "/var/lib/postgresql/*/*/base",
            "/var/lib/postgresql/*/*/pg_wal", "/var/lib/postgresql/*/*/global", "/var/lib/postgresql/*/*/pg_xact");

    private Secrets() { }

    /** What one host holds: every secret found, and those the unprivileged user could read. */
    public record Found(List<String> secrets, List<String> exposed) { }

    /**
     * The shell script that finds the secrets (one path per line, "S path"), then tries each as
     * {@code nobody} ("R path" for each it could read). Run as root.
     */
    public static String script() {
        return script(ROOTS, true);
    }

    /** As {@link #script()}, searching the given directories. */
    static String script(List<String> searched) {
        return script(searched, false);
    }

    /**
     * The file systems a host mounts (local disk file systems and tmpfs, found with findmnt on the
     * host) beside the roots: a data disk or a volume mounted at /data or /artifacts is the host's
     * too, and find's -xdev keeps each root's search on its own file system. /proc, /sys, /dev, /run
     * and a container engine's own mounts (its layers and volumes, as {@link #PRUNED}) are not searched.
     */
    static final String MOUNTS = "$(findmnt -rn -o TARGET,FSTYPE 2>/dev/null | awk '$2 ~ /^(ext[234]|xfs|btrfs|zfs|f2fs|tmpfs)$/ && $1 != \"/\" "
            + "&& $1 !~ /^\\/(proc|sys|dev|run|var\\/lib\\/docker|var\\/lib\\/containerd)(\\/|$)/ {print $1}')";

    static String script(List<String> searched, boolean mounts) {
        StringBuilder prune = new StringBuilder();
        for (String p : PRUNED) {
            prune.append(" -path ").append(Shell.quote(p)).append(" -prune -o");
        }
        StringBuilder roots = new StringBuilder();
        for (String r : searched) {
            roots.append(' ').append(Shell.quote(r));
        }
        return """
                set -u
                # read-only: the list is kept in the shell, no file is written on the host
                list=$(for r in%s; do [ -d "$r" ] && echo "$r"; done | while read -r r; do
                  find "$r" -xdev%s -type f -size -1025k -print 2>/dev/null
                done | sort -u | while IFS= read -r f; do
                  case "$f" in
                    *.key|*-key.pem|*_key|*.pass|*.password|*.token|*.secret|*/.pgpass) echo "$f"; continue ;;
                  esac
                  case "$f" in
                    */secrets/*|*/private/*)
                      if grep -Iq -- '-----BEGIN' "$f" 2>/dev/null && ! grep -I -- '-----BEGIN' "$f" 2>/dev/null | grep -vq -- '-----BEGIN CERTIFICATE-----'; then
                        continue
                      fi
                      echo "$f"; continue ;;
                  esac
                  grep -IqE -- '-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----' "$f" 2>/dev/null && echo "$f"
                done)
                [ -n "$list" ] || exit 0
                printf '%%s\n' "$list" | sed 's/^/S /'
                # what must not work: an unprivileged user reading any of them
                printf '%%s\n' "$list" | runuser -u nobody -- sh -c 'while IFS= read -r f; do head -c1 -- "$f" >/dev/null 2>&1 && echo "R $f"; done'
                exit 0
                """.formatted(roots + (mounts ? " " + MOUNTS : ""), prune);
    }

    /** The secrets a host holds and those exposed, from the script's output. */
    public static Found parse(String out) {
        List<String> secrets = new ArrayList<>();
        List<String> exposed = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("S ")) {
                secrets.add(line.substring(2));
            } else if (line.startsWith("R ")) {
                exposed.add(line.substring(2));
            } else if (!line.isBlank()) {
                throw new IllegalArgumentException("unexpected line '" + line + "'");
            }
        }
        return new Found(List.copyOf(secrets), List.copyOf(exposed));
    }

    /** Runs the search and the tries on a host (as root); a failure of the script itself is an IllegalStateException. */
    public static Found on(Host h) {
        CommandResult r = h.exec(h.asRoot("sh -c " + Shell.quote(script())), java.time.Duration.ofSeconds(120));
        if (!r.ok()) {
            throw new IllegalStateException("the search for secrets failed on " + h.name() + " (exit " + r.exitCode() + "): "
                    + (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip());
        }
        return parse(r.stdout());
    }
}
