package io.triad.history;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Samples as the BSFG triad's recorder writes them (vip, controller, keepalived, vrrp), for the tests. */
public final class Samples {

    /** The BSFG triad's exclusive resources, as its profile names them. */
    public static final List<History.Resource> BSFG = io.triad.env.Profile.named("bsfg-triad").exclusive();
    public static final History.Resource VIP = io.triad.env.Profile.named("bsfg-triad").exclusive("vip");
    public static final History.Serving BSFG_SERVING = io.triad.env.Profile.named("bsfg-triad").serving();

    private Samples() { }

    public static History.Sample bsfg(String node, Instant start, Instant end, boolean vip, boolean controller, String keepalived,
                                      String vrrp) {
        Map<String, String> states = new LinkedHashMap<>();
        states.put("vip", String.valueOf(vip));
        states.put("controller", String.valueOf(controller));
        states.put("keepalived", keepalived);
        states.put("vrrp", vrrp);
        return new History.Sample(node, start, end, states);
    }
}
