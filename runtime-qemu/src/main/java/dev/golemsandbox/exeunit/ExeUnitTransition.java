package dev.golemsandbox.exeunit;

/**
 * The moves of an exe-unit's lifecycle, each with the one state it is legal in and the state it
 * leads to: the whole rule book. The exe-unit checks its own calls with it, and an activity looks
 * up the transition of each ExeScript command in it ({@code deploy} is {@link #DEPLOY}, ...).
 *
 * <pre>{@code
 * ExeUnitTransition.START.check("start", state);   // throws IllegalState unless Deployed
 * state = ExeUnitTransition.START.to();            // Ready
 * }</pre>
 *
 * Stopping is legal in every state and always leads to {@link ExeUnitState#TERMINATED}, so it is
 * not a transition here.
 */
public enum ExeUnitTransition {

    /** Legal on a new exe-unit: validates the image and makes its volumes. */
    DEPLOY(ExeUnitState.INITIALIZED, ExeUnitState.DEPLOYED, "deploy runs once, on a new activity"),
    /** Legal once deployed: boots the VM. */
    START(ExeUnitState.DEPLOYED, ExeUnitState.READY, "start comes right after deploy"),
    /** Legal once started: runs a process or moves a file, and stays Ready. */
    WORK(ExeUnitState.READY, ExeUnitState.READY, "deploy and start first");

    private final ExeUnitState from;
    private final ExeUnitState to;
    private final String hint;

    ExeUnitTransition(ExeUnitState from, ExeUnitState to, String hint) {
        this.from = from;
        this.to = to;
        this.hint = hint;
    }

    /** The one state in which the transition is legal. */
    public ExeUnitState from() {
        return from;
    }

    /** The state it leads to. */
    public ExeUnitState to() {
        return to;
    }

    /**
     * Checks that {@code action} (a call or command name, for the message) may take this transition now.
     *
     * @throws ExeUnitException.IllegalState saying which state it needs and why, otherwise
     */
    public void check(String action, ExeUnitState current) throws ExeUnitException.IllegalState {
        if (current != from) {
            throw new ExeUnitException.IllegalState(action + " is only allowed in state " + from.apiName()
                    + ", but the activity is " + current.apiName() + " (" + hint + ")");
        }
    }
}
