package org.selfhostedgateway.storage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.selfhostedgateway.TestApi.Reply;
import org.selfhostedgateway.TestGateway;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database keeps taking writes after the connection pool has replaced every connection, the one that ran the
 * migrations included: the pool retires each within 30 minutes. H2 2.4.240 tied a migration's {@code CHECK (x IN
 * (...))} to the session that made it and refused every insert and update once that session was closed ("Check
 * constraint invalid"), so a freshly installed gateway answered 500 to every new link about half an hour after its
 * first start, until it was restarted.
 */
// A context of its own, so that the pool still holds the connection that ran the migrations.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.hikari.pool-name=retired-by-the-test")
class PoolRetirementTests {

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Test
    void linksAreStillCreatedAndChangedAfterThePoolReplacedEveryConnection() throws Exception {
        // A connection outside the pool keeps the database open meanwhile, as a gateway's other work would.
        HikariDataSource pool = (HikariDataSource) dataSource;
        try (Connection outsideThePool = DriverManager.getConnection(pool.getJdbcUrl(), "sa", "")) {
            Set<Integer> poolSessions = sessions(outsideThePool);
            assertThat(poolSessions).as("the pool's connections").isNotEmpty();
            pool.getHikariPoolMXBean().softEvictConnections();
            TestGateway.waitFor(Duration.ofSeconds(30), "the pool to close the connections it had",
                    () -> !sessions(outsideThePool).removeAll(poolSessions));

            TestApi api = new TestApi(port);
            Reply created = api.createLink("after-retirement.example.com", "app:80");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String id = created.json().get("id").asString();
            Reply ports = api.put("/links/" + id + "/ports",
                    "{\"ports\": [{\"protocol\": \"udp\", \"publicPort\": 50100, \"target\": \"app:50100\"}]}");
            assertThat(ports.status()).as(ports.body()).isEqualTo(200);
            Reply edited = api.patch("/links/" + id, "{\"visitorAddress\": \"NONE\"}");
            assertThat(edited.status()).as(edited.body()).isEqualTo(200);
            assertThat(api.get("/links/" + id).json().get("visitorAddress").asString()).isEqualTo("NONE");
        }
    }

    /** The database's sessions other than the caller's own. */
    private static Set<Integer> sessions(Connection connection) {
        Set<Integer> ids = new HashSet<>();
        try (ResultSet rows = connection.createStatement().executeQuery(
                "select session_id from information_schema.sessions where session_id <> session_id()")) {
            while (rows.next()) {
                ids.add(rows.getInt(1));
            }
        }
        catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }
}
