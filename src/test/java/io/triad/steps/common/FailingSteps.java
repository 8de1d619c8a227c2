package io.triad.steps.common;

import io.cucumber.java.en.Then;

/** A step that fails, to show what a failure in the middle of a drill leaves behind (test glue only). */
public class FailingSteps {
    @Then("the scenario fails here on purpose")
    public void fail() {
        throw new AssertionError("failed here on purpose, with faults applied");
    }
}
