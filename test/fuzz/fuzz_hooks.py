"""Schemathesis hooks of the API fuzz run (test/fuzz/run-fuzz.ts loads them through SCHEMATHESIS_HOOKS).

problem_json_on_4xx: every 4xx answer is RFC 9457 problem+json with a status member equal to the HTTP status.
"""
import json

import schemathesis

try:  # hypothesis internals: absent in other versions, where there is nothing to work around
    from hypothesis.internal import lambda_sources
except ImportError:
    lambda_sources = None

if lambda_sources is not None and hasattr(lambda_sources, "lambda_description"):
    _describe_lambda = lambda_sources.lambda_description

    def _lambda_description_or_placeholder(f):
        # CPython releases without the fix of python/cpython#106905 (3.11.7 here) can raise
        # SystemError("AST constructor recursion depth mismatch") from ast.parse. Hypothesis parses a
        # lambda's source only to name it in a strategy's repr, so a failed run said nothing about
        # the API: name it plainly instead.
        try:
            return _describe_lambda(f)
        except SystemError:
            return "lambda: <source not parsed>"

    lambda_sources.lambda_description = _lambda_description_or_placeholder


def _content_type(response) -> str:
    headers = response.headers or {}
    for name, value in headers.items():
        if name.lower() == "content-type":
            return value[0] if isinstance(value, (list, tuple)) else str(value)
    return ""


@schemathesis.check
def problem_json_on_4xx(ctx, response, case):
    status = response.status_code
    if not 400 <= status < 500:
        return None
    content_type = _content_type(response)
    assert content_type.startswith("application/problem+json"), f"{status} answered with content-type {content_type!r}, not application/problem+json"
    try:
        body = json.loads(response.content or b"null")
    except ValueError as error:
        raise AssertionError(f"{status} problem body is not JSON: {error}")
    assert isinstance(body, dict) and body.get("status") == status, f"{status} problem body has status {body.get('status') if isinstance(body, dict) else body!r}"
    return None
