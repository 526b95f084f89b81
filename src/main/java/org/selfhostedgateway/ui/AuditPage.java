package org.selfhostedgateway.ui;

import java.util.List;

import io.swagger.v3.oas.annotations.Hidden;

import org.selfhostedgateway.audit.AuditEntry;
import org.selfhostedgateway.audit.AuditLog;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The audit log, newest first, a page at a time. */
@Hidden
@Controller
class AuditPage {

    static final int PAGE_SIZE = 50;

    private final AuditLog audit;

    AuditPage(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping("/ui/audit")
    String list(@RequestParam(required = false) Long before, Model model) {
        List<AuditEntry> entries = audit.recent(PAGE_SIZE, before);
        model.addAttribute("entries", entries);
        model.addAttribute("older", entries.size() == PAGE_SIZE ? entries.get(entries.size() - 1).id() : null);
        model.addAttribute("paged", before != null);
        return "ui/audit";
    }
}
