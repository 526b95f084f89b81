package org.selfhostedgateway.e2e;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One gateway, Pebble and control plane for every end-to-end class that only adds links of its own (under names no
 * other class uses): started by the first class that asks, closed when the whole run ends. Classes that restart the
 * gateway, stop the control plane or change its settings keep a fixture of their own.
 *
 * <pre>{@code
 * @ExtendWith(SharedGateway.class)
 * class SomeEndToEndTests {
 *     @BeforeAll
 *     static void gateway(DataPlaneFixture shared) {
 *         gateway = shared;
 *     }
 * }
 * }</pre>
 */
final class SharedGateway implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == DataPlaneFixture.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.create(SharedGateway.class))
                .computeIfAbsent(Running.class, key -> Running.start(), Running.class).fixture();
    }

    /** Closed by JUnit when the run ends: the root store closes the AutoCloseable values it holds. */
    private record Running(DataPlaneFixture fixture) implements AutoCloseable {

        static Running start() {
            DataPlaneFixture started = null;
            try {
                // Its links hold their ports until the run ends: a block of its own, so that classes with a fixture
                // of their own find theirs free.
                started = new DataPlaneFixture(DataPlaneFixture.FIRST_PORT + 100);
                started.startControlPlane();
                return new Running(started);
            }
            catch (Exception | Error failed) {
                if (started != null) {
                    started.close();
                }
                throw new IllegalStateException("The shared end-to-end gateway did not start", failed);
            }
        }

        @Override
        public void close() {
            fixture.close();
        }
    }
}
