package io.triad.profile.bsfgtriad;

import io.triad.host.Shell;

import java.util.Optional;

/**
 * Tries what must not work: a controller started on a node that holds no lease must refuse to
 * serve and end itself. The drills judge "an active controller" as a running controller whose node
 * holds a valid lease ({@link Recorder#parseSample}), because that is when the controller serves;
 * this try is what stops that judgement from taking the controller's word for it.
 *
 * <p>The controller is run on the node as its unit runs it (the unit's program, user, Environment=
 * and EnvironmentFile= lines, drop-ins included, read with {@code systemctl show}), except that it
 * binds 127.0.0.1 on a spare port, so it touches neither the VIP nor the zone's clients. The node
 * polls it against a deadline: it must end by itself, with the controller's "state=lease-lost"
 * line and exit status 75; a /health that answers 200, or a process still running at the deadline,
 * is a controller that serves without the lease. Whatever happens the process is killed before the
 * script ends ({@code timeout -s KILL} bounds it besides), so the node is left as it was.
 */
public final class ControllerWithoutLease {

    private ControllerWithoutLease() { }

    /** How long the node waits for the controller to end itself (a JVM start under load takes 1-3 s). */
    public static final int DEADLINE_SECONDS = 20;

    /** The script run on the node, as root: prints one verdict line (ENDED rc, SERVED, RUNNING, NOT-RUN why) and the controller's output. */
    public static String script(String unit, int port) {
        return """
                set -u
                u=%1$s; port=%2$d; deadline=$(( EPOCHSECONDS + %3$d ))
                exe=$(systemctl show -p ExecStart --value "$u" | sed -n 's/.*argv\\[\\]=\\([^ ;]*\\).*/\\1/p')
                user=$(systemctl show -p User --value "$u")
                [ -n "$exe" ] || { echo "NOT-RUN the unit $u has no ExecStart"; exit 0; }
                envs=$(systemctl show -p Environment --value "$u")
                files=$(systemctl show -p EnvironmentFiles --value "$u" | sed 's/ (ignore_errors=[a-z]*)//')
                out=$(mktemp)
                (
                  set -a
                  for kv in $envs; do export "$kv"; done
                  for f in $files; do f=${f#-}; [ -r "$f" ] && . "$f"; done
                  set +a
                  export BIND_ADDRESS=127.0.0.1 PORT=$port
                  unset WATCHDOG_USEC NOTIFY_SOCKET
                  exec setsid timeout -s KILL %4$d setpriv --reuid="${user:-root}" --regid="${user:-root}" --init-groups -- "$exe"
                ) >"$out" 2>&1 &
                pid=$!
                verdict=
                while kill -0 "$pid" 2>/dev/null; do
                  code=$(curl -sk -o /dev/null -w '%%{http_code}' --max-time 1 "https://127.0.0.1:$port/health")
                  if [ "$code" = 200 ]; then verdict=SERVED; break; fi
                  if (( EPOCHSECONDS >= deadline )); then verdict=RUNNING; break; fi
                  sleep 0.1
                done
                if [ -n "$verdict" ]; then
                  kill -KILL -- "-$pid" 2>/dev/null; wait "$pid" 2>/dev/null
                  echo "$verdict"
                else
                  wait "$pid"; echo "ENDED $?"
                fi
                tail -n 20 "$out"; rm -f "$out"
                """.formatted(Shell.quote(unit), port, DEADLINE_SECONDS, DEADLINE_SECONDS + 5);
    }

    /**
     * What the node's output says, as a problem, or empty when the controller refused: it ended by
     * itself with status 75 and logged that it lost (never held) its lease.
     */
    public static Optional<String> problem(String node, String output) {
        String[] lines = output.strip().split("\n", 2);
        String verdict = lines[0].strip();
        String log = lines.length > 1 ? lines[1].strip() : "";
        String said = log.isEmpty() ? "it printed nothing" : "its output: " + log.replace('\n', ' ');
        if (verdict.equals("ENDED 75") && log.contains("state=lease-lost")) {
            return Optional.empty();
        }
        if (verdict.equals("SERVED")) {
            return Optional.of("a controller started on " + node + ", which holds no lease, answered /health with 200: it serves without the"
                    + " zone's lease (" + said + ")");
        }
        if (verdict.equals("RUNNING")) {
            return Optional.of("a controller started on " + node + ", which holds no lease, was still running after " + DEADLINE_SECONDS
                    + " s: it must end itself at once (" + said + ")");
        }
        if (verdict.startsWith("ENDED")) {
            return Optional.of("a controller started on " + node + ", which holds no lease, ended with status " + verdict.substring(6)
                    + ", not 75 with \"state=lease-lost\": its refusal was not shown (" + said + ")");
        }
        return Optional.of("the controller could not be tried on " + node + ": " + (verdict.isEmpty() ? "no answer" : verdict)
                + (log.isEmpty() ? "" : " (" + log.replace('\n', ' ') + ")"));
    }
}
