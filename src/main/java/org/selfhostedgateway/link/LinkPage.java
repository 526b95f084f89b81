package org.selfhostedgateway.link;

import java.util.List;

/**
 * One page of links as the web page lists them.
 *
 * @param page this page's number, from 1
 * @param pages how many pages there are (at least 1)
 * @param total how many links match the filter
 * @param filter the part of the fqdn looked for, lower case; empty for all links
 */
public record LinkPage(List<LinkResponse> links, int page, int pages, long total, String filter) {

    public boolean hasPrevious() {
        return page > 1;
    }

    public boolean hasNext() {
        return page < pages;
    }
}
