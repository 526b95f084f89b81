package org.selfhostedgateway.docker;

import java.time.Duration;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one docker-java client of the application. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "gateway.docker.enabled", havingValue = "true", matchIfMissing = true)
class DockerConfiguration {

    @Bean(destroyMethod = "close")
    DockerClient dockerClient(DockerProperties properties) {
        return connect(properties.host());
    }

    /** Also the home agent's one client (issue 16), which runs without Spring. */
    static DockerClient connect(String host) {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host)
                .build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(32)
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofSeconds(60))
                .build();
        return DockerClientImpl.getInstance(config, http);
    }
}
