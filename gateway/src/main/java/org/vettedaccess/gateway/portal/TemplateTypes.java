package org.vettedaccess.gateway.portal;

import io.quarkus.qute.TemplateData;
import org.vettedaccess.gateway.key.KeyViews;
import org.vettedaccess.gateway.usage.OutboxRepository;

/** The Java types the portal's templates read (Qute resolves their properties without reflection). */
@TemplateData(target = KeyViews.KeyView.class)
@TemplateData(target = KeyViews.IssuedKey.class)
@TemplateData(target = OutboxRepository.GrantBudget.class)
@TemplateData(target = OutboxRepository.DailyUsage.class)
@TemplateData(target = PortalUser.class)
@TemplateData(target = UsageChart.Legend.class)
@TemplateData(target = PortalProblem.class)
@TemplateData(target = CheckpointChecks.CheckpointStatus.class)
@TemplateData(target = CheckpointChecks.WitnessCosignature.class)
@TemplateData(target = RegulatorPages.InclusionCheck.class)
final class TemplateTypes {
    private TemplateTypes() {}
}
