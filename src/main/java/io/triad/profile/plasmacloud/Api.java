package io.triad.profile.plasmacloud;

import io.triad.host.Shell;

/**
 * The runbook's own reads of the services' HTTPS API, as commands run on a node: curl with the
 * zone's CA (never -k: a certificate the CA did not issue fails the read), jq to judge the JSON.
 */
final class Api {

    private Api() { }

    /** A service's base URL on a host, by its name in DNS. */
    static String base(Settings s, String hostname, int port) {
        return "https://" + hostname + ":" + port;
    }

    /**
     * On a node: each service's health as the runbook documents it (Chainfire and FlareDB healthy
     * with a cluster of 3, FlareDB's Chainfire connected, IAM's database connected) and both
     * first-boot joins complete; one line each, "<what> ok" or "<what> bad <what was answered>".
     */
    static String healthAll(Settings s, String hostname) {
        String script = """
                ca=%1$s
                check() { body=$(curl -s --max-time 3 --cacert "$ca" "$2" 2>&1)
                  if printf '%%s' "$body" | jq -e "$3" >/dev/null 2>&1; then echo "$1 ok"; else echo "$1 bad $(printf '%%s' "${body:-no answer}" | head -c 300 | tr '\\n' ' ')"; fi; }
                check chainfire %2$s/health '.status == "healthy" and .cluster_size == 3'
                check flaredb %3$s/health '.status == "healthy" and .cluster_size == 3 and .chainfire == "connected"'
                check iam %4$s/health '.status == "healthy" and .database == "connected"'
                for u in chainfire-cluster-join flaredb-cluster-join; do
                  st=$(systemctl show -P ActiveState,SubState "$u.service" | paste -sd/); [ "$st" = active/exited ] && echo "$u ok" || echo "$u bad ${st:-unknown}"
                done
                """.formatted(Shell.quote(s.caFile()), base(s, hostname, s.chainfirePort()), base(s, hostname, s.flaredbPort()),
                base(s, hostname, s.iamPort()));
        return "bash -c " + Shell.quote(script);
    }

    static String firstLine(String text) {
        return text.strip().lines().findFirst().orElse("no output");
    }
}
