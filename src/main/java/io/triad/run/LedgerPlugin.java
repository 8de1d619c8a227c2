package io.triad.run;

import io.cucumber.plugin.ConcurrentEventListener;
import io.cucumber.plugin.event.EventPublisher;
import io.cucumber.plugin.event.Result;
import io.cucumber.plugin.event.TestCaseFinished;
import io.triad.runbook.Ledger;
import io.triad.runbook.Runbook;

import java.util.List;

/**
 * Records every finished scenario in the run's {@link Ledger}, under the runbook items its tags
 * name, with the failure or skip reason. Cucumber publishes a scenario's end before the next one
 * starts, so a halt is in force before any later scenario's hooks run.
 */
public final class LedgerPlugin implements ConcurrentEventListener {

    /** The prefix of the reason given to scenarios a halt kept from running. */
    public static final String NOT_RUN = "not run:";

    /** The run being launched (Cucumber makes its plugins by class name, on the launching thread). */
    private final Run run = Run.current();

    @Override
    public void setEventPublisher(EventPublisher publisher) {
        publisher.registerHandlerFor(TestCaseFinished.class, this::finished);
    }

    private void finished(TestCaseFinished event) {
        List<String> items = Runbook.idsIn(event.getTestCase().getTags());
        Result result = event.getResult();
        String reason = result.getError() == null ? "" : result.getStatus() == io.cucumber.plugin.event.Status.FAILED
                ? String.valueOf(result.getError().getMessage()) : CucumberRun.message(result.getError());
        Ledger.Status status = switch (result.getStatus()) {
            case PASSED -> Ledger.Status.PASSED;
            case SKIPPED -> reason.startsWith(NOT_RUN) ? Ledger.Status.NOT_RUN : Ledger.Status.SKIPPED;
            default -> Ledger.Status.FAILED; // failed, undefined, pending, ambiguous, unused
        };
        if (status == Ledger.Status.FAILED && reason.isEmpty()) {
            reason = result.getStatus().name().toLowerCase();
        }
        if (result.getError() instanceof io.triad.zone.Safety.SafetyStop) {
            run.zone().stopRun(result.getError().getMessage()); // stop on the first safety failure
        }
        String uri = event.getTestCase().getUri().toString();
        String location = uri.substring(uri.lastIndexOf('/') + 1) + ":" + event.getTestCase().getLocation().getLine();
        run.ledger().finished(new Ledger.Scenario(event.getTestCase().getName(), location,
                List.copyOf(event.getTestCase().getTags()), status, reason));
        if (!items.isEmpty()) {
            run.ledger().record(event.getTestCase().getName(), items, status, reason);
        }
    }
}
