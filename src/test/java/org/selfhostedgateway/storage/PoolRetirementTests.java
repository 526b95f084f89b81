package org.selfhostedgateway.storage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
 * The database keeps taking writes after the connection pool has replaced every connection it had: the pool retires
 * each within 30 minutes. H2 2.4.240 ties a migration's {@code CHECK (x IN (...))} to the session that made it; when
 * the migrations ran on a pooled connection, every insert and update failed once the pool retired it ("Check
 * constraint invalid"), so a freshly installed gateway answered 500 to every new link about half an hour after its
 * first start, until it was restarted. {@link MigrationConnection} keeps the migrations' session for the app's life.
 */
// A context of its own: a pool that has not replaced any connection yet.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.hikari.pool-name=retired-by-the-test")
class PoolRetirementTests {

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Test
    void linksAreStillCreatedAndChangedAfterThePoolReplacedEveryConnection() throws Exception {
        HikariDataSource pool = (HikariDataSource) dataSource;
        Set<Integer> pooled = pooledSessions(pool);
        // A connection outside the pool keeps the database open meanwhile, as a gateway's other work would: H2 reads
        // the constraints from disk again only when it reopens the database.
        try (Connection outsideThePool = DriverManager.getConnection(pool.getJdbcUrl(), "sa", "")) {
            pool.getHikariPoolMXBean().softEvictConnections();
            TestGateway.waitFor(Duration.ofSeconds(30), "the pool to close the connections it had",
                    () -> !sessions(outsideThePool).removeAll(pooled));

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

    /** The session of every connection the pool holds: all of them borrowed at once, then given back. */
    private static Set<Integer> pooledSessions(HikariDataSource pool) throws SQLException {
        List<Connection> borrowed = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        try {
            for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
                Connection connection = pool.getConnection();
                borrowed.add(connection);
                try (ResultSet row = connection.createStatement().executeQuery("select session_id()")) {
                    row.next();
                    ids.add(row.getInt(1));
                }
            }
        }
        finally {
            for (Connection connection : borrowed) {
                connection.close();
            }
        }
        assertThat(ids).as("the pool's sessions").hasSize(pool.getMaximumPoolSize());
        return ids;
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
