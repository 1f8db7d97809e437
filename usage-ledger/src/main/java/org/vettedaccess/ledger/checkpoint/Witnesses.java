package org.vettedaccess.ledger.checkpoint;

import java.util.List;

/**
 * What the checkpoint API needs of the witnesses (implemented by the witness feature, so that a checkpoint never
 * depends on how it gets cosigned).
 */
public interface Witnesses {

    /** Submits the checkpoint to every witness that has not cosigned it yet; returns how many now have. */
    int cosign(CheckpointRecord checkpoint);

    /** The configured witnesses' keys (cosignature/v1 vkeys). */
    List<String> witnessKeys();
}
