"""CSRF tokens: every form carries an HMAC of its purpose (say ``lead:SESSION``) under the app's key."""

from __future__ import annotations

import hashlib
import hmac

from starlette.requests import Request

from .shared import Refused


def token(key: bytes, purpose: str) -> str:
    """The token a form for ``purpose`` carries."""
    return hmac.new(key, purpose.encode(), hashlib.sha256).hexdigest()


async def read_form(request: Request, key: bytes, purpose: str) -> dict[str, str]:
    """The submitted form, once its CSRF token is checked."""
    data = await request.form()
    fields = {name: value for name, value in data.items() if isinstance(value, str)}
    if not hmac.compare_digest(fields.get("csrf", ""), token(key, purpose)):
        raise Refused(403, "This form has expired", "Go back, reload the page and send it again.")
    return fields
