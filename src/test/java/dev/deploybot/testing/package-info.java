/**
 * Wire-level fakes of the services deploybot talks to: small HTTP servers on 127.0.0.1 that speak the
 * real protocols, so tests run production code with the real Slack and AWS SDK clients and only the
 * endpoint changed.
 * <ul>
 *   <li>{@link dev.deploybot.testing.FakeSlack}: the Slack Web API; wire the SDK with
 *       {@code SlackConfig.setMethodsEndpointUrlPrefix(fake.apiUrl())}.</li>
 *   <li>{@link dev.deploybot.testing.SlackRequests}: signed slash commands and button clicks sent to the app,
 *       as Slack sends them.</li>
 *   <li>{@link dev.deploybot.testing.FakeAws}: one endpoint for every AWS JSON 1.1 service; wire the SDK with
 *       {@code endpointOverride(fake.endpoint())} (or {@code fake.client(XClient.builder())}) or the
 *       {@code aws.endpointUrl} system property. CodeBuild, ECR, ECS and CodeDeploy are built in
 *       ({@link dev.deploybot.testing.FakeCodeBuild}, {@link dev.deploybot.testing.FakeEcr},
 *       {@link dev.deploybot.testing.FakeEcs}, {@link dev.deploybot.testing.FakeCodeDeploy}); other services plug in as
 *       {@link dev.deploybot.testing.AwsJsonService}.</li>
 *   <li>{@link dev.deploybot.testing.ElasticMq}: a real SQS server (ElasticMQ) with a queue and its dead-letter
 *       queue; the app reaches it through {@code aws.endpointUrlSqs}, the twin of {@code AWS_ENDPOINT_URL_SQS}.</li>
 *   <li>{@link dev.deploybot.testing.AwsEvent}: EventBridge events from the fixtures in {@code src/test/resources/events},
 *       tied to a test's own build or deployment; {@link dev.deploybot.testing.EventRequests} posts them to
 *       {@code POST /events/aws} as an API destination does.</li>
 * </ul>
 */
package dev.deploybot.testing;
