package org.selfhostedgateway.ui;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.selfhostedgateway.TestApi;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The page in a real browser, as the admin uses it: sign in, create a link, copy its snippet, delete it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BrowserTests {

    static ChromeDriver browser;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    String url(String path) {
        return "http://localhost:" + port + path;
    }

    @Test
    void theAdminSignsInCreatesALinkCopiesItsSnippetAndDeletesIt() throws Exception {
        browser.manage().deleteAllCookies();
        browser.get(url("/"));
        assertThat(browser.getCurrentUrl()).as("the page asks to sign in first").endsWith("/login");
        Browser.screenshot(browser, "sign-in-phone", 390);

        signIn("not-the-admin-token-at-all");
        assertThat(browser.getCurrentUrl()).endsWith("/login");
        assertThat(browser.findElement(By.id("secret-error")).getText())
                .contains("not the admin token or the admin password");

        signIn(TestApi.TEST_TOKEN);
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Links");

        // A person's mistakes are named next to the field, in words.
        browser.findElement(By.id("fqdn")).sendKeys("not a host");
        navigateBy(By.cssSelector("#create-form button[type=submit]"));
        assertThat(browser.findElement(By.id("fqdn-error")).getText())
                .isEqualTo("The public host name must be a host name such as app.example.com: letters, digits "
                        + "and hyphens in labels separated by dots.");
        assertThat(browser.findElement(By.id("expose-error")).getText())
                .isEqualTo("The service is required, for example nginx:80.");
        assertThat(browser.findElement(By.id("fqdn")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.findElement(By.id("fqdn")).getAttribute("value")).isEqualTo("not a host");
        Browser.screenshot(browser, "links-invalid-desktop", 1280);

        WebElement fqdn = browser.findElement(By.id("fqdn"));
        fqdn.clear();
        fqdn.sendKeys("browser.example.com");
        browser.findElement(By.id("expose")).sendKeys("web:8080");
        navigateBy(By.cssSelector("#create-form button[type=submit]"));

        assertThat(browser.findElement(By.id("link-fqdn")).getText()).isEqualTo("browser.example.com");
        String id = browser.getCurrentUrl().replaceAll(".*/ui/links/", "");
        String compose = new TestApi(port).get("/links/" + id + "/compose").body();
        assertThat(compose).contains("browser.example.com");

        WebElement snippet = browser.findElement(By.id("snippet"));
        assertThat(snippet.getDomProperty("textContent")).isEqualTo(compose);
        assertThat(copiedByTheCopyButton()).isEqualTo(compose);
        Browser.screenshot(browser, "link-desktop", 1280);
        Browser.screenshot(browser, "link-phone", 390);

        navigateBy(By.linkText("← All links"));
        assertThat(linkedHostNames()).contains("browser.example.com");
        Browser.screenshot(browser, "links-desktop", 1280);
        Browser.screenshot(browser, "links-phone", 390);

        navigateBy(By.xpath("//tr[@data-link-id='" + id + "']//a[contains(@class,'danger-link')]"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Delete browser.example.com?");
        navigateBy(By.id("confirm-delete"));

        assertThat(browser.findElement(By.cssSelector(".notice")).getText()).contains("Deleted the link for "
                + "browser.example.com");
        assertThat(linkedHostNames()).doesNotContain("browser.example.com");
        assertThat(new TestApi(port).get("/links/" + id).status()).isEqualTo(404);

        navigateBy(By.linkText("Audit log"));
        assertThat(browser.findElement(By.cssSelector("#audit tbody tr")).getText())
                .contains("admin (signed in)", "LINK_DELETED", "browser.example.com");
        Browser.screenshot(browser, "audit-desktop", 1280);
    }

    @Test
    void aFormWithoutItsCsrfTokenIsRefused() {
        browser.manage().deleteAllCookies();
        browser.get(url("/login"));
        signIn(TestApi.TEST_TOKEN);
        browser.executeScript("document.querySelector('#create-form input[name=_csrf]').remove()");
        browser.findElement(By.id("fqdn")).sendKeys("forged.example.com");
        browser.findElement(By.id("expose")).sendKeys("web:80");
        navigateBy(By.cssSelector("#create-form button[type=submit]"));

        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("This form has expired");
        assertThat(new TestApi(port).get("/links?fqdn=forged.example.com").json()).isEmpty();

        PageClient page = new PageClient(port).signedInAsAdmin();
        HttpResponse<String> forged = page.postWithoutCsrf("/ui/links",
                Map.of("fqdn", "forged.example.com", "expose", "web:80"));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(new TestApi(port).get("/links?fqdn=forged.example.com").json()).isEmpty();
    }

    @Test
    void manyLinksArePagedAndFoundByHostName() throws Exception {
        TestApi api = new TestApi(port);
        for (int i = 0; i < 55; i++) {
            assertThat(api.createLink(String.format("paged-%02d.browse.example.com", i), "web:80").status())
                    .isEqualTo(201);
        }
        browser.manage().deleteAllCookies();
        browser.get(url("/login"));
        signIn(TestApi.TEST_TOKEN);
        assertThat(linkedHostNames()).hasSize(50);

        WebElement filter = browser.findElement(By.id("q"));
        filter.sendKeys("BROWSE.example");
        markThisPage();
        filter.submit();
        waitForNewPage();
        assertThat(browser.findElement(By.id("links-count")).getText()).isEqualTo("Page 1 of 2, 55 links");
        assertThat(linkedHostNames()).hasSize(50).allMatch(name -> name.endsWith(".browse.example.com"));

        navigateBy(By.linkText("Next page →"));
        assertThat(linkedHostNames()).hasSize(5).contains("paged-54.browse.example.com");
        assertThat(browser.findElement(By.id("q")).getAttribute("value")).isEqualTo("browse.example");
        navigateBy(By.linkText("← Previous page"));
        assertThat(linkedHostNames()).hasSize(50).contains("paged-00.browse.example.com");
        Browser.screenshot(browser, "links-paged-desktop", 1280);
    }

    @Test
    void theAdminRotatesALinksKeysOnItsPageAndSeesTheNewSnippet() throws Exception {
        TestApi api = new TestApi(port);
        JsonNode created = api.createLink("browser-rotate.example.com", "web:8080").json();
        String id = created.get("id").asString();
        browser.manage().deleteAllCookies();
        browser.get(url("/login"));
        signIn(TestApi.TEST_TOKEN);
        browser.get(url("/ui/links/" + id));

        assertThat(browser.findElement(By.id("rotate-warning")).getText())
                .startsWith("The home side stops serving at once");
        assertThat(browser.findElement(By.id("keys-rotated")).getText()).startsWith("never");
        navigateBy(By.cssSelector("#rotate-keys button[type=submit]"));

        JsonNode rotated = api.get("/links/" + id).json();
        assertThat(rotated.get("gatewayPublicKey").asString()).isNotEqualTo(created.get("gatewayPublicKey")
                .asString());
        assertThat(browser.findElement(By.cssSelector(".notice")).getText())
                .contains("The old keys stopped working now", "docker compose up -d");
        assertThat(browser.findElement(By.id("snippet")).getDomProperty("textContent"))
                .isEqualTo(rotated.get("compose").asString());
        assertThat(browser.findElement(By.id("keys-rotated")).getText()).doesNotStartWith("never").isNotBlank();
        Browser.screenshot(browser, "link-keys-rotated-desktop", 1280);
    }

    private void signIn(String secret) {
        WebElement field = browser.findElement(By.id("secret"));
        field.clear();
        field.sendKeys(secret);
        markThisPage();
        field.submit();
        waitForNewPage();
    }

    /**
     * Clicks what leads to another page and waits until that page has replaced this one: a click returns before
     * the browser has navigated, and a slow runner would otherwise read the old page.
     */
    private void navigateBy(By target) {
        markThisPage();
        browser.findElement(target).click();
        waitForNewPage();
    }

    /** Marks the document shown now, so that the wait below knows when another one has replaced it. */
    private void markThisPage() {
        browser.executeScript("window.sgLeftPage = true;");
    }

    /**
     * Waits for a loaded document without the mark. No element of the old page is held: asking a node that the
     * browser is detaching failed with "Node with given id does not belong to the document" on a busy CI runner,
     * and so may a script run in the instant the page is swapped, so such errors only mean "not yet".
     */
    private void waitForNewPage() {
        new WebDriverWait(browser, java.time.Duration.ofSeconds(30))
                .ignoring(org.openqa.selenium.WebDriverException.class)
                .until(driver -> Boolean.TRUE.equals(((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                        "return window.sgLeftPage === undefined && document.readyState === 'complete';")));
    }

    /** What the copy button put on the clipboard, read back through the browser's own clipboard. */
    private String copiedByTheCopyButton() {
        browser.executeCdpCommand("Browser.grantPermissions", Map.of("origin", url(""),
                "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
        WebElement copy = browser.findElement(By.cssSelector("button[data-copy=snippet]"));
        assertThat(copy.isDisplayed()).as("the script shows the copy button").isTrue();
        copy.click();
        new WebDriverWait(browser, java.time.Duration.ofSeconds(5)).until(ExpectedConditions
                .textToBePresentInElementLocated(By.cssSelector(".copy-status"), "Copied"));
        return (String) browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "navigator.clipboard.readText().then(done, e => done('clipboard refused: ' + e));");
    }

    private List<String> linkedHostNames() {
        return browser.findElements(By.cssSelector("#links .fqdn")).stream().map(WebElement::getText).toList();
    }
}
