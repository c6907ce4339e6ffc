package dev.golemsandbox.sandbox;

import picocli.CommandLine.IVersionProvider;

/** The version printed by {@code --version}, from the jar's manifest. */
public final class SandboxVersion implements IVersionProvider {

    /** This build's version, or "dev" when run from classes (tests, IDE). */
    public static String current() {
        String version = SandboxVersion.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"golem-sandbox " + current()};
    }
}
