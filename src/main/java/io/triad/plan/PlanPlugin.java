package io.triad.plan;

import io.cucumber.plugin.ConcurrentEventListener;
import io.cucumber.plugin.event.EventPublisher;
import io.cucumber.plugin.event.PickleStepTestStep;
import io.cucumber.plugin.event.Status;
import io.cucumber.plugin.event.TestCaseStarted;
import io.cucumber.plugin.event.TestStepFinished;
import io.cucumber.plugin.event.TestStepStarted;

/**
 * Writes the scenarios and steps of a dry run into the plan as Cucumber reaches them; the
 * commands in between come from the step definitions themselves, run against {@link PlanHost}s.
 * A step that cannot be planned without the hosts' answers says so, and so do the steps after it.
 */
public final class PlanPlugin implements ConcurrentEventListener {

    private volatile boolean skipped;

    @Override
    public void setEventPublisher(EventPublisher publisher) {
        publisher.registerHandlerFor(TestCaseStarted.class, e -> {
            skipped = false;
            String uri = e.getTestCase().getUri().toString();
            Plan.current().scenario(e.getTestCase().getName(), uri.substring(uri.lastIndexOf('/') + 1) + ":"
                    + e.getTestCase().getLocation().getLine(), e.getTestCase().getTags());
        });
        publisher.registerHandlerFor(TestStepStarted.class, e -> {
            if (e.getTestStep() instanceof PickleStepTestStep step) {
                Plan.current().step(step.getStep().getKeyword() + step.getStep().getText());
            }
        });
        publisher.registerHandlerFor(TestStepFinished.class, e -> {
            Status status = e.getResult().getStatus();
            Throwable error = e.getResult().getError();
            if (status == Status.FAILED && error != null) {
                String message = String.valueOf(error.getMessage()).lines().findFirst().orElse("");
                if (error instanceof io.triad.zone.Safety.SafetyStop) {
                    Plan.current().note("REFUSED " + message);
                } else if (error instanceof io.triad.env.InputError) {
                    Plan.current().note("CANNOT RUN " + message);
                } else {
                    Plan.current().note("(the rest of this step depends on what the hosts answer, which a dry run does not know: "
                            + message + ")");
                }
            } else if (status == Status.SKIPPED && error != null) {
                Plan.current().note("SKIPPED, the scenario does not run: " + String.valueOf(error.getMessage()).lines().findFirst().orElse(""));
                skipped = true;
            } else if (status == Status.SKIPPED && e.getTestStep() instanceof PickleStepTestStep) {
                Plan.current().note(skipped ? "(skipped with the scenario)" : "(not planned: it follows a step the plan could not go through)");
            } else if (status == Status.UNDEFINED) {
                Plan.current().note("UNDEFINED: no step definition matches this step");
            }
        });
    }
}
