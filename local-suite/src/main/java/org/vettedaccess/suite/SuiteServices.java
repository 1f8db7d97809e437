package org.vettedaccess.suite;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The suite's services (the simulated upstream and the four services) as {@link LocalSuite} runs them: each started
 * on its ports and waited for until healthy, started again with other settings or JVM options (the tests' fault
 * injection), and extra replicas beside them.
 */
final class SuiteServices {

    private final LocalSuite suite;
    private final ServiceLauncher launcher;
    private final SuiteProcesses processes;
    private final Restarts restarts;
    private final BiConsumer<String, String> step;

    SuiteServices(
            LocalSuite suite,
            ServiceLauncher launcher,
            SuiteProcesses processes,
            Restarts restarts,
            BiConsumer<String, String> step) {
        this.suite = suite;
        this.launcher = launcher;
        this.processes = processes;
        this.restarts = restarts;
        this.step = step;
    }

    /** Starts the four services at once, waits for each, and makes every service (the upstream too) restartable. */
    void startServices() throws SuiteException {
        Map<String, ChildProcess> started = new LinkedHashMap<>();
        for (ServiceSpec service : ServiceSpec.SERVICES) {
            started.put(service.name(), start(service, Map.of()));
        }
        for (ServiceSpec service : ServiceSpec.SERVICES) {
            awaitHealthy(service, started.get(service.name()));
        }
        for (ServiceSpec service : ServiceSpec.ALL) {
            restarts.register(service.name(), () -> {
                processes.stop(service.name());
                awaitHealthy(service, start(service, Map.of()));
                return "ready at " + suite.serviceUrl(service.name());
            });
        }
    }

    /** Starts {@code service} on its own ports with {@code extra} environment variables, without waiting. */
    ChildProcess start(ServiceSpec service, Map<String, String> extra) throws SuiteException {
        SuitePorts ports = suite.ports();
        return launcher.start(
                service,
                service.name(),
                ports.http().get(service.name()),
                ports.management().get(service.name()),
                extra);
    }

    /** Starts a stopped service again on its ports, as {@link LocalSuite#restart(String, Map, List)} describes. */
    void restart(String name, Map<String, String> settings, List<String> jvmOptions) throws SuiteException {
        ServiceSpec service = ServiceSpec.ALL.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new SuiteException("no service " + name));
        SuitePorts ports = suite.ports();
        awaitHealthy(
                service,
                launcher.start(
                        service,
                        service.name(),
                        ports.http().get(service.name()),
                        ports.management().get(service.name()),
                        settings,
                        List.copyOf(jvmOptions)));
    }

    /** Starts another instance of {@code service} under a name of its own, on the given ports. */
    void startReplica(
            ServiceSpec service, String instance, int httpPort, int managementPort, Map<String, String> settings)
            throws SuiteException {
        if (processes.isRunning(instance) || restarts.knows(instance)) {
            throw new SuiteException(instance + " is already a name in this suite");
        }
        launcher.startReplica(service, instance, httpPort, managementPort, settings);
        step.accept(instance, "ready at http://localhost:" + httpPort);
    }

    void awaitHealthy(ServiceSpec service, ChildProcess process) throws SuiteException {
        ServiceLauncher.awaitReady(process, suite.ports().management().get(service.name()));
        step.accept(service.name(), "ready at " + suite.serviceUrl(service.name()));
    }
}
