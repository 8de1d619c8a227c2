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

    /** The plan of the dry run being launched (Cucumber makes its plugins by class name, on the launching thread). */
    private final Plan plan = io.triad.run.Run.current().zone().plan().orElseThrow(() ->
            new IllegalStateException("the plan plugin runs only in a dry run (a planning zone: Zone.plan)"));

    @Override
    public void setEventPublisher(EventPublisher publisher) {
        publisher.registerHandlerFor(TestCaseStarted.class, e -> {
            skipped = false;
            String uri = e.getTestCase().getUri().toString();
            plan.scenario(e.getTestCase().getName(), uri.substring(uri.lastIndexOf('/') + 1) + ":"
                    + e.getTestCase().getLocation().getLine(), e.getTestCase().getTags());
        });
        publisher.registerHandlerFor(TestStepStarted.class, e -> {
            if (e.getTestStep() instanceof PickleStepTestStep step) {
                plan.step(step.getStep().getKeyword() + step.getStep().getText());
            }
        });
        publisher.registerHandlerFor(TestStepFinished.class, e -> {
            Status status = e.getResult().getStatus();
            Throwable error = e.getResult().getError();
            if (status == Status.FAILED && error != null) {
                String message = String.valueOf(error.getMessage()).lines().findFirst().orElse("");
                if (error instanceof io.triad.zone.Safety.SafetyStop) {
                    plan.note("REFUSED " + message);
                } else if (error instanceof io.triad.env.InputError) {
                    plan.note("CANNOT RUN " + message);
                } else {
                    plan.note("(the rest of this step depends on what the hosts answer, which a dry run does not know: "
                            + message + ")");
                }
            } else if (status == Status.SKIPPED && error != null) {
                plan.note("SKIPPED, the scenario does not run: " + String.valueOf(error.getMessage()).lines().findFirst().orElse(""));
                skipped = true;
            } else if (status == Status.SKIPPED && e.getTestStep() instanceof PickleStepTestStep) {
                plan.note(skipped ? "(skipped with the scenario)" : "(not planned: it follows a step the plan could not go through)");
            } else if (status == Status.UNDEFINED) {
                plan.note("UNDEFINED: no step definition matches this step");
            }
        });
    }
}
