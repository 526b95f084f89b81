package org.selfhostedgateway.ui;

import java.util.Optional;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.selfhostedgateway.security.SignIn;
import org.selfhostedgateway.security.TooManyAttemptsException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

@Hidden
@Controller
class LoginPage {

    private final SignIn signIn;

    LoginPage(SignIn signIn) {
        this.signIn = signIn;
    }

    @GetMapping("/login")
    String form(@RequestParam(name = "signed-out", required = false) String signedOut, Model model) {
        if (Boolean.TRUE.equals(model.getAttribute("signedIn"))) {
            return "redirect:/";
        }
        if (signedOut != null) {
            model.addAttribute("notice", "You are signed out.");
        }
        return "ui/login";
    }

    @PostMapping("/login")
    String signIn(@RequestParam(defaultValue = "") String secret, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        Optional<String> next;
        try {
            next = signIn.signIn(secret, request, response);
        }
        catch (TooManyAttemptsException e) {
            response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
            model.addAttribute("error", "Too many failed sign-ins from your address. Wait "
                    + e.retryAfterSeconds() + " seconds, then try again.");
            return "ui/login";
        }
        if (next.isEmpty()) {
            response.setStatus(HttpStatus.UNAUTHORIZED.value());
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "FormBased");
            model.addAttribute("error", secret.isEmpty() ? "Enter the admin token or the admin password."
                    : "That is not the admin token or the admin password. Check it and try again.");
            return "ui/login";
        }
        return "redirect:" + next.get();
    }
}
