package org.selfhostedgateway.ui;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletResponse;

import org.selfhostedgateway.link.AccessRulesRequest;
import org.selfhostedgateway.link.AccessRulesRequest.BasicAuthUser;
import org.selfhostedgateway.link.LinkAccessRules;
import org.selfhostedgateway.link.LinkResponse;
import org.selfhostedgateway.link.LinkService;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The link page's access-rules form: the same {@link LinkAccessRules} call as PUT /links/{id}/access. Networks are one
 * a line (or separated by spaces or commas); users one a line, "name password", or the name alone to keep its
 * password. A password typed here is hashed by the server and never shown again, not even after a refusal.
 */
@Hidden
@Controller
class AccessRulePages {

    private final LinkAccessRules accessRules;
    private final LinkService links;

    AccessRulePages(LinkAccessRules accessRules, LinkService links) {
        this.accessRules = accessRules;
        this.links = links;
    }

    @PostMapping("/ui/links/{id}/access")
    String replace(@PathVariable String id, @RequestParam(defaultValue = "") String allow,
            @RequestParam(defaultValue = "") String deny, @RequestParam(defaultValue = "") String users,
            Model model, RedirectAttributes next, HttpServletResponse response) {
        AccessRulesRequest request = new AccessRulesRequest(networks(allow), networks(deny), users(users));
        LinkResponse changed;
        try {
            changed = accessRules.replace(id, request);
        }
        catch (ErrorResponseException refused) {
            if (refused.getStatusCode().value() == 404) {
                throw refused;
            }
            // Shown again as typed, but for the passwords: only the users' names go back into the form.
            model.addAttribute("accessForm", new AccessForm(allow, deny, String.join("\n",
                    request.basicAuth().stream().map(user -> String.valueOf(user.username())).toList())));
            return LinkPages.refusedForm(links.get(id), refused.getStatusCode().value(),
                    "The access rules were not changed: " + refused.getBody().getDetail(), model, response);
        }
        next.addFlashAttribute("notice", "Access rules saved. " + changed.homeUpdate());
        return "redirect:/ui/links/" + id;
    }

    /** What the form shows: the stored rules, or what was typed when they were refused. */
    record AccessForm(String allow, String deny, String users) {

        static AccessForm of(LinkResponse link) {
            return new AccessForm(String.join("\n", link.access().allow()), String.join("\n", link.access().deny()),
                    String.join("\n", link.access().basicAuthUsers()));
        }
    }

    private static List<String> networks(String text) {
        return Arrays.stream(text.split("[\\s,]+")).filter(part -> !part.isEmpty()).toList();
    }

    /** "name password" a line (the password is the rest of the line), or "name" to keep the stored password. */
    private static List<BasicAuthUser> users(String text) {
        List<BasicAuthUser> users = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            String entry = line.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int space = entry.indexOf(' ');
            users.add(space < 0 ? new BasicAuthUser(entry, null, null)
                    : new BasicAuthUser(entry.substring(0, space), entry.substring(space + 1).strip(), null));
        }
        return users;
    }

    @ExceptionHandler(ErrorResponseException.class)
    ModelAndView problem(ErrorResponseException e) {
        return PageErrors.page(e);
    }
}
