package dev.golemsandbox.activity;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.golemsandbox.activity.transfer.TransferredFile;
import dev.golemsandbox.blob.BlobStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the batches of recorded activities go, one call per finished batch, in the order they
 * were sent. Called from batch threads: implementations are thread-safe and quick.
 */
public interface ActivityRecorder {

    /** Where the files requestors upload into recorded activities are kept. */
    BlobStore uploads();

    /**
     * @param activityId  the recorded activity
     * @param taskPackage the image it was deployed from ({@code hash:sha3:<hash>:<url>}), if the agreement names one
     * @param batchNumber position of the batch among the activity's batches, from 0
     * @param exeScript   the commands exactly as the requestor sent them
     * @param results     the results as the activity API reports them
     * @param returnCodes the return code of each command that ran: a run's exit code, -1 for a failure without one
     * @param transferred by command index, the file each transfer moved across the requestor's end
     */
    void batchFinished(String activityId, Optional<String> taskPackage, int batchNumber,
                       ArrayNode exeScript, ArrayNode results, List<Integer> returnCodes,
                       Map<Integer, TransferredFile> transferred);
}
