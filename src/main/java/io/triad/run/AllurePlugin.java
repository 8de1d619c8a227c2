package io.triad.run;

import io.cucumber.plugin.ConcurrentEventListener;
import io.cucumber.plugin.event.EventPublisher;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.FileSystemResultsWriter;
import io.qameta.allure.cucumber7jvm.AllureCucumber7Jvm;

import java.io.File;

/**
 * Allure results of the scenarios (allure-cucumber7-jvm), written into the directory this plugin
 * is given rather than the JVM-wide {@code allure.results.directory}: one JVM runs many runs (the
 * mutant catalog, the harness's own tests), each with its own run directory.
 */
public final class AllurePlugin implements ConcurrentEventListener {

    private final AllureCucumber7Jvm delegate;

    public AllurePlugin(File resultsDirectory) {
        this.delegate = new AllureCucumber7Jvm(new AllureLifecycle(new FileSystemResultsWriter(resultsDirectory.toPath())));
    }

    @Override
    public void setEventPublisher(EventPublisher publisher) {
        delegate.setEventPublisher(publisher);
    }
}
