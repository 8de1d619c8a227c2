package io.triad.steps.sfa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.host.Shell;
import io.triad.tech.kube.Kube;
import io.triad.tech.kube.Serving;
import io.triad.zone.Faults;
import io.triad.zone.Nemesis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * deploy.2, the runbook's blue-green deployment as it writes it: green deployed beside blue with
 * its own Service (the runbook port-forwards to service/user-service-green), the Service switched
 * by its {@code version} label with the runbook's own {@code kubectl patch}, and switched back. Who
 * takes the traffic is read where the cluster keeps it, the Service's EndpointSlices (the
 * control plane's endpoint-slice controller fills them from the pods the selector matches and
 * their readiness), never from the selector alone: "one colour at a time" is the endpoints holding
 * that colour's ready pods and no other pod. "Blue" is the colour the Service selects at the start
 * (a live zone may be on green: then green is blue here), "green" the other. The runbook's smoke
 * test through the port-forward needs a running container: on the simulated control plane (kwok
 * runs none) the evidence says it is not run. A fault of the catalogue (blue-green), allowed by
 * name, undone whatever happens: the Service's selector put back, green's Deployment and Service
 * removed.
 */
public class BlueGreenSteps extends SfaSupport {
    public BlueGreenSteps(io.triad.run.Run run) {
        super(run);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The label the runbook switches the Service by. */
    static final String COLOUR = "version";

    private String blue;
    private String green;
    private JsonNode blueDeployment;
    private String greenName;

    private String service() {
        return kube().blueGreenService();
    }

    /** The Service's endpoints now (its EndpointSlices). */
    private List<Serving.Endpoint> endpoints(String service) {
        return Serving.endpoints(kubeJson("get endpointslices" + kubeNs() + "-l " + q("kubernetes.io/service-name=" + service)));
    }

    /** The ready, not terminating, pods of a colour, by name. */
    private List<String> readyPodsOf(String colour) {
        return Kube.placed(kubeJson("get pods" + kubeNs() + "-l " + q(COLOUR + "=" + colour))).stream()
                .filter(p -> p.ready() && !p.deleting()).map(Kube.Placed::name).sorted().toList();
    }

    /** The colour of each of these pods ({@link #COLOUR}'s value; "none" when they carry none). */
    private Map<String, String> coloursOf(List<String> pods) {
        Map<String, String> colours = new TreeMap<>();
        for (JsonNode p : Kube.items(kubeJson("get pods" + kubeNs()), "kubectl get pods")) {
            String name = p.path("metadata").path("name").asText();
            if (pods.contains(name)) {
                colours.put(name, p.path("metadata").path("labels").path(COLOUR).asText("none"));
            }
        }
        return colours;
    }

    /**
     * Fails unless the Service's ready endpoints are exactly {@code colour}'s ready pods, at least
     * one (every endpoint not ready, or of another colour, or of no pod, named).
     */
    private void servesOnly(String service, String colour) {
        List<Serving.Endpoint> eps = endpoints(service);
        List<String> serving = Serving.readyPods(eps);
        List<String> wanted = readyPodsOf(colour);
        check(!wanted.isEmpty(), "no pod of " + colour + " is ready");
        List<String> others = new ArrayList<>(serving);
        others.removeAll(wanted);
        Map<String, String> otherColours = coloursOf(others);
        check(others.isEmpty(), "the Service " + service + " sends traffic to pods not of " + colour + ": " + otherColours
                + " (its endpoints: " + eps + ")");
        List<String> missing = new ArrayList<>(wanted);
        missing.removeAll(serving);
        check(missing.isEmpty(), "the Service " + service + " has not every ready pod of " + colour + " among its endpoints: " + missing
                + " missing (its endpoints: " + eps + ")");
        check(eps.stream().noneMatch(e -> e.pod().isEmpty()), "the Service " + service + " has endpoints that are no pod: " + eps);
    }

    @Given("the runbook's blue-green service serves blue's pods only")
    public void servesBlue() {
        Duration took = within(30, "the Service " + service() + "'s endpoints, one colour's ready pods", () -> {
            List<String> serving = Serving.readyPods(endpoints(service()));
            check(!serving.isEmpty(), "the Service " + service() + " has no ready endpoint");
            Map<String, String> colours = coloursOf(serving);
            List<String> distinct = colours.values().stream().distinct().toList();
            check(distinct.size() == 1 && !distinct.get(0).equals("none"), "the Service " + service() + "'s endpoints are not of one colour ("
                    + COLOUR + " label): " + colours);
            blue = distinct.get(0);
            servesOnly(service(), blue);
        });
        if (planning()) {
            blue = "blue";
        }
        green = blue.equals("green") ? "blue" : "green";
        // the Deployment whose pods these are: their ReplicaSet's owner
        JsonNode deployment = null;
        for (JsonNode d : Kube.items(kubeJson("get deployments" + kubeNs()), "kubectl get deployments")) {
            JsonNode labels = d.path("spec").path("template").path("metadata").path("labels");
            if (labels.path(COLOUR).asText().equals(blue) && matches(d.path("spec").path("selector").path("matchLabels"), labels)) {
                if (deployment != null) {
                    throw new AssertionError("two Deployments make " + blue + "'s pods: " + deployment.path("metadata").path("name").asText()
                            + " and " + d.path("metadata").path("name").asText());
                }
                deployment = d;
            }
        }
        check(deployment != null || planning(), "no Deployment makes " + blue + "'s pods (its template labelled " + COLOUR + "=" + blue + ")");
        blueDeployment = deployment;
        zone.evidence().figure("blue-green", "the Service " + service() + " serves " + blue + " (" + Serving.readyPods(endpoints(service()))
                + ", " + took.toMillis() + " ms)" + (deployment == null ? "" : ", made by the Deployment " + deployment.path("metadata").path("name").asText()));
    }

    private static boolean matches(JsonNode selector, JsonNode labels) {
        boolean all = selector.size() > 0;
        for (var it = selector.fields(); it.hasNext(); ) {
            var f = it.next();
            all &= f.getValue().asText().equals(labels.path(f.getKey()).asText(null));
        }
        return all;
    }

    @When("the green version is deployed beside blue, with its own service, within {int} seconds")
    public void deployGreen(int seconds) {
        new Nemesis(zone).requireAllowed("blue-green");
        String blueName = blueDeployment == null ? "user-service-blue" : blueDeployment.path("metadata").path("name").asText();
        greenName = blueName.contains(blue) ? blueName.replace(blue, green) : blueName + "-" + green;
        String greenService = service() + "-" + green;
        JsonNode svc = planning() ? JSON.createObjectNode() : object(kubeJson("get service" + kubeNs() + q(service())));
        JsonNode selector = svc.path("spec").path("selector").deepCopy();
        Host h = kubeHost();
        String k = kube().kubectl().command() + kubeNs();
        zone.faults().applied("blue-green", service(), Instant.now(), Faults.Impact.NONE, () -> {
            // the Service's selector as it was, whole (a merge patch could leave a key behind)
            String patch = "[{\"op\":\"replace\",\"path\":\"/spec/selector\",\"value\":" + selector + "}]";
            h.exec(h.asRoot(k + "patch service " + Shell.quote(service()) + " --type json -p " + Shell.quote(patch)));
            h.exec(h.asRoot(k + "delete service " + Shell.quote(greenService) + " --ignore-not-found --wait=false"));
            h.exec(h.asRoot(k + "delete deployment " + Shell.quote(greenName) + " --ignore-not-found --wait=false"));
        });
        if (planning()) {
            return;
        }
        // green: blue's Deployment with the other colour and a new release of its images
        ObjectNode d = JSON.createObjectNode().put("apiVersion", "apps/v1").put("kind", "Deployment");
        d.putObject("metadata").put("name", greenName).put("namespace", kube().namespace());
        ObjectNode spec = blueDeployment.path("spec").deepCopy();
        spec.remove("template");
        ObjectNode template = blueDeployment.path("spec").path("template").deepCopy();
        ((ObjectNode) spec.path("selector").path("matchLabels")).put(COLOUR, green);
        ((ObjectNode) template.path("metadata").path("labels")).put(COLOUR, green);
        template.path("spec").path("containers").forEach(c -> ((ObjectNode) c).put("image", c.path("image").asText() + "-" + green));
        spec.set("template", template);
        d.set("spec", spec);
        // its own Service, as the runbook's port-forward names it: the Service's ports, green's pods
        ObjectNode s = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Service");
        s.putObject("metadata").put("name", greenService).put("namespace", kube().namespace());
        ObjectNode sspec = s.putObject("spec");
        ObjectNode greenSelector = selector.deepCopy();
        greenSelector.put(COLOUR, green);
        sspec.set("selector", greenSelector);
        sspec.set("ports", svc.path("spec").path("ports").deepCopy());
        for (JsonNode o : List.of(d, s)) {
            CommandResult r = h.exec(h.asRoot("printf '%s' " + Shell.quote(o.toString()) + " | " + k + "create -f -"));
            check(r.ok(), "kubectl create of green's " + o.path("kind").asText() + " failed: " + said(r));
        }
        CommandResult r = kubectlRun(kubeNs() + "rollout status " + q("deployment/" + greenName) + " --timeout=" + seconds + "s",
                Duration.ofSeconds(seconds + 30));
        check(r.ok(), "green (" + greenName + ") was not rolled out within " + seconds + " s: " + said(r));
        zone.evidence().figure("green deployed", greenName + " and the Service " + greenService + "; the runbook's smoke test through"
                + " kubectl port-forward needs a running container and is not run here (the simulated control plane's kwok runs none)");
    }

    private static JsonNode object(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError("kubectl get service: not JSON: " + e.getMessage());
        }
    }

