package dev.herald.aws;

import com.amazonaws.services.lambda.runtime.Context;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.function.aws.DefaultLambdaContextFactory;
import io.micronaut.function.aws.LambdaContextFactory;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * The Lambda context of the invocation being handled. Micronaut's handlers hand every invocation's
 * context to the {@link LambdaContextFactory}; its default registers each one as one more singleton
 * bean, so the bean context grows by a bean (and a lookup by a step) with every call, and a warm
 * function slows call after call. This keeps only the current one.
 */
@Singleton
@Replaces(DefaultLambdaContextFactory.class)
public final class CurrentInvocation implements LambdaContextFactory {

    private volatile Context context;

    @Override
    public void registerSingletons(Context lambdaContext) {
        this.context = lambdaContext;
    }

    /** The context of the invocation being handled; none outside Lambda or before the first invocation. */
    public Optional<Context> context() {
        return Optional.ofNullable(context);
    }
}
