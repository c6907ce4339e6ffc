package dev.golemsandbox.exeunit;

/** The states of an exe-unit, named as the activity API names them. */
public enum ExeUnitState {
    INITIALIZED("Initialized"),
    DEPLOYED("Deployed"),
    READY("Ready"),
    TERMINATED("Terminated");

    private final String apiName;

    ExeUnitState(String apiName) {
        this.apiName = apiName;
    }

    /** The name the activity API uses ("Initialized", "Ready", ...). */
    public String apiName() {
        return apiName;
    }
}
