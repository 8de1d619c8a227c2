package io.triad.steps.common;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.triad.check.DualActive;
import io.triad.history.History;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The drill sentences every profile says alike, bound once against the profile's declarations:
 * the zone steady within N seconds, the crashed node started again, and "the history shows no instant with two X or two Y": each "two ..." is the phrase of one of the
 * profile's exclusive resources ({@link History.Resource#two()}: "two VIP holders", "two nodes
 * accepting writes", "two Chainfire leaders"); the history is the one the profile's drill steps
 * recorded in this scenario ({@link Exclusive}), judged by {@link DualActive} on its samples and,
 * where the profile reads them, the nodes' own logs.
 */
public class DrillVocabularySteps extends Support {

    private final Exclusive exclusive;

    public DrillVocabularySteps(io.triad.run.Run run, Exclusive exclusive) {
        super(run);
        this.exclusive = exclusive;
    }

    /** Before a drill: the profile's whole steady state, held (see {@link Support#steadyWithin}). */
    @Given("within {int} seconds the zone is steady")
    public void steady(int seconds) {
        steadyWithin(seconds, "the zone steady");
    }

    /**
     * The node the drill crashed (the one "node crashed" fault in place, whichever profile's step
     * crashed it) started again: its fault healed, as the fault's own undo does it.
     */
    @When("the crashed node is started again")
    public void crashedNodeStarted() {
        List<io.triad.zone.Faults.Applied> crashed = zone.faults().inPlace().stream()
                .filter(a -> a.name().equals(io.triad.check.LogClaims.CRASHED)).toList();
        check(crashed.size() == 1, crashed.isEmpty() ? "no node was crashed in this scenario: nothing to start again"
                : "more than one node crashed (" + crashed.stream().map(io.triad.zone.Faults.Applied::target).toList() + "): which to start is not said");
        if (crashed.size() == 1) {
            zone.faults().heal(io.triad.check.LogClaims.CRASHED, crashed.get(0).target(), zone.evidence());
        }
    }

    @Then("^the history shows no instant with (two .+)$")
    public void noTwoHolders(String named) {
        List<History.Resource> resources = resources(zone.env().profile().exclusive(), named);
        Exclusive.Evidence e = exclusive.evidence();
        verdict(DualActive.verdict(e.samples(), e.claims(), resources, DualActive.DEFAULT_MAX_GAP));
    }

    /**
     * The profile's exclusive resources the sentence names ("two A or two B"), in its order; a
     * phrase the profile does not declare fails, naming the ones it does.
     */
    static List<History.Resource> resources(List<History.Resource> declared, String named) {
        List<History.Resource> out = new ArrayList<>();
        for (String phrase : named.split(" or (?=two )")) {
            History.Resource r = declared.stream().filter(x -> x.two().equals(phrase.strip())).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("'" + phrase.strip() + "' is not an exclusive resource of this profile; it declares: "
                            + declared.stream().map(History.Resource::two).collect(Collectors.joining(", "))));
            out.add(r);
        }
        return out;
    }
}
