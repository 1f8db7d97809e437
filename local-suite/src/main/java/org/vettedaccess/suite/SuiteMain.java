package org.vettedaccess.suite;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code SuiteMain up --root DIR --state DIR --keycloak-zip FILE}: starts the suite and keeps
 * running as its supervisor until it gets SIGTERM ({@code ./suite down}), then stops everything it started.
 * Progress goes to standard output, one line per step; the last line is READY or FAILED.
 */
public final class SuiteMain {

    private SuiteMain() {}

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> options = options(args);
        if (!"up".equals(options.get("command"))) {
            System.out.println("usage: up --root DIR --state DIR --keycloak-zip FILE");
            System.exit(2);
        }
        Path state = Path.of(options.get("state"));
        SuitePorts ports;
        try {
            // SUITE_PORTS=free: unused ports (a second suite beside a developer's, or the script's own tests).
            ports = "free".equals(System.getenv("SUITE_PORTS")) ? SuitePorts.free() : SuitePorts.defaults();
            ports.save(state.resolve("ports.properties"));
        } catch (IOException e) {
            print("FAILED: cannot record the suite's ports in " + state + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        LocalSuite.Settings settings = LocalSuite.Settings.of(
                Path.of(options.get("root")), state, Path.of(options.get("keycloak-zip")), ports, false);
        LocalSuite suite = LocalSuite.create(settings, SuiteMain::print);
        CountDownLatch stopped = new CountDownLatch(1);
        // Registered before the start, so that SIGTERM while starting still stops what was started.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            print("stopping the suite");
            suite.close();
            print("STOPPED");
            stopped.countDown();
        }));
        try {
            suite.start();
        } catch (SuiteException e) {
            print("FAILED: " + e.getMessage());
            System.exit(1);
            return;
        }
        try {
            SuiteControl control = SuiteControl.serve(state, suite, SuiteMain::print);
            Runtime.getRuntime().addShutdownHook(new Thread(control::close));
        } catch (IOException e) {
            print("(no control socket, so ./suite restart will not work: " + e.getMessage() + ")");
        }
        print(summary(suite));
        print("READY");
        stopped.await();
    }

    private static String summary(LocalSuite suite) {
        StringBuilder out = new StringBuilder("\nThe suite is up.\n\n");
        out.append(String.format("  %-14s %-24s %s%n", "component", "URL", "health"));
        out.append(String.format(
                "  %-14s %-24s %s%n",
                "keycloak",
                suite.keycloakUrl(),
                suite.keycloakUrl() + "/admin (admin / " + KeycloakServer.ADMIN_PASSWORD + ")"));
        for (ServiceSpec service : ServiceSpec.ALL) {
            out.append(String.format(
                    "  %-14s %-24s %s%n",
                    service.name(),
                    suite.serviceUrl(service.name()),
                    suite.managementUrl(service.name()) + "/q/health"));
        }
        out.append(String.format("  %-14s %s%n", "postgres", suite.database().description()));
        out.append("\nDemo users (demo-only passwords, local runs only): alice / alice-demo and victor / victor-demo"
                + " (researchers),\n  rita / rita-demo and ravi / ravi-demo (kyc-reviewer), paula / paula-demo"
                + " and pete / pete-demo (policy-admin), greg / greg-demo (regulator)\n");
        out.append("\nGet a token and call a service:\n");
        out.append(
                "  TOKEN=$(curl -s -d grant_type=password -d client_id=cli -d username=alice -d password=alice-demo \\\n"
                        + "    " + suite.realmUrl()
                        + "/protocol/openid-connect/token | sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/')\n");
        out.append("  curl -H \"Authorization: Bearer $TOKEN\" " + suite.serviceUrl(ServiceSpec.KYC.name())
                + "/api/v1/caller\n");
        out.append(
                "\nLogs: ./suite logs <component>...    Restart one: ./suite restart <component>    Stop: ./suite down\n");
        return out.toString();
    }

    private static void print(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i].substring(2), args[++i]);
            } else {
                options.put("command", args[i]);
            }
        }
        return options;
    }
}
