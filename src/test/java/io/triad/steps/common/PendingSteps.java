package io.triad.steps.common;

import io.cucumber.java.PendingException;
import io.cucumber.java.en.Then;

/** A pending step, to show that a pending step fails the run (test glue only). */
public class PendingSteps {
    @Then("a step that is still pending")
    public void pending() {
        throw new PendingException("not written yet");
    }
}
