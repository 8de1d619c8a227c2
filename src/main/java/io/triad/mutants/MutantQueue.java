package io.triad.mutants;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.triad.env.InputError;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The mutants of every catalog as one queue that several lanes (harness processes, each with its
 * zones moved to subnets of its own) take from, so that the lanes end together whatever each
 * catalog's size: {@code todo/} holds one file per mutant, in the order they are to be taken (the
 * longest measured first), a lane takes one by moving it to {@code taken/} (an atomic rename: two
 * lanes never take the same), and writes its outcome to {@code done/}. A mutant taken and never done
 * (its lane died) or never taken is reported as not run, never as caught.
 */
public final class MutantQueue {

    /**
     * One mutant in the queue: its catalog file, its name, how long it is expected to take, whether it
     * is laid in place, and the share of a core it kept busy when measured (its zone's containers' and
     * its harness's CPU seconds per second of its wall time; negative when not measured), and, laid
     * in place, the settings its zone is built with ({@link Mutants.Mutant#inPlaceGroup}).
     */
    public record Entry(String file, Path catalog, String mutant, double seconds, boolean inPlace, double cpuShare, String group) {

        /** A mutant that runs on a fresh zone of its own, its CPU share not measured. */
        public Entry(String file, Path catalog, String mutant, double seconds) {
            this(file, catalog, mutant, seconds, false, -1, "");
        }

        /** A mutant whose CPU share was not measured. */
        public Entry(String file, Path catalog, String mutant, double seconds, boolean inPlace) {
            this(file, catalog, mutant, seconds, inPlace, -1, "");
        }

        /** A mutant laid in place on the catalog's base zone (no settings of its own), or a fresh one. */
        public Entry(String file, Path catalog, String mutant, double seconds, boolean inPlace, double cpuShare) {
            this(file, catalog, mutant, seconds, inPlace, cpuShare, "");
        }

        /** The zone it is laid on, when laid in place: its catalog and settings, as a file name. */
        String zoneKey() {
            return java.util.UUID.nameUUIDFromBytes((catalog.toAbsolutePath().normalize() + "\t" + group)
                    .getBytes(StandardCharsets.UTF_8)).toString();
        }

        /** Whether its measured CPU share is at most {@code max}: a mutant not measured is never light. */
        public boolean lightAt(double max) {
            return cpuShare > 0 && cpuShare <= max;
        }
    }

    /** The outcome of one queued mutant, as its lane wrote it. */
    public record Done(Entry entry, String catalogName, Mutants.Outcome outcome, String lane) { }

    private static final ObjectMapper JSON = new ObjectMapper();

    private MutantQueue() {
    }

