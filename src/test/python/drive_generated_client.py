"""Drives the Python client that openapi-generator makes from openapi.yaml against a running gateway.

Run by GeneratedPythonClientTests with PYTHONPATH pointing at the generated package and GATEWAY_URL and
GATEWAY_TOKEN set. Every call goes through a generated method; any failure exits non-zero with the reason.
"""
import os
import sys

import selfhosted_gateway_client as sgc
from selfhosted_gateway_client.rest import ApiException


def expect_error(status, call):
    try:
        call()
    except ApiException as error:
        if error.status != status:
            raise AssertionError(f"expected {status}, got {error.status}: {error.body}") from error
        if "application/problem+json" not in (error.headers or {}).get("Content-Type", ""):
            raise AssertionError(f"{status} is not a problem document: {error.headers}")
        return error
    raise AssertionError(f"expected {status}, but the call succeeded")


def main():
    configuration = sgc.Configuration(host=os.environ["GATEWAY_URL"], access_token=os.environ["GATEWAY_TOKEN"])
    with sgc.ApiClient(configuration) as client:
        links = sgc.LinksApi(client)

        created = links.create_link(sgc.CreateLinkRequest(fqdn="python.example.com", expose="web:8080"))
        assert created.fqdn == "python.example.com", created
        assert created.state == "PROVISIONING", created
        assert created.created_by == "admin", created
        assert "GATEWAY_ENDPOINT" in created.compose, created.compose

        again = links.create_link(sgc.CreateLinkRequest(fqdn="python.example.com", expose="web:8080"))
        assert again.id == created.id, again

        assert links.get_link(created.id).udp_port == created.udp_port
        assert created.id in [link.id for link in links.list_links()]
        assert [link.id for link in links.list_links(fqdn="python.example.com")] == [created.id]

        snippet = links.get_link_compose(created.id)
        assert isinstance(snippet, str), type(snippet)
        assert snippet == created.compose, snippet

        conflict = expect_error(409, lambda: links.create_link(
            sgc.CreateLinkRequest(fqdn="python.example.com", expose="other:80")))
        assert created.id in conflict.body, conflict.body

        # Shapes the client's own checks let through and only the gateway refuses.
        invalid = expect_error(400, lambda: links.create_link(
            sgc.CreateLinkRequest(fqdn="bad-address.example.com", expose="999.999.999.999:80")))
        assert "expose" in invalid.body, invalid.body

        links.delete_link(created.id)
        expect_error(404, lambda: links.get_link(created.id))
        expect_error(404, lambda: links.get_link_compose(created.id))
        expect_error(404, lambda: links.delete_link(created.id))
    print("python client: create, list, get, snippet, delete, 400, 404 and 409 all passed")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as failure:
        print(f"python client check failed: {failure}", file=sys.stderr)
        sys.exit(1)
