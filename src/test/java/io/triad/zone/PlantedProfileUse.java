package io.triad.zone;

/** Planted for ArchitectureTest: a class in a core package using a profile's class, which the architecture rule must refuse. */
public final class PlantedProfileUse {

    private PlantedProfileUse() { }

    static Object plantedUse(io.triad.env.Environment env) {
        return io.triad.profile.bsfgtriad.Settings.of(env);
    }
}