    /** Writes the queue: every entry, taken in the order given. An existing queue directory is replaced. */
    public static void fill(Path dir, List<Entry> ordered) {
        try {
            if (Files.exists(dir)) {
                Mutants.deleteTree(dir);
            }
            Files.createDirectories(dir.resolve("todo"));
            Files.createDirectories(dir.resolve("taken"));
            Files.createDirectories(dir.resolve("done"));
            Files.createDirectories(dir.resolve(CLAIMS));
            int i = 0;
            for (Entry e : ordered) {
                String file = String.format("%04d-%s", ++i, e.mutant());
                Files.writeString(dir.resolve("todo").resolve(file), e.catalog().toAbsolutePath() + "\t" + e.mutant() + "\t" + e.seconds()
                        + "\t" + (e.inPlace() ? IN_PLACE : "fresh") + "\t" + e.cpuShare() + "\t" + e.group() + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the mutant queue " + dir + ": " + e.getMessage(), e);
        }
    }

    private static final String IN_PLACE = "in-place";

    /** The next mutant, taken by this lane (moved to taken/), or empty when none is left. */
    public static Optional<Entry> take(Path dir) {
        return take(dir, null);
    }

    /**
     * The next mutant, taken by this lane: the first left of {@code catalog} laid in place when
     * there is one (the lane holds that catalog's zone for mutants in place, {@link InPlace}: it
     * lays them one after the other on one zone), else the first left; empty when none is left.
     */
    public static Optional<Entry> take(Path dir, Path inPlaceCatalog) {
        return take(dir, inPlaceCatalog, null);
    }

    /** As {@link #takePreferring}, preferring the mutants laid in place of {@code inPlaceCatalog} (null: none). */
    public static Optional<Entry> take(Path dir, Path inPlaceCatalog, Double maxCpuShare) {
        return takePreferring(dir, inPlaceCatalog == null ? null : e -> e.inPlace() && e.catalog().equals(inPlaceCatalog), maxCpuShare);
    }

    /** As {@link #takeForLane}, for no lane in particular: it claims no zone for mutants in place. */
    public static Optional<Entry> takePreferring(Path dir, java.util.function.Predicate<Entry> prefer, Double maxCpuShare) {
        return takeForLane(dir, null, prefer, maxCpuShare);
    }

    /** Where the lanes claim the zones for mutants in place: a file per zone (its {@link Entry#zoneKey}), holding the lane's name. */
    static final String CLAIMS = "claims";

    /**
     * The next mutant, taken by lane {@code lane}: the first left that {@code prefer} accepts (null:
     * none preferred; a lane holding a zone for mutants in place prefers those it can lay on that
     * zone); else the first left but for the mutants laid in place on a zone another lane has
     * claimed; else (only those are left) the first left. A lane that takes a mutant laid in place
     * on a zone no lane has claimed claims it ({@code lane} null: claims nothing), so that the
     * mutants of one such zone go one after the other to one lane, which starts the zone once,
     * rather than to every lane, each starting its own (measured: a catalog's six mutants on one
     * zone, taken by four lanes at once, started four zones); the others take
     * them only when nothing else is left. {@link #release} gives a lane's claims up. For a light
     * lane, when {@code maxCpuShare} is given: only a mutant whose measured CPU share is at most that
     * ({@link Entry#lightAt}); empty when no such mutant is left, though others may be. A light lane
     * runs beside work that leaves the cores partly idle (the tests' lanes) and takes only what that
     * idle can carry.
     */
    public static Optional<Entry> takeForLane(Path dir, String lane, java.util.function.Predicate<Entry> prefer, Double maxCpuShare) {
        while (true) {
            List<Path> todo;
            try (Stream<Path> files = Files.list(dir.resolve("todo"))) {
                todo = files.sorted().toList();
            } catch (NoSuchFileException e) {
                throw new InputError("no mutant queue at " + dir + " (fill it first: bin/triad mutants --queue " + dir + " --fill)");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // each entry read once
            Map<Path, Entry> read = new LinkedHashMap<>();
            for (Path p : todo) {
                try {
                    read.put(p, read(p));
                } catch (IllegalStateException raced) {
                    // taken by another lane while this one read it
                }
            }
            todo = todo.stream().filter(read::containsKey).toList();
            if (maxCpuShare != null) {
                todo = todo.stream().filter(p -> read.get(p).lightAt(maxCpuShare)).toList();
            }
            if (todo.isEmpty()) {
                return Optional.empty();
            }
            Path next = null;
            if (prefer != null) {
                next = todo.stream().filter(p -> prefer.test(read.get(p))).findFirst().orElse(null);
            }
            if (next == null) {
                next = todo.stream().filter(p -> !claimedByAnother(dir, read.get(p), lane)).findFirst().orElse(todo.get(0));
            }
            Path taken = dir.resolve("taken").resolve(next.getFileName());
            try {
                Files.move(next, taken, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException raced) {
                continue; // another lane took it first
            } catch (AtomicMoveNotSupportedException e) {
                throw new IllegalStateException("the mutant queue " + dir + " is on a file system without atomic renames", e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Entry e = read(taken);
            if (e.inPlace() && lane != null) {
                claim(dir, e, lane);
            }
            return Optional.of(e);
        }
    }

    /** Whether another lane than {@code lane} claimed the zone this mutant is laid on in place. */
    private static boolean claimedByAnother(Path dir, Entry e, String lane) {
        if (!e.inPlace()) {
            return false;
        }
        try {
            String by = Files.readString(dir.resolve(CLAIMS).resolve(e.zoneKey())).strip();
            return !by.equals(lane);
        } catch (NoSuchFileException none) {
            return false;
        } catch (IOException unreadable) {
            return false;
        }
    }

    /** Claims the zone of a mutant laid in place for the lane, unless a lane has (the first to claim keeps it). */
    private static void claim(Path dir, Entry e, String lane) {
        try {
            Files.createDirectories(dir.resolve(CLAIMS));
            Files.writeString(dir.resolve(CLAIMS).resolve(e.zoneKey()), lane + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE);
        } catch (java.nio.file.FileAlreadyExistsException held) {
            // claimed by another lane (or by this one): it keeps it
        } catch (IOException ignored) {
            // a claim is an affinity, not a lock: without it the lanes only start more zones
        }
    }

    /** Gives up the lane's claims (its zone for mutants in place closed): another lane may claim the zones then. */
    public static void release(Path dir, String lane) {
        releaseBut(dir, lane, null);
    }

    /** As {@link #release}, but for the lane's claim on the zone {@code keep} is laid on (null: none kept). */
    public static void releaseBut(Path dir, String lane, Entry keep) {
        String kept = keep == null ? null : keep.zoneKey();
        try (Stream<Path> files = Files.list(dir.resolve(CLAIMS))) {
            for (Path f : files.toList()) {
                try {
                    if (!f.getFileName().toString().equals(kept) && Files.readString(f).strip().equals(lane)) {
                        Files.deleteIfExists(f);
                    }
                } catch (IOException gone) {
                    // released by itself meanwhile
                }
            }
        } catch (IOException none) {
            // no claims
        }
    }

    private static Entry read(Path file) {
        try {
            String[] f = Files.readString(file).replaceAll("\n+$", "").split("\t", -1);
            return new Entry(file.getFileName().toString(), Path.of(f[0]), f[1], Double.parseDouble(f[2]),
                    f.length > 3 && f[3].equals(IN_PLACE), f.length > 4 ? Double.parseDouble(f[4]) : -1, f.length > 5 ? f[5] : "");
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("unreadable mutant queue entry " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes a mutant's outcome. */
    public static void done(Path dir, Entry e, String catalogName, Mutants.Outcome o, String lane) {
        ObjectNode n = JSON.createObjectNode();
        n.put("catalog", catalogName);
        n.put("mutant", e.mutant());
        n.put("caught", o.caught());
        n.put("scenario", o.scenario());
        n.put("message", o.message());
        n.put("took_ms", o.took().toMillis());
        n.put("expected_s", e.seconds());
        n.put("lane", lane);
        try {
            Path tmp = dir.resolve("done").resolve(e.file() + ".json.tmp");
            Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n), StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve("done").resolve(e.file() + ".json"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException x) {
            throw new UncheckedIOException("cannot write the outcome of " + e.mutant() + " to " + dir, x);
        }
    }

    /**
     * Every entry of the queue with its outcome, by catalog in the order of the queue: a mutant never
     * taken, or taken and never done (its lane stopped), counts as not caught and says so.
     */
    public static Map<String, List<Mutants.Outcome>> outcomes(Path dir) {
        Map<String, List<Mutants.Outcome>> byCatalog = new LinkedHashMap<>();
        Map<Path, Mutants> catalogs = new LinkedHashMap<>();
        List<Path> all = new ArrayList<>();
        for (String sub : List.of("todo", "taken")) {
            try (Stream<Path> files = Files.list(dir.resolve(sub))) {
                files.forEach(all::add);
            } catch (IOException e) {
                throw new InputError("no mutant queue at " + dir + ": " + e.getMessage());
            }
        }
        all.sort(Comparator.comparing(p -> p.getFileName().toString()));
        for (Path p : all) {
            Entry e = read(p);
            Mutants catalog = catalogs.computeIfAbsent(e.catalog(), Mutants::load);
            Mutants.Mutant m = catalog.mutant(e.mutant());
            Path done = dir.resolve("done").resolve(e.file() + ".json");
            Mutants.Outcome o;
            if (Files.isRegularFile(done)) {
                try {
                    JsonNode n = JSON.readTree(done.toFile());
                    o = new Mutants.Outcome(m, n.path("caught").asBoolean(), n.path("scenario").asText(),
                            n.path("message").asText() + " [lane " + n.path("lane").asText() + "]",
                            Duration.ofMillis(n.path("took_ms").asLong()));
                } catch (IOException x) {
                    throw new UncheckedIOException(x);
                }
            } else {
                o = new Mutants.Outcome(m, false, "", p.getParent().getFileName().toString().equals("todo")
                        ? "not run: no lane took it" : "not run to its end: the lane that took it stopped", Duration.ZERO);
            }
            byCatalog.computeIfAbsent(catalog.name(), k -> new ArrayList<>()).add(o);
        }
        return byCatalog;
    }
}