    @Then("green's service has green's pods only, and the service still blue's only")
    public void besideNotServing() {
        String greenService = service() + "-" + green;
        Duration took = within(30, "the Service " + greenService + "'s endpoints, " + green + "'s ready pods", () -> servesOnly(greenService, green));
        zone.evidence().figure("green's own service serving green", "after " + took.toMillis() + " ms");
        // the endpoints controller has seen green's pods ready (green's Service holds them): the
        // Service, whose endpoints the same controller keeps, must not hold them
        servesOnly(service(), blue);
    }

    @When("the service is switched to green as the runbook says")
    public void switchToGreen() {
        patchColour(green);
    }

    @When("it is switched back to blue")
    public void switchBack() {
        patchColour(blue);
    }

    /** The runbook's own command: kubectl patch service NAME -p '{"spec":{"selector":{"version":"COLOUR"}}}'. */
    private void patchColour(String colour) {
        String patch = "{\"spec\":{\"selector\":{\"" + COLOUR + "\":\"" + colour + "\"}}}";
        CommandResult r = kubectlRun(kubeNs() + "patch service " + q(service()) + " -p " + q(patch), Duration.ofSeconds(30));
        check(r.ok(), "kubectl patch service " + service() + " failed: " + said(r));
    }

    @Then("within {int} seconds the service's endpoints are green's pods only, none of blue's")
    public void servesGreen(int seconds) {
        Duration took = within(seconds, "the Service " + service() + " serving " + green + " only", () -> servesOnly(service(), green));
        zone.evidence().figure("switched to " + green, "its endpoints " + green + "'s only after " + took.toMillis() + " ms");
    }

    @Then("within {int} seconds the service's endpoints are blue's pods only, none of green's")
    public void servesBlueAgain(int seconds) {
        Duration took = within(seconds, "the Service " + service() + " serving " + blue + " only", () -> servesOnly(service(), blue));
        zone.evidence().figure("switched back to " + blue, "its endpoints " + blue + "'s only after " + took.toMillis() + " ms");
        zone.faults().heal("blue-green", service(), zone.evidence());
    }
}
