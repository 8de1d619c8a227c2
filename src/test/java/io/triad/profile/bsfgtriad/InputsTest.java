package io.triad.profile.bsfgtriad;

import io.triad.env.Environment;
import io.triad.env.EnvironmentLoader;
import io.triad.sim.SimulatedTriad;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Runbook section 2 on the simulated environment and on variants with inputs missing. */
class InputsTest {

    static Environment variant(String from, String to) throws IOException {
        Path src = SimulatedTriad.root().resolve("environments/bsfg-triad/simulated.yaml");
        Path dir = Files.createTempDirectory("inputs");
        return EnvironmentLoader.load(Files.writeString(dir.resolve("env.yaml"), Files.readString(src).replace(from, to)));
    }

    @Test
    void theSimulatedEnvironmentGivesEveryInput() throws IOException {
        assertEquals(List.of(), Inputs.problems(variant("", "")));
        assertEquals("10.213.77.10/24", Inputs.values(variant("", "")).get("VIP"));
    }

    @Test
    void aMissingOrMalformedAlertEndpointIsNamed() throws IOException {
        assertEquals(List.of("ALERT_ENDPOINT is missing (alert_endpoint: host:port of the monitoring or alerting destination)"),
                Inputs.problems(variant("alert_endpoint: 10.213.77.20:9093", "alert_endpoint: \"\"")));
        assertEquals(List.of("ALERT_ENDPOINT 'alertmanager' is not host:port"),
                Inputs.problems(variant("alert_endpoint: 10.213.77.20:9093", "alert_endpoint: alertmanager")));
    }

    @Test
    void aBadHostnameIsNamed() throws IOException {
        assertEquals(List.of("BETA_HOSTNAME 'sim_beta!' is not a valid hostname"),
                Inputs.problems(variant("hostname: sim-beta,", "hostname: \"sim_beta!\",")));
    }
}
