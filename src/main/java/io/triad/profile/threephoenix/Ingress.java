package io.triad.profile.threephoenix;

import io.triad.host.Shell;

/** The site as a visitor reaches it: curl to the site's name, resolved to the public address, the zone CA trusted. */
public final class Ingress {

    /** Where every host of the zone keeps the zone CA's certificate (to verify the site's). */
    public static final String ZONE_CA = "/etc/phoenix/zone-ca.crt";

    private Ingress() { }

    /**
     * A curl that prints the status code and the redirect target of {@code scheme://site/path}
     * reached at {@code address}; {@code extra} options are added as they are.
     */
    public static String curl(Settings s, String address, String scheme, String path, String extra) {
        int port = scheme.equals("https") ? s.httpsPort() : s.httpPort();
        String url = scheme + "://" + s.siteName() + (port == (scheme.equals("https") ? 443 : 80) ? "" : ":" + port) + path;
        return "curl -sS --max-time 5 -o /dev/null -w '%{http_code} %{redirect_url}\\n' --cacert " + s.caFile() + " --resolve "
                + Shell.quote(s.siteName() + ":" + port + ":" + address) + " " + extra + " " + Shell.quote(url);
    }
}
