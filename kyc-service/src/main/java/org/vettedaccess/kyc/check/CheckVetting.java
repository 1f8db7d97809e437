package org.vettedaccess.kyc.check;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import org.vettedaccess.kyc.application.ApplicationEntity;
import org.vettedaccess.kyc.application.ApplicationView;
import org.vettedaccess.kyc.application.Vetting;
import org.vettedaccess.kyc.screening.ScreeningService;

/** The application's {@link Vetting} port: the screening's candidates, then the checks, stored. */
@ApplicationScoped
class CheckVetting implements Vetting {

    private final CheckRunner runner;
    private final CheckRepository checks;
    private final ScreeningService screening;

    CheckVetting(CheckRunner runner, CheckRepository checks, ScreeningService screening) {
        this.runner = runner;
        this.checks = checks;
        this.screening = screening;
    }

    @Override
    public List<ApplicationView.Check> run(ApplicationEntity application, int round) {
        List<CheckEntity> results = runner.run(application, screening.screen(application, round));
        results.forEach(checks::persist);
        return results.stream().map(CheckVetting::view).toList();
    }

    @Override
    public List<ApplicationView.Check> of(UUID applicationId) {
        return checks.of(applicationId).stream().map(CheckVetting::view).toList();
    }

    private static ApplicationView.Check view(CheckEntity c) {
        return new ApplicationView.Check(c.name, c.input, c.result, c.detail, c.ranAt);
    }
}
