package org.selfhostedgateway.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import org.selfhostedgateway.link.CreateLinkRequest;
import org.selfhostedgateway.link.LinkPage;
import org.selfhostedgateway.link.LinkResponse;
import org.selfhostedgateway.link.LinkService;
import org.selfhostedgateway.link.LinkServingSource;
import org.selfhostedgateway.link.UpdateLinkRequest;
import org.springframework.beans.factory.ObjectProvider;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Links on the page: the same {@link LinkService} calls as the API, so both leave the same rows and audit entries.
 * Every change answers with a redirect, so reloading a page never repeats it.
 */
@Hidden
@Controller
class LinkPages {

    /** How the page names each field in its error messages, which read "must be ..." or "is required ...". */
    static final Map<String, String> FIELD_NAMES = Map.of("fqdn", "The public host name", "expose",
            "The service", "clientPublicKey", "The client public key", "ports", "The raw ports", "aliases",
            "Other host names");

    /** Enough to scan by eye; 1,000 links stay fast and small as 20 pages (or one filter). */
    static final int PAGE_SIZE = 50;

    private final LinkService links;
    private final ObjectProvider<LinkServingSource> serving;
    private final Validator validator;

    LinkPages(LinkService links, ObjectProvider<LinkServingSource> serving, Validator validator) {
        this.links = links;
        this.serving = serving;
        this.validator = validator;
    }

    @InitBinder("form")
    void emptyFieldsAreMissing(WebDataBinder binder) {
        // An empty optional field means "not given", as an absent JSON property does in the API.
        binder.registerCustomEditor(String.class, new StringTrimmerEditor(true));
    }

