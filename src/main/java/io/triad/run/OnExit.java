package io.triad.run;

/**
 * Work that must be done if the JVM is stopped (Ctrl-C, SIGTERM) while a block runs, such as
 * healing faults or removing a triad: registered as a shutdown hook for the block, unregistered
 * when the block ends normally. {@code try (OnExit ignored = OnExit.register(...)) { ... }}
 */
public final class OnExit implements AutoCloseable {
    private final Thread hook;

    private OnExit(Thread hook) {
        this.hook = hook;
    }

    public static OnExit register(String name, Runnable onExit) {
        Thread hook = new Thread(onExit, name);
        Runtime.getRuntime().addShutdownHook(hook);
        return new OnExit(hook);
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is stopping: the hook is running and does the work
        }
    }
}
