package org.vettedaccess.policy.decision;

import java.util.List;
import java.util.Map;
import org.vettedaccess.policy.catalog.ModelEntity;
import org.vettedaccess.policy.killswitch.KillSwitchEntity;
import org.vettedaccess.policy.tier.TierEntity;

/**
 * What every decision reads and what changes rarely: the catalog, the current tiers and the engaged kill
 * switches, as of one change-feed sequence. Held in memory; never modified once built.
 */
public record PolicyState(
        long seq, Map<String, ModelEntity> models, Map<Integer, TierEntity> tiers, List<KillSwitchEntity> engaged) {}
