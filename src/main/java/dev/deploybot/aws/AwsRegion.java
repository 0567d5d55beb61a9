package dev.deploybot.aws;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

import java.util.Optional;

/**
 * Whether the SDK's default chain names a region. Asked once before start-up: without one, every AWS client
 * fails as it is built, which would surface as a failed command or a page of provider names, not as a line
 * the operator can act on.
 */
public final class AwsRegion {
    private AwsRegion() {
    }

    /** Empty when a region is found; otherwise what the operator must do, in one line. */
    public static Optional<String> problem() {
        // The chain's first provider reads exactly these two; when one names a region, the SDK can wait for the first call.
        if (named(System.getProperty("aws.region")) || named(System.getenv("AWS_REGION"))) {
            return Optional.empty();
        }
        return Chain.problem();
    }

    private static boolean named(String region) {
        return region != null && !region.isBlank();
    }

    /** The rest of the chain (profiles, the instance metadata service), in a class of its own: loaded only when asked. */
    private static final class Chain {
        static Optional<String> problem() {
            try {
                new DefaultAwsRegionProviderChain().getRegion();
                return Optional.empty();
            } catch (SdkClientException none) {
                return Optional.of("AWS region: none found; set AWS_REGION (or the region of the profile AWS_PROFILE names)");
            }
        }
    }
}
