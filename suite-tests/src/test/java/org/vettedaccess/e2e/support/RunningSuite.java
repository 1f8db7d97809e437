package org.vettedaccess.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.vettedaccess.suite.LocalSuite;
import org.vettedaccess.suite.SuiteException;
import org.vettedaccess.suite.SuitePorts;

/**
 * Starts the real suite (PostgreSQL, Keycloak, the services' packaged jars) once per test run, on free ports,
 * and stops it when the run ends. Test classes get it with {@code @ExtendWith(RunningSuite.class)} and a
 * {@link LocalSuite} or {@link Keycloak} parameter.
 */
public final class RunningSuite implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RunningSuite.class);

    /** Closed by JUnit when the root context closes, i.e. after the last test class of the run. */
    private record Handle(LocalSuite suite, Keycloak keycloak) implements AutoCloseable {
        @Override
        public void close() {
            suite.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        handle(context);
    }

    private static Handle handle(ExtensionContext context) {
        Object started = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("suite", key -> start());
        if (started instanceof RuntimeException failure) {
            // One failed start fails every class with the same cause, instead of starting again per class.
            throw failure;
        }
        return (Handle) started;
    }

    private static Object start() {
        try {
            // A fresh database each run: Keycloak's ids change with every start, so old rows would mislead.
            LocalSuite.Settings settings = LocalSuite.Settings.of(
                    Path.of(System.getProperty("suite.root")),
                    Path.of(System.getProperty("suite.state")),
                    Path.of(System.getProperty("suite.keycloak-zip")),
                    SuitePorts.free(),
                    true);
            LocalSuite suite = LocalSuite.start(settings, line -> System.out.println("[suite] " + line));
            return new Handle(suite, new Keycloak(suite.keycloakUrl()));
        } catch (SuiteException e) {
            return new IllegalStateException("The suite did not start: " + e.getMessage(), e);
        } catch (IOException e) {
            return new UncheckedIOException(e);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == LocalSuite.class || type == Keycloak.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Handle handle = handle(context);
        return parameter.getParameter().getType() == LocalSuite.class ? handle.suite() : handle.keycloak();
    }
}
