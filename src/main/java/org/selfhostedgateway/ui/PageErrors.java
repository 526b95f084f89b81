package org.selfhostedgateway.ui;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.servlet.ModelAndView;

/** A problem from a service (such as a link that is gone), shown on a page instead of as JSON. */
final class PageErrors {

    private PageErrors() {
    }

    static ModelAndView page(ErrorResponseException e) {
        ProblemDetail problem = e.getBody();
        ModelAndView page = new ModelAndView("ui/problem");
        page.addObject("title", problem.getTitle());
        page.addObject("detail", problem.getDetail());
        page.setStatus(HttpStatusCode.valueOf(problem.getStatus()));
        return page;
    }
}