    @GetMapping("/")
    String list(@RequestParam(name = "q", required = false) String filter,
            @RequestParam(name = "page", defaultValue = "1") String page, Model model) {
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", LinkForm.empty());
        }
        LinkPage shown = links.page(filter, pageNumber(page), PAGE_SIZE);
        model.addAttribute("linkPage", shown);
        model.addAttribute("previousPage", shown.hasPrevious() ? pageUrl(shown, shown.page() - 1) : null);
        model.addAttribute("nextPage", shown.hasNext() ? pageUrl(shown, shown.page() + 1) : null);
        model.addAttribute("links", shown.links());
        model.addAttribute("fieldNames", FIELD_NAMES);
        return "ui/links";
    }

    private static String pageUrl(LinkPage shown, int page) {
        UriComponentsBuilder url = UriComponentsBuilder.fromPath("/").queryParam("page", page);
        if (!shown.filter().isEmpty()) {
            url.queryParam("q", shown.filter());
        }
        return url.encode().build().toUriString();
    }

    /** A page number as people type it; anything that is not one shows the first page. */
    private static int pageNumber(String page) {
        try {
            return Math.max(1, Integer.parseInt(page.strip()));
        }
        catch (NumberFormatException notANumber) {
            return 1;
        }
    }

    @PostMapping("/ui/links")
    String create(@ModelAttribute("form") LinkForm form, BindingResult errors, Model model,
            RedirectAttributes next, HttpServletResponse response) {
        List<Integer> badLines = new ArrayList<>();
        CreateLinkRequest request = form.request(badLines);
        if (!badLines.isEmpty()) {
            errors.rejectValue("ports", "format", "must be one entry a line, such as 'tcp 25565 minecraft:25565' or "
                    + "'udp 50100-50199 turn:50100' (line " + badLines.stream().map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(", ")) + ")");
        }
        // The API's own constraints, named by the form's fields: a port entry's problem shows under the ports.
        for (ConstraintViolation<CreateLinkRequest> violation : validator.validate(request)) {
            String path = violation.getPropertyPath().toString();
            String field = path.startsWith("ports") ? "ports" : path.startsWith("aliases") ? "aliases" : path;
            errors.rejectValue(field, "invalid", field.equals(path) ? violation.getMessage()
                    : path.startsWith("aliases") ? aliasEntry(path) + violation.getMessage()
                    : portEntry(path) + violation.getMessage());
        }
        if (errors.hasErrors()) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return list(null, "1", model);
        }
        LinkService.CreateResult result;
        try {
            result = links.create(request);
        }
        catch (ErrorResponseException refused) {
            response.setStatus(refused.getStatusCode().value());
            model.addAttribute("problem", refused.getBody().getDetail());
            return list(null, "1", model);
        }
        next.addFlashAttribute("notice", result.created()
                ? "Link created. Copy the snippet below into the compose file on your home server."
                : "This link existed already with the same settings; here it is.");
        return "redirect:/ui/links/" + result.link().id();
    }

    /** "ports[1].target" as people read it: "(entry 2: target) ". */
    private static String portEntry(String path) {
        java.util.regex.Matcher index = java.util.regex.Pattern.compile("^ports\\[(\\d+)]\\.?(.*)$").matcher(path);
        return index.matches() ? "(entry " + (Integer.parseInt(index.group(1)) + 1) + ": " + index.group(2) + ") "
                : "";
    }

    /** "aliases[1].&lt;list element&gt;" as people read it: "(name 2) ". */
    private static String aliasEntry(String path) {
        java.util.regex.Matcher index = java.util.regex.Pattern.compile("^aliases\\[(\\d+)].*$").matcher(path);
        return index.matches() ? "(name " + (Integer.parseInt(index.group(1)) + 1) + ") " : "";
    }

    @GetMapping("/ui/links/{id}")
    String show(@PathVariable String id, Model model) {
        return linkPage(links.get(id), model);
    }

    /**
     * The link page, for its own GET and for every form on it that was refused: each form shows what was typed
     * when the caller put it in the model, else the link's stored values.
     */
    static String linkPage(LinkResponse link, Model model) {
        model.addAttribute("link", link);
        if (!model.containsAttribute("editForm")) {
            model.addAttribute("editForm", LinkEditForm.of(link));
        }
        if (!model.containsAttribute("accessForm")) {
            model.addAttribute("accessForm", AccessRulePages.AccessForm.of(link));
        }
        model.addAttribute("fieldNames", FIELD_NAMES);
        return "ui/link";
    }

    /** A form of the link page that was refused: its status, the reason above the forms, the page as typed. */
    static String refusedForm(LinkResponse link, int status, String problem, Model model,
            HttpServletResponse response) {
        response.setStatus(status);
        model.addAttribute("problem", problem);
        return linkPage(link, model);
    }

    /** The link page's edit form: the same {@link LinkService#edit} as PATCH /links/{id}, the same checks. */
    @PostMapping("/ui/links/{id}/edit")
    String edit(@PathVariable String id, @ModelAttribute("editForm") LinkEditForm form, BindingResult errors,
            Model model, RedirectAttributes next, HttpServletResponse response) {
        if (form.expose() == null || form.expose().isBlank()) {
            errors.rejectValue("expose", "required", "is required, for example nginx:80");
        }
        UpdateLinkRequest request = form.request();
        for (ConstraintViolation<UpdateLinkRequest> violation : validator.validate(request)) {
            String path = violation.getPropertyPath().toString();
            String field = path.startsWith("aliases") ? "aliases" : path;
            errors.rejectValue(field, "invalid", field.equals(path) ? violation.getMessage()
                    : aliasEntry(path) + violation.getMessage());
        }
        if (errors.hasErrors()) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return show(id, model);
        }
        LinkResponse edited;
        try {
            edited = links.edit(id, request);
        }
        catch (ErrorResponseException refused) {
            if (refused.getStatusCode().value() == HttpStatus.NOT_FOUND.value()) {
                throw refused;
            }
            return refusedForm(links.get(id), refused.getStatusCode().value(), refused.getBody().getDetail(), model,
                    response);
        }
        next.addFlashAttribute("notice", edited.homeUpdate());
        return "redirect:/ui/links/" + id;
    }

    @PostMapping("/ui/links/{id}/check")
    String check(@PathVariable String id, RedirectAttributes next) {
        LinkServingSource checks = serving.getIfAvailable();
        if (checks != null) {
            next.addFlashAttribute("notice", "Checked just now: " + checks.checkNow(id).summary());
        }
        return "redirect:/ui/links/" + id;
    }

    @GetMapping("/ui/links/{id}/delete")
    String confirmDelete(@PathVariable String id, Model model) {
        model.addAttribute("link", links.overview(id));
        return "ui/link-delete";
    }

    @PostMapping("/ui/links/{id}/delete")
    String delete(@PathVariable String id, RedirectAttributes next) {
        String fqdn = links.overview(id).fqdn();
        links.delete(id);
        next.addFlashAttribute("notice", "Deleted the link for " + fqdn + "; its UDP port is free again.");
        return "redirect:/";
    }

    @ExceptionHandler(ErrorResponseException.class)
    ModelAndView problem(ErrorResponseException e) {
        return PageErrors.page(e);
    }
}
