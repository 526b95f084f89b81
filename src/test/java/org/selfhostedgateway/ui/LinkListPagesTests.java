package org.selfhostedgateway.ui;

import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.selfhostedgateway.TestApi;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** Many links stay usable on the page: 50 a page, with pages to move through and a filter by host name. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // A database of its own: it counts every link, and other test classes share their context's.
        properties = "gateway.data.dir=${java.io.tmpdir}/selfhosted-gateway-tests/link-list-pages-${random.uuid}")
class LinkListPagesTests {

    private static final Pattern ROW = Pattern.compile("data-link-id=\"");

    @LocalServerPort
    int port;

    @Test
    void theListShowsFiftyLinksAPageAndFindsByHostName() {
        TestApi api = new TestApi(port);
        for (int i = 0; i < 120; i++) {
            assertThat(api.createLink(String.format("host-%03d.pages.example.com", i), "web:80").status())
                    .isEqualTo(201);
        }
        PageClient page = new PageClient(port).signedInAsAdmin();

        HttpResponse<String> first = page.get("/");
        assertThat(rows(first.body())).isEqualTo(50);
        assertThat(first.body()).contains("Page 1 of 3, 120 links").contains("host-000.pages.example.com")
                .doesNotContain("host-050.pages.example.com").contains("href=\"/?page=2\"");
        // 50 rows of about 1.5 KB each (names, state, tunnel, notice), whatever the number of links.
        assertThat(first.body().length()).as("small whatever the number of links").isLessThan(100_000);

        HttpResponse<String> last = page.get("/?page=3");
        assertThat(rows(last.body())).isEqualTo(20);
        assertThat(last.body()).contains("host-119.pages.example.com").contains("href=\"/?page=2\"")
                .doesNotContain("page=4");
        assertThat(rows(page.get("/?page=99").body())).as("past the end: the last page").isEqualTo(20);
        assertThat(rows(page.get("/?page=nonsense").body())).isEqualTo(50);

        HttpResponse<String> found = page.get("/?q=HOST-11");
        assertThat(rows(found.body())).isEqualTo(10);
        assertThat(found.body()).contains("host-110.pages.example.com").doesNotContain("host-100.pages");

        assertThat(page.get("/?q=nowhere").body()).contains("No link's host name").contains("<code>nowhere</code>")
                .doesNotContain("data-link-id");
    }

    private static int rows(String html) {
        Matcher rows = ROW.matcher(html);
        int count = 0;
        while (rows.find()) {
            count++;
        }
        return count;
    }
}
