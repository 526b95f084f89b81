package org.selfhostedgateway.ui;

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

/** "Rotate keys" in a real browser: the warning before, the new snippet and what to do at home after. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KeyRotationBrowserTests {

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

    @Test
    void theAdminRotatesALinksKeysOnItsPageAndSeesTheNewSnippet() throws Exception {
        TestApi api = new TestApi(port);
        JsonNode created = api.createLink("browser-rotate.example.com", "web:8080").json();
        String id = created.get("id").asString();
        browser.manage().deleteAllCookies();
        browser.get("http://localhost:" + port + "/login");
        WebElement secret = browser.findElement(By.id("secret"));
        secret.sendKeys(TestApi.TEST_TOKEN);
        submitAndWait(secret);
        browser.get("http://localhost:" + port + "/ui/links/" + id);

        assertThat(browser.findElement(By.id("rotate-warning")).getText())
                .startsWith("The home side stops serving at once");
        assertThat(browser.findElement(By.id("keys-rotated")).getText()).startsWith("never");
        submitAndWait(browser.findElement(By.cssSelector("#rotate-keys button[type=submit]")));

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

    private static void submitAndWait(WebElement element) {
        WebElement oldPage = browser.findElement(By.tagName("html"));
        if ("button".equals(element.getTagName())) {
            element.click();
        }
        else {
            element.submit();
        }
        new WebDriverWait(browser, java.time.Duration.ofSeconds(30)).until(ExpectedConditions.stalenessOf(oldPage));
        new WebDriverWait(browser, java.time.Duration.ofSeconds(30)).until(driver -> "complete".equals(
                ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("return document.readyState")));
    }
}
