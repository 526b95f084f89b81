package org.selfhostedgateway.ui;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;

import org.selfhostedgateway.tokens.CreateTokenRequest;
import org.selfhostedgateway.tokens.NamedTokens;
import org.selfhostedgateway.tokens.TokenResponse;
import org.springframework.beans.propertyeditors.StringTrimmerEditor;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Named API tokens on the page: made (and shown once), listed, revoked. */
@Hidden
@Controller
class TokenPages {

    private final NamedTokens tokens;

    TokenPages(NamedTokens tokens) {
        this.tokens = tokens;
    }

    @InitBinder("form")
    void trim(WebDataBinder binder) {
        binder.registerCustomEditor(String.class, new StringTrimmerEditor(true));
    }

    @GetMapping("/ui/tokens")
    String list(Model model) {
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", new CreateTokenRequest(null));
        }
        model.addAttribute("tokens", tokens.list());
        return "ui/tokens";
    }

    @PostMapping("/ui/tokens")
    String create(@Valid @ModelAttribute("form") CreateTokenRequest form, BindingResult errors, Model model,
            RedirectAttributes next, HttpServletResponse response) {
        if (errors.hasErrors()) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return list(model);
        }
        TokenResponse created;
        try {
            created = tokens.create(form);
        }
        catch (ErrorResponseException refused) {
            response.setStatus(refused.getStatusCode().value());
            model.addAttribute("problem", refused.getBody().getDetail());
            return list(model);
        }
        // Carried to the next page once, then gone: the gateway itself keeps only the token's hash.
        next.addFlashAttribute("created", created);
        return "redirect:/ui/tokens";
    }

    @PostMapping("/ui/tokens/{id}/revoke")
    String revoke(@PathVariable String id, RedirectAttributes next) {
        String name = tokens.list().stream().filter(token -> token.id().equals(id)).map(TokenResponse::name)
                .findFirst().orElse(id);
        tokens.revoke(id);
        next.addFlashAttribute("notice", "Revoked the token " + name + ". Requests that carry it are refused now.");
        return "redirect:/ui/tokens";
    }

    @ExceptionHandler(ErrorResponseException.class)
    ModelAndView problem(ErrorResponseException e) {
        return PageErrors.page(e);
    }
}
