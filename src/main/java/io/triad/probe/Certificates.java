package io.triad.probe;

import io.triad.host.Shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every certificate under a host's directories, found by what it is rather than by the name of its
 * file: every regular file (of at most 1 MiB, in the directory or any directory below it) that holds
 * a PEM certificate block, and every certificate of a file that holds several (a chain, a bundle),
 * each judged on its own. A file named {@code *.crt} in the directory is found as before; a copy in
 * a subdirectory, a {@code .cer} or an expired certificate second in a bundle no longer hides.
 *
 * <p>The search runs on the host with {@code find}, {@code grep}, {@code awk} and {@code openssl},
 * one line per certificate: its file, its place in the file, its end date, {@code openssl x509
 * -checkend}'s verdict against the horizon and, when a CA file is given, {@code openssl verify}'s.
 */
public final class Certificates {

    private Certificates() {
    }

    /** One certificate: the file, its place among the file's certificates (1-based) and how many the file holds. */
    public record Found(String file, int index, int of, String notAfter, boolean beyondHorizon, Optional<Boolean> verified) {
        /** The file, and the certificate's place in it when the file holds more than one. */
        public String where() {
            return of > 1 ? file + " (certificate " + index + " of " + of + ")" : file;
        }

        /** Whether openssl could read it at all. */
        public boolean readable() {
            return !notAfter.isEmpty();
        }
    }

    /** What the search found under its directories: the certificates, and the directories that do not exist. */
    public record Search(List<Found> found, List<String> missingDirectories) {
    }

    /**
     * The command that lists every certificate under {@code dirs} with its end date, checked against
     * {@code horizonSeconds} from now, and verified against {@code caFile} when it is not null.
     */
    public static String command(List<String> dirs, long horizonSeconds, String caFile) {
        StringBuilder sh = new StringBuilder();
        for (String d : dirs) {
            sh.append("[ -d ").append(Shell.quote(d)).append(" ] || echo ").append(Shell.quote("missing|" + d)).append("; ");
        }
        sh.append("t=$(mktemp -d) || exit 1; trap 'rm -rf \"$t\"' EXIT; ");
        sh.append("for d in");
        dirs.forEach(d -> sh.append(' ').append(Shell.quote(d)));
        sh.append("; do [ -d \"$d\" ] && find \"$d\" -type f -size -1025k -print0; done 2>/dev/null")
                .append(" | xargs -0 -r grep -l -e '-----BEGIN CERTIFICATE-----' 2>/dev/null | sort -u | while IFS= read -r f; do ")
                .append("rm -f \"$t\"/*; ")
                // each certificate block of the file into a file of its own: 1.pem, 2.pem, ...
                .append("awk -v t=\"$t\" '/-----BEGIN CERTIFICATE-----/{n++; out=t \"/\" n \".pem\"} out{print > out} ")
                .append("/-----END CERTIFICATE-----/{if (out) close(out); out=\"\"}' \"$f\"; ")
                .append("of=$(ls \"$t\" | wc -l); i=0; while [ \"$i\" -lt \"$of\" ]; do i=$((i+1)); c=\"$t/$i.pem\"; ")
                .append("end=$(openssl x509 -noout -enddate -in \"$c\" 2>/dev/null | cut -d= -f2); ")
                .append("if [ -z \"$end\" ]; then echo \"cert|$f|$i|$of||unreadable|-\"; continue; fi; ")
                .append("if openssl x509 -noout -checkend ").append(horizonSeconds).append(" -in \"$c\" >/dev/null 2>&1; then ok=beyond; else ok=within; fi; ");
        if (caFile != null) {
            sh.append("if openssl verify -CAfile ").append(Shell.quote(caFile))
                    .append(" \"$c\" >/dev/null 2>&1; then v=verified; else v=unverified; fi; ");
        } else {
            sh.append("v=-; ");
        }
        sh.append("echo \"cert|$f|$i|$of|$end|$ok|$v\"; done; done; echo 'end|'");
        return sh.toString();
    }

    /** The lines of {@link #command}; fails when the listing did not run to its end. */
    public static Search parse(String stdout) {
        List<Found> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        boolean ended = false;
        for (String line : stdout.split("\n")) {
            String[] f = line.split("\\|", -1);
            switch (f[0]) {
                case "missing" -> missing.add(f[1]);
                case "end" -> ended = true;
                case "cert" -> {
                    if (f.length != 7) {
                        throw new IllegalArgumentException("a certificate line not as the listing writes it: " + line);
                    }
                    Optional<Boolean> verified = f[6].equals("-") ? Optional.empty() : Optional.of(f[6].equals("verified"));
                    found.add(new Found(f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[4], f[5].equals("beyond"), verified));
                }
                default -> {
                }
            }
        }
        if (!ended) {
            throw new IllegalArgumentException("the certificate listing did not run to its end: " + stdout.strip());
        }
        return new Search(found, missing);
    }
}
