package org.selfhostedgateway.ui;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import org.selfhostedgateway.link.LinkKeys;
import org.selfhostedgateway.link.LinkResponse;
import org.selfhostedgateway.link.LinkService;
import org.selfhostedgateway.link.RotateKeysRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.StringUtils;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * "Rotate keys" on a link's page: the same {@link LinkKeys#rotate} as {@code POST /links/{id}/keys}. Afterwards the
 * link's page shows the new snippet, with what the home side must do now.
 */
@Hidden
@Controller
class LinkKeyPages {

    private final LinkKeys keys;
    private final LinkService links;
    private final Validator validator;

    LinkKeyPages(LinkKeys keys, LinkService links, Validator validator) {
        this.keys = keys;
        this.links = links;
        this.validator = validator;
    }

    @PostMapping("/ui/links/{id}/keys")
    String rotate(@PathVariable String id, @RequestParam(name = "clientPublicKey", required = false) String key,
            Model model, RedirectAttributes next, HttpServletResponse response) {
        String clientPublicKey = StringUtils.hasText(key) ? key.strip() : null;
        // The API's own constraint, in the page's words.
        for (ConstraintViolation<RotateKeysRequest> violation : validator.validate(
                new RotateKeysRequest(clientPublicKey))) {
            return LinkPages.refusedForm(links.get(id), 400, "The new client public key " + violation.getMessage()
                    + ". Nothing changed.", model, response);
        }
        LinkResponse rotated;
        try {
            rotated = keys.rotate(id, clientPublicKey);
        }
        catch (ErrorResponseException refused) {
            if (refused.getStatusCode().value() == 404) {
                throw refused;
            }
            return LinkPages.refusedForm(links.get(id), refused.getStatusCode().value(), refused.getBody().getDetail(),
                    model, response);
        }
        next.addFlashAttribute("notice", "New keys made. " + rotated.homeUpdate());
        return "redirect:/ui/links/" + id;
    }

    @ExceptionHandler(ErrorResponseException.class)
    ModelAndView problem(ErrorResponseException e) {
        return PageErrors.page(e);
    }
}
